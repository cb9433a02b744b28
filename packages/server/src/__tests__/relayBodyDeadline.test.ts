import { createServer, type RequestListener, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTokenRelay, relayMiddleware, toNodeHandler, type NodeAdapterOptions, type TokenRelayOptions } from '../index.js';
import { expectOAuthError, PORTAL_SECRET, SPA_ORIGIN } from './relaySupport.js';
import { captureLogger, expectCodedTypeError } from './testSupport.js';

let emulator: RunningEmulator;
const servers: Server[] = [];
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve)))));
  emulator.reset();
});

function relayOptions(overrides: Partial<TokenRelayOptions> = {}): TokenRelayOptions {
  return {
    teamUrl: emulator.url,
    clientId: 'portal',
    clientSecret: PORTAL_SECRET,
    allowedOrigins: [SPA_ORIGIN],
    deps: { logger: captureLogger().logger },
    ...overrides,
  };
}

async function listen(listener: RequestListener): Promise<number> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

interface Trickle {
  /** The status line's code, 0 for none. */
  status: number;
  body: string;
  /** ms from the request head to the answer, and to the connection's end. */
  answeredAfterMs: number;
  closedAfterMs: number;
  /** Body bytes written before the server ended the connection. */
  bytesSent: number;
}

/**
 * Sends a POST head over a raw socket, then its body one byte every `intervalMs` (a chunked body one
 * one-byte chunk at a time), never finishing; resolves when the server ends the connection, or after 15 s.
 */
function trickle(port: number, options: { origin?: string; chunked?: boolean; intervalMs?: number; silent?: boolean; path?: string }): Promise<Trickle> {
  const { origin = SPA_ORIGIN, chunked = false, intervalMs = 1_000, silent = false, path = '/token' } = options;
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const started = performance.now();
    let text = '';
    let answeredAfterMs = -1;
    let bytesSent = 0;
    let ended = false;
    const framing = chunked ? 'Transfer-Encoding: chunked' : 'Content-Length: 1000';
    socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${origin}\r\nContent-Type: application/x-www-form-urlencoded\r\n${framing}\r\n\r\n`);
    const timer = setInterval(() => {
      if (silent || ended) return;
      bytesSent += 1;
      socket.write(chunked ? '1\r\nx\r\n' : 'x');
    }, intervalMs);
    const finish = () => {
      if (ended) return;
      ended = true;
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, body: head.includes('chunked') ? dechunk(body) : body, answeredAfterMs, closedAfterMs: performance.now() - started, bytesSent });
    };
    const giveUp = setTimeout(finish, 15_000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      if (answeredAfterMs < 0) answeredAfterMs = performance.now() - started;
      text += chunk;
    });
    socket.on('error', finish);
    socket.on('end', finish);
    socket.on('close', finish);
  });
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const [size, ...tail] = rest.split('\r\n');
    const length = parseInt(size ?? '0', 16);
    if (!length) return out;
    const joined = tail.join('\r\n');
    out += joined.slice(0, length);
    rest = joined.slice(length + 2);
  }
}

describe('a request body sent one byte a second', () => {
  interface Case {
    name: string;
    relay?: Partial<TokenRelayOptions>;
    adapter?: NodeAdapterOptions;
    request?: Parameters<typeof trickle>[1];
    middleware?: boolean;
    status: number;
    error: string;
    /** When the answer may come, and by when the connection must be closed (ms). */
    answerBetween: [number, number];
    closedBy: number;
  }
  const cases: Case[] = [
    { name: 'with Content-Length', relay: { bodyTimeoutMs: 1_000 }, status: 408, error: 'invalid_request', answerBetween: [900, 2_000], closedBy: 2_500 },
    {
      name: 'as one-byte chunks',
      relay: { bodyTimeoutMs: 1_000 },
      request: { chunked: true },
      status: 408,
      error: 'invalid_request',
      answerBetween: [900, 2_000],
      closedBy: 2_500,
    },
    {
      name: 'never sent at all after the head',
      relay: { bodyTimeoutMs: 1_000 },
      request: { silent: true },
      status: 408,
      error: 'invalid_request',
      answerBetween: [900, 2_000],
      closedBy: 2_500,
    },
    {
      name: "ended by the adapter's deadline when it is the shorter",
      relay: { bodyTimeoutMs: 60_000 },
      adapter: { bodyTimeoutMs: 1_000 },
      status: 408,
      error: 'invalid_request',
      answerBetween: [900, 2_000],
      closedBy: 2_500,
    },
    {
      name: 'from a refused origin: 403 at once, the connection closed at the deadline',
      adapter: { bodyTimeoutMs: 1_000 },
      request: { origin: 'https://evil.example' },
      status: 403,
      error: 'invalid_request',
      answerBetween: [0, 500],
      closedBy: 2_500,
    },
    {
      name: 'through relayMiddleware',
      relay: { bodyTimeoutMs: 1_000 },
      middleware: true,
      status: 408,
      error: 'invalid_request',
      answerBetween: [900, 2_000],
      closedBy: 2_500,
    },
    { name: 'with the defaults (5 s)', status: 408, error: 'invalid_request', answerBetween: [4_900, 6_500], closedBy: 7_000 },
  ];

  it.each(cases)(
    'is ended $name: $status $error',
    async ({ relay: relayOverrides, adapter, request, middleware, status, error, answerBetween, closedBy }) => {
      const relay = createTokenRelay(relayOptions(relayOverrides));
      const listener: RequestListener = middleware
        ? (req, res) => relayMiddleware(relay, { path: '/token', ...adapter })(req, res, () => res.writeHead(404).end())
        : toNodeHandler(relay, adapter);
      const result = await trickle(await listen(listener), request ?? {});

      expect(result.status).toBe(status);
      expect(JSON.parse(result.body)).toMatchObject({ error, error_description: expect.any(String) });
      expect(result.answeredAfterMs).toBeGreaterThanOrEqual(answerBetween[0]);
      expect(result.answeredAfterMs).toBeLessThan(answerBetween[1]);
      expect(result.closedAfterMs).toBeLessThan(closedBy);
      expect(result.bytesSent).toBeLessThan(10);
      expect(emulator.requests('token')).toHaveLength(0);
    },
    15_000,
  );

  it('answers 408 with Connection: close on the web-standard relay, and cancels the body stream', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('grant_type=refresh_token'));
      },
      // Never more: a client that stopped sending.
      cancel() {
        cancelled = true;
      },
    });
    const init: RequestInit & { duplex: 'half' } = {
      method: 'POST',
      headers: { Origin: SPA_ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
      duplex: 'half',
    };
    const started = performance.now();
    const response = await createTokenRelay(relayOptions({ bodyTimeoutMs: 300 }))(new Request('http://relay.local/token', init));
    expect(performance.now() - started).toBeLessThan(1_500);
    const answer = await expectOAuthError(response, 408, 'invalid_request');
    expect(answer.error_description).toBe('the body did not arrive in time');
    expect(response.headers.get('connection')).toBe('close');
    expect(response.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
    expect(cancelled).toBe(true);
  });
});

describe('bodyTimeoutMs', () => {
  const relay = () => createTokenRelay(relayOptions());
  it.each([0, -1, 1.5, '5000', Infinity, 600_001])('refuses %s in createTokenRelay, toNodeHandler and relayMiddleware with invalid_option', (bodyTimeoutMs) => {
    const value = bodyTimeoutMs as number;
    expect(() => createTokenRelay(relayOptions({ bodyTimeoutMs: value }))).toThrow(/bodyTimeoutMs must be a whole number from 1 to 600000/);
    expectCodedTypeError(() => createTokenRelay(relayOptions({ bodyTimeoutMs: value })), 'invalid_option');
    expectCodedTypeError(() => toNodeHandler(relay(), { bodyTimeoutMs: value }), 'invalid_option');
    expectCodedTypeError(() => relayMiddleware(relay(), { path: '/token', bodyTimeoutMs: value }), 'invalid_option');
  });
});
