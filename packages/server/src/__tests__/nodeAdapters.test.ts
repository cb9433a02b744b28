import { createServer, request as httpRequest, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTokenRelay, relayMiddleware, toNodeHandler, type TokenRelay } from '../index.js';
import { authorizationCode, checkedJson, CODE_VERIFIER, expectOAuthError, PORTAL_FORMS, PORTAL_SECRET, REDIRECT_URI, SPA_ORIGIN } from './relaySupport.js';
import { captureLogger, expectCodedTypeError, expectNoSecret } from './testSupport.js';

let emulator: RunningEmulator;
let relay: TokenRelay;
const log = captureLogger();
const servers: Server[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  relay = createTokenRelay({
    teamUrl: emulator.url,
    clientId: 'portal',
    clientSecret: PORTAL_SECRET,
    allowedOrigins: [SPA_ORIGIN],
    deps: { logger: log.logger },
  });
});
afterAll(async () => {
  await emulator.close();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve)))));
  for (const line of log.lines) expectNoSecret(line, PORTAL_FORMS);
});

async function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const codeBody = (code: string) => new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: CODE_VERIFIER });
const formHeaders = { Origin: SPA_ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' };

describe('toNodeHandler', () => {
  it('serves the relay over node:http: preflight, code exchange and refresh', async () => {
    const base = await serve(toNodeHandler(relay));
    const preflight = await fetch(`${base}/token`, { method: 'OPTIONS', headers: { Origin: SPA_ORIGIN, 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);

    const exchanged = await fetch(`${base}/token`, { method: 'POST', headers: formHeaders, body: codeBody(authorizationCode(emulator)) });
    const tokens = await checkedJson(exchanged);
    expect(exchanged.status).toBe(200);
    expect(exchanged.headers.get('cache-control')).toBe('no-store');

    const refreshed = await fetch(`${base}/token`, {
      method: 'POST',
      headers: formHeaders,
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) }),
    });
    expect(refreshed.status).toBe(200);
  });

  it('passes OAuth errors through over HTTP', async () => {
    const base = await serve(toNodeHandler(relay));
    const response = await fetch(`${base}/token`, { method: 'POST', headers: formHeaders, body: codeBody('not-a-code') });
    await expectOAuthError(response, 400, 'invalid_grant');
  });

  it('answers 413 to an oversized chunked body and 403 to a refused origin, without waiting for the whole upload', async () => {
    const base = await serve(toNodeHandler(relay));
    expect(await chunkedPost(`${base}/token`, SPA_ORIGIN, 64)).toMatchObject({ status: 413, body: expect.stringContaining('invalid_request') });
    expect(await chunkedPost(`${base}/token`, 'https://evil.example', 64)).toMatchObject({ status: 403, body: expect.stringContaining('origin not allowed') });
  });

  it('keeps every Set-Cookie header of a web-standard handler', async () => {
    const base = await serve(
      toNodeHandler(async () => {
        const headers = new Headers([
          ['Set-Cookie', 'a=1; Path=/'],
          ['Set-Cookie', 'b=2; HttpOnly'],
        ]);
        return new Response('ok', { headers });
      }),
    );
    const response = await fetch(`${base}/`, { signal: AbortSignal.timeout(5_000) });
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(await response.text()).toBe('ok');
  });

  it('answers 500 server_error when a handler throws', async () => {
    const base = await serve(
      toNodeHandler(async () => {
        throw new Error('boom');
      }),
    );
    const response = await fetch(`${base}/token`, { method: 'POST', headers: formHeaders, body: 'a=b' });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'server_error' });
  });
});

describe('relayMiddleware', () => {
  const fallback: RequestListener = (_req, res) => {
    res.statusCode = 404;
    res.end('next');
  };
  const withMiddleware = (path: string): RequestListener => {
    const middleware = relayMiddleware(relay, { path });
    return (req, res) => middleware(req, res, () => fallback(req, res));
  };

  it('handles its path (query ignored) in a connect-style stack, as in Vite', async () => {
    const base = await serve(withMiddleware('/api/celonis/token'));
    const response = await fetch(`${base}/api/celonis/token?from=spa`, { method: 'POST', headers: formHeaders, body: codeBody(authorizationCode(emulator)) });
    expect(response.status).toBe(200);
    expect(await checkedJson(response)).toMatchObject({ token_type: 'Bearer' });
  });

  it.each(['/', '/api/celonis/token/extra', '/api/celonis'])('passes %s on to next()', async (path) => {
    const base = await serve(withMiddleware('/api/celonis/token'));
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: formHeaders, body: 'a=b' });
    expect([response.status, await response.text()]).toEqual([404, 'next']);
  });

  it('answers 400 at once when an earlier middleware already read the body', async () => {
    const middleware = relayMiddleware(relay, { path: '/api/celonis/token' });
    // Like a body parser mounted before the relay: it reads the whole body, then passes the request on.
    const base = await serve((req, res) => {
      req.on('data', () => undefined);
      req.once('end', () => middleware(req, res, () => fallback(req, res)));
    });
    const response = await fetch(`${base}/api/celonis/token`, {
      method: 'POST',
      headers: formHeaders,
      body: codeBody(authorizationCode(emulator)),
      signal: AbortSignal.timeout(5_000),
    });
    await expectOAuthError(response, 400, 'invalid_request');
  });

  it.each(['', 'api/token', '/token?x=1'])('refuses path %j with a TypeError', (path) => {
    expect(() => relayMiddleware(relay, { path })).toThrow(/path must be a URL path/);
    expectCodedTypeError(() => relayMiddleware(relay, { path }), 'invalid_relay_path');
  });
});

/** Posts `kib` KiB in chunks without Content-Length, and resolves with the answer (or how the connection ended). */
function chunkedPost(url: string, origin: string, kib: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded', 'Transfer-Encoding': 'chunked' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.write('grant_type=authorization_code&code=');
    // Written without waiting: the server must answer whether or not it reads all of it.
    for (let i = 0; i < kib; i++) req.write('x'.repeat(1024));
    req.end();
  });
}
