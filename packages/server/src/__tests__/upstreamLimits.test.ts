import { rejection } from '@celonis-auth/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { createClientCredentialsTokenSource, createTokenRelay, MAX_TOKEN_RESPONSE_BYTES } from '../index.js';
import { HOSTILE_BODY_BYTES, startHostileUpstream, type HostileAnswer, type HostileUpstream } from './hostileUpstream.js';
import { browserRequest, CODE_VERIFIER, expectOAuthError, PORTAL_SECRET, REDIRECT_URI, SPA_ORIGIN } from './relaySupport.js';
import { captureLogger } from './testSupport.js';

// Far below the 300 MiB on offer: what sockets may hold in flight once the client stopped reading.
const MAX_BYTES_SENT = 8 * 1024 * 1024;
// The process may not grow by anything like the body on offer (it grew by 944 MB before the cap).
const MAX_RSS_GROWTH = 32 * 1024 * 1024;
// Bounded: well before the request timeout of the sources under test (20 s).
const MAX_ELAPSED_MS = 5_000;
const TIMEOUT_MS = 20_000;

const upstreams: HostileUpstream[] = [];
afterEach(async () => {
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

async function hostile(answer: HostileAnswer): Promise<HostileUpstream> {
  const upstream = await startHostileUpstream(answer);
  upstreams.push(upstream);
  return upstream;
}

const answers: { name: string; answer: HostileAnswer; status: number }[] = [
  { name: 'a 200 streaming without end (chunked)', answer: { status: 200, bytes: Infinity }, status: 200 },
  { name: 'a 200 of 300 MiB (chunked)', answer: { status: 200, bytes: HOSTILE_BODY_BYTES }, status: 200 },
  {
    name: 'a 200 declaring a 300 MiB Content-Length',
    answer: { status: 200, contentLength: HOSTILE_BODY_BYTES + 19, bytes: HOSTILE_BODY_BYTES },
    status: 200,
  },
  { name: 'a 400 error body streaming without end', answer: { status: 400, bytes: Infinity }, status: 400 },
  { name: 'a 503 error body of 300 MiB', answer: { status: 503, bytes: HOSTILE_BODY_BYTES }, status: 503 },
];

/** Runs `call` against `upstream` and checks the answer was cut short: quickly, on a cancelled connection, without growing the process. */
async function expectCutShort<T>(upstream: HostileUpstream, call: () => Promise<T>): Promise<T> {
  const rss = process.memoryUsage().rss;
  const started = performance.now();
  const result = await call();
  expect(performance.now() - started).toBeLessThan(MAX_ELAPSED_MS);
  const [connection] = upstream.connections;
  expect(connection).toBeDefined();
  // The client cancelled the connection: it did not read the rest.
  await expect(Promise.race([connection!.closed.then(() => 'closed'), delay(2_000, 'still open')])).resolves.toBe('closed');
  expect(connection!.finished()).toBe(false);
  expect(connection!.bytesSent()).toBeLessThan(MAX_BYTES_SENT);
  expect(process.memoryUsage().rss - rss).toBeLessThan(MAX_RSS_GROWTH);
  return result;
}

describe('the client-credentials token source reads at most 64 KiB of an answer', () => {
  it.each(answers)('$name → invalid_token_response, the rest not read', async ({ answer, status }) => {
    const upstream = await hostile(answer);
    const log = captureLogger();
    const source = createClientCredentialsTokenSource({
      teamUrl: upstream.url,
      clientId: 'm2m',
      clientSecret: 'm2m-secret',
      timeoutMs: TIMEOUT_MS,
      deps: { logger: log.logger },
    });
    const error = await expectCutShort(upstream, () => rejection(source.getAccessToken()));
    expect(error).toMatchObject({
      name: 'CelonisAuthError',
      code: 'invalid_token_response',
      status,
      message: expect.stringMatching(/larger than 65536 bytes/),
    });
    // Not retried, not even a 503: the answer was refused, not missing.
    expect(upstream.connections).toHaveLength(1);
  });

  // The body is '{"access_token":"' + filler + '"}': 19 bytes around the filler.
  it.each([
    ['exactly 64 KiB is read in full, then refused for its 65 517-character access_token', MAX_TOKEN_RESPONSE_BYTES - 19, /access_token .* too long/],
    ['64 KiB and one byte is refused unread', MAX_TOKEN_RESPONSE_BYTES - 18, /larger than 65536 bytes/],
  ])('an answer of %s', async (_name, bytes, message) => {
    const upstream = await hostile({ status: 200, bytes });
    const source = createClientCredentialsTokenSource({
      teamUrl: upstream.url,
      clientId: 'm2m',
      clientSecret: 'm2m-secret',
      deps: { logger: captureLogger().logger },
    });
    expect(await rejection(source.getAccessToken())).toMatchObject({ code: 'invalid_token_response', message: expect.stringMatching(message) });
  });
});

describe('the token relay reads at most 64 KiB of an upstream answer', () => {
  it.each(answers)('$name → 502 server_error to the browser, never the partial body', async ({ answer }) => {
    const upstream = await hostile(answer);
    const log = captureLogger();
    const relay = createTokenRelay({
      teamUrl: upstream.url,
      clientId: 'portal',
      clientSecret: PORTAL_SECRET,
      allowedOrigins: [SPA_ORIGIN],
      timeoutMs: TIMEOUT_MS,
      deps: { logger: log.logger },
    });
    const grant = { grant_type: 'authorization_code', code: 'c', redirect_uri: REDIRECT_URI, code_verifier: CODE_VERIFIER };
    const response = await expectCutShort(upstream, () => relay(browserRequest('http://relay.local/token', grant)));
    const body = await expectOAuthError(response, 502, 'server_error');
    expect(body).toEqual({ error: 'server_error', error_description: 'the authorization server answered unusably' });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
    expect(log.lines).toEqual([expect.stringMatching(/larger than 65536 bytes; it was not read/)]);
  });

  it.each([
    ['exactly 64 KiB, read in full, with a 65 517-character access_token', MAX_TOKEN_RESPONSE_BYTES - 19, /access_token .* too long.*HTTP 200/],
    ['64 KiB and one byte, refused unread', MAX_TOKEN_RESPONSE_BYTES - 18, /larger than 65536 bytes/],
  ])('answers 502 server_error to an upstream 200 of %s', async (_name, bytes, logged) => {
    const upstream = await hostile({ status: 200, bytes });
    const log = captureLogger();
    const relay = createTokenRelay({
      teamUrl: upstream.url,
      clientId: 'portal',
      clientSecret: PORTAL_SECRET,
      allowedOrigins: [SPA_ORIGIN],
      deps: { logger: log.logger },
    });
    const response = await relay(browserRequest('http://relay.local/token', { grant_type: 'refresh_token', refresh_token: 'r' }));
    await expectOAuthError(response, 502, 'server_error');
    expect(log.lines).toEqual([expect.stringMatching(logged)]);
  });
});

function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms).unref());
}
