import { startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeServers, expectProxyError, rawRequest, SECRET_TOKEN, serveProxy, startRecordingUpstream } from './apiProxySupport.js';
import { HOSTILE_BODY_BYTES, startHostileUpstream, type HostileUpstream } from './hostileUpstream.js';
import { freePort } from './testSupport.js';

const KIB = 1024;
let emulator: RunningEmulator;
const hostiles: HostileUpstream[] = [];
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
afterEach(async () => {
  await Promise.all([closeServers(), ...hostiles.splice(0).map((upstream) => upstream.close())]);
  emulator.clearFaults();
});

async function hostile(...args: Parameters<typeof startHostileUpstream>): Promise<HostileUpstream> {
  const upstream = await startHostileUpstream(...args);
  hostiles.push(upstream);
  return upstream;
}

/** Streams `bytes` as a chunked body, without Content-Length. */
function chunkedBody(bytes: number): RequestInit & { duplex: 'half' } {
  let left = bytes;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left <= 0) return controller.close();
      const size = Math.min(left, 16 * KIB);
      left -= size;
      controller.enqueue(new Uint8Array(size).fill(0x78));
    },
  });
  return { method: 'POST', body, duplex: 'half' };
}

describe('request bodies are capped at maxRequestBodyBytes', () => {
  it.each([
    ['declared by Content-Length', () => ({ method: 'PUT', body: 'x'.repeat(4 * KIB + 1) })],
    ['counted while streaming (chunked)', () => chunkedBody(256 * KIB)],
  ])('refuses a body over the cap %s with 413 request_too_large, nothing or an aborted body upstream', async (_name, init) => {
    const upstream = await startRecordingUpstream();
    const proxy = await serveProxy({ teamUrl: upstream.url, maxRequestBodyBytes: 4 * KIB });
    const response = await fetch(`${proxy.url}/celonis/api/upload`, { ...init(), signal: AbortSignal.timeout(10_000) });
    await expectProxyError(response, 413, 'request_too_large');
    expect(upstream.seen.filter((seen) => seen.complete)).toEqual([]);
    for (const seen of upstream.seen) expect(seen.body.length).toBeLessThanOrEqual(4 * KIB);
  });

  it.each([
    ['with Content-Length', () => ({ method: 'POST', body: 'x'.repeat(4 * KIB) })],
    ['streamed', () => chunkedBody(4 * KIB)],
  ])('forwards a body of exactly the cap %s', async (_name, init) => {
    const upstream = await startRecordingUpstream();
    const proxy = await serveProxy({ teamUrl: upstream.url, maxRequestBodyBytes: 4 * KIB });
    const response = await fetch(`${proxy.url}/celonis/api/upload`, { ...init(), signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(200);
    expect(upstream.seen.map((seen) => [seen.body.length, seen.complete])).toEqual([[4 * KIB, true]]);
  });

  it('answers 408 request_timeout with Connection: close to a body that stops arriving, and aborts it upstream', async () => {
    const upstream = await startRecordingUpstream();
    const proxy = await serveProxy({ teamUrl: upstream.url, bodyTimeoutMs: 300 });
    const started = performance.now();
    const answer = await rawRequest(proxy.port, 'POST /celonis/api/upload HTTP/1.1', { 'Content-Length': '1000' }, 'x'.repeat(10));
    expect(performance.now() - started).toBeLessThan(3_000);
    expect([answer.status, JSON.parse(answer.body)]).toEqual([408, { error: 'request_timeout', error_description: expect.any(String) }]);
    expect(answer.headers).toContain('connection: close');
    expect(upstream.seen.filter((seen) => seen.complete)).toEqual([]);
  });
});

describe('response bodies are capped at maxResponseBodyBytes', () => {
  it('answers 502 upstream_response_too_large to a Content-Length over the cap, and does not read the body', async () => {
    const upstream = await hostile({ status: 200, contentLength: HOSTILE_BODY_BYTES + 19, bytes: HOSTILE_BODY_BYTES });
    const proxy = await serveProxy({ teamUrl: upstream.url, maxResponseBodyBytes: 64 * KIB });
    const response = await fetch(`${proxy.url}/celonis/api/export`, { signal: AbortSignal.timeout(10_000) });
    await expectProxyError(response, 502, 'upstream_response_too_large');
    await expectCancelled(upstream);
    expect(proxy.lines).toEqual(['celonis-auth API proxy: GET /celonis/api/export → 502 upstream_response_too_large (Content-Length)']);
  });

  it.each([
    ['a chunked body without end', Infinity],
    ['a chunked body of 300 MiB', HOSTILE_BODY_BYTES],
  ])('cuts %s at the cap: the client sees a failed body, never more than the cap', async (_name, bytes) => {
    const upstream = await hostile({ status: 200, bytes });
    const proxy = await serveProxy({ teamUrl: upstream.url, maxResponseBodyBytes: 256 * KIB });
    const response = await fetch(`${proxy.url}/celonis/api/export`, { signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(200);
    const { received, failed } = await readAll(response);
    expect(failed).toBe(true);
    expect(received).toBeLessThanOrEqual(256 * KIB);
    await expectCancelled(upstream);
    expect(proxy.lines).toEqual([
      expect.stringMatching(/^celonis-auth API proxy: GET \/celonis\/api\/export → 200 upstream_response_too_large \(cut at 262144 bytes\)$/),
    ]);
  });

  it('passes a chunked body of exactly the cap in full', async () => {
    // The hostile body is '{"access_token":"' + filler + '"}': 19 bytes around the filler.
    const upstream = await hostile({ status: 200, bytes: 256 * KIB - 19 });
    const proxy = await serveProxy({ teamUrl: upstream.url, maxResponseBodyBytes: 256 * KIB });
    const response = await fetch(`${proxy.url}/celonis/api/export`, { signal: AbortSignal.timeout(10_000) });
    expect(await readAll(response)).toEqual({ received: 256 * KIB, failed: false });
  });
});

describe('upstream failures', () => {
  const path = `/celonis/intelligence/api/knowledge-models?secret_query=${SECRET_TOKEN}`;
  const headers = { Authorization: `Bearer ${SECRET_TOKEN}`, Cookie: `s=${SECRET_TOKEN}` };
  const cases = [
    {
      name: 'a team that never answers, past timeoutMs',
      teamUrl: async () => (await startRecordingUpstream(() => undefined)).url,
      status: 504,
      error: 'upstream_timeout',
      logged: '504 upstream_timeout (TimeoutError)',
    },
    {
      name: 'a team that drops the connection',
      teamUrl: async () => (await startRecordingUpstream((req) => req.socket.destroy())).url,
      status: 502,
      error: 'upstream_unreachable',
      logged: '502 upstream_unreachable (TypeError: UND_ERR_SOCKET)',
    },
    {
      name: "the emulator's drop fault",
      teamUrl: async () => (emulator.injectFault({ endpoint: 'api', fault: { kind: 'drop' } }), emulator.url),
      status: 502,
      error: 'upstream_unreachable',
      logged: '502 upstream_unreachable (TypeError: UND_ERR_SOCKET)',
    },
    {
      name: 'nothing listening',
      teamUrl: async () => `http://127.0.0.1:${await freePort()}`,
      status: 502,
      error: 'upstream_unreachable',
      logged: '502 upstream_unreachable (TypeError: ECONNREFUSED)',
    },
  ];

  it.each(cases)('answers $status $error to $name, quickly, logging one line without token or query', async ({ teamUrl, status, error, logged }) => {
    const proxy = await serveProxy({ teamUrl: await teamUrl(), timeoutMs: 300 });
    const started = performance.now();
    const response = await fetch(`${proxy.url}${path}`, { headers, signal: AbortSignal.timeout(10_000) });
    expect(performance.now() - started).toBeLessThan(3_000);
    const text = await response.clone().text();
    await expectProxyError(response, status, error);
    expect(text).not.toContain(SECRET_TOKEN);
    expect(proxy.lines).toEqual([`celonis-auth API proxy: GET /celonis/intelligence/api/knowledge-models → ${logged}`]);
    expect(proxy.lines.join('\n')).not.toMatch(new RegExp(`${SECRET_TOKEN}|secret_query|\\?`));
  });
});

describe('a browser that goes away', () => {
  it('ends the upstream call, without a log line', async () => {
    let onClose: () => void = () => undefined;
    const closed = new Promise<string>((resolve) => (onClose = () => resolve('closed')));
    const upstream = await startRecordingUpstream((req) => void req.socket.once('close', onClose));
    const proxy = await serveProxy({ teamUrl: upstream.url });
    const client = new AbortController();
    const pending = fetch(`${proxy.url}/celonis/api/slow`, { signal: client.signal }).catch(() => 'aborted');
    await vi.waitFor(() => expect(upstream.seen).toHaveLength(1));
    client.abort();
    expect(await pending).toBe('aborted');
    await expect(Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 3_000, 'still open'))])).resolves.toBe('closed');
    expect(proxy.lines).toEqual([]);
  });
});

/** Reads a response body to its end or failure, counting bytes. */
async function readAll(response: Response): Promise<{ received: number; failed: boolean }> {
  const reader = response.body!.getReader();
  let received = 0;
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) received += next.value.byteLength;
    return { received, failed: false };
  } catch {
    return { received, failed: true };
  }
}

/** Asserts the proxy cancelled its read of the hostile answer: the connection closed, the body unfinished. */
async function expectCancelled(upstream: HostileUpstream): Promise<void> {
  const [connection] = upstream.connections;
  const outcome = await Promise.race([connection!.closed.then(() => 'closed'), new Promise((resolve) => setTimeout(resolve, 3_000, 'still open'))]);
  expect(outcome).toBe('closed');
  expect(connection!.finished()).toBe(false);
  expect(connection!.bytesSent()).toBeLessThan(64 * 1024 * 1024);
}
