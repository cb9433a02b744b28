import { gzipSync } from 'node:zlib';
import { startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  closeServers,
  expectProxyError,
  m2mToken,
  rawRequest,
  serveProxy,
  SPA_ORIGIN,
  startRecordingUpstream,
  type RecordingUpstream,
} from './apiProxySupport.js';
import { KM_SCOPE } from './relaySupport.js';

const KM = '/intelligence/api/knowledge-models';
let emulator: RunningEmulator;
let kmToken: string;
let studioToken: string;
beforeAll(async () => {
  emulator = await startEmulator();
  [kmToken, studioToken] = await Promise.all([m2mToken(emulator, KM_SCOPE), m2mToken(emulator, 'studio')]);
});
afterAll(async () => {
  await emulator.close();
});
afterEach(async () => {
  await closeServers();
  emulator.clearRequests();
  emulator.clearFaults();
});

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers, signal: AbortSignal.timeout(10_000) });

describe('forwarding to the emulator', () => {
  it('forwards a GET to the team with the Bearer token and streams the answer back', async () => {
    const proxy = await serveProxy({ teamUrl: emulator.url });
    const response = await get(`${proxy.url}/celonis${KM}`, { Authorization: `Bearer ${kmToken}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ content: expect.arrayContaining([expect.objectContaining({ id: 'km-o2c' })]) });
    expect(emulator.requests('api')).toEqual([expect.objectContaining({ method: 'GET', path: KM, status: 200 })]);
    expect(proxy.lines).toEqual([]);
  });

  it.each([
    { name: 'no Authorization: the bare challenge', auth: () => undefined, status: 401, challenge: /^Bearer realm="celonis-emulator"$/ },
    { name: 'a lower-case "bearer" scheme', auth: () => `bearer ${kmToken}`, status: 200, challenge: null },
    { name: 'a forged token', auth: () => 'Bearer not.a.token', status: 401, challenge: /error="invalid_token"/ },
    { name: 'a token without the scope', auth: () => `Bearer ${studioToken}`, status: 403, challenge: /error="insufficient_scope".*scope="intelligence/ },
  ])('passes $status and WWW-Authenticate through for $name', async ({ auth, status, challenge }) => {
    const proxy = await serveProxy({ teamUrl: emulator.url });
    const token = auth();
    const response = await get(`${proxy.url}/celonis${KM}`, token === undefined ? {} : { Authorization: token });
    expect(response.status).toBe(status);
    if (challenge === null) expect(response.headers.get('www-authenticate')).toBeNull();
    else expect(response.headers.get('www-authenticate')).toMatch(challenge);
  });

  it.each([429, 503])('passes a %i with Retry-After through, without retrying', async (status) => {
    emulator.injectFault({ endpoint: 'api', fault: { kind: 'status', status, retryAfterSeconds: 30 } });
    const proxy = await serveProxy({ teamUrl: emulator.url });
    const response = await get(`${proxy.url}/celonis${KM}`, { Authorization: `Bearer ${kmToken}` });
    expect([response.status, response.headers.get('retry-after')]).toEqual([status, '30']);
    expect(emulator.requests('api')).toHaveLength(1);
  });

  it('answers CORS for an allowed cross-origin (same-site) page, exposing Retry-After and WWW-Authenticate', async () => {
    const proxy = await serveProxy({ teamUrl: emulator.url });
    const response = await get(`${proxy.url}/celonis${KM}`, { Origin: SPA_ORIGIN, 'Sec-Fetch-Site': 'same-site' });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
    expect(response.headers.get('access-control-expose-headers')).toBe('Retry-After, WWW-Authenticate');
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });
});

describe("against the emulator's celonis profile (no CORS for browsers)", () => {
  it('serves a page the API it could not call cross-origin', async () => {
    const strict = await startEmulator({ profile: 'celonis' });
    try {
      const token = await m2mToken(strict, KM_SCOPE);
      const page = { Origin: SPA_ORIGIN, Authorization: `Bearer ${token}` };
      expect((await get(`${strict.url}${KM}`, page)).headers.get('access-control-allow-origin')).toBeNull();
      const proxy = await serveProxy({ teamUrl: strict.url });
      const response = await get(`${proxy.url}/celonis${KM}`, { ...page, 'Sec-Fetch-Site': 'same-site' });
      expect([response.status, response.headers.get('access-control-allow-origin')]).toEqual([200, SPA_ORIGIN]);
    } finally {
      await strict.close();
    }
  });
});

describe('forwarding to a recording team', () => {
  let upstream: RecordingUpstream;
  beforeEach(async () => {
    upstream = await startRecordingUpstream();
  });

  it('forwards the query as sent, to the team origin only, whatever Host and X-Forwarded-Host say', async () => {
    const proxy = await serveProxy({ teamUrl: upstream.url });
    const answer = await rawRequest(proxy.port, 'GET /celonis/api/items?limit=2&q=a%20b&x= HTTP/1.1', {
      Host: 'evil.example',
      'X-Forwarded-Host': 'evil.example',
      'X-Forwarded-Proto': 'https',
    });
    expect(answer.status).toBe(200);
    expect(upstream.seen).toEqual([expect.objectContaining({ method: 'GET', url: '/api/items?limit=2&q=a%20b&x=' })]);
    expect(upstream.seen[0]!.headers.host).toBe(new URL(upstream.url).host);
  });

  it.each([
    ['POST', 'a streamed (chunked) body', true],
    ['PUT', 'a streamed (chunked) body', true],
    ['PATCH', 'a body with Content-Length', false],
    ['DELETE', 'a body with Content-Length', false],
  ])('forwards a %s with %s unchanged', async (method, _name, streamed) => {
    const proxy = await serveProxy({ teamUrl: upstream.url });
    const text = JSON.stringify({ name: 'Order to Cash', note: 'ü'.repeat(50_000) });
    const bytes = new TextEncoder().encode(text);
    const body = streamed
      ? new ReadableStream<Uint8Array>({
          start(controller) {
            for (let i = 0; i < bytes.length; i += 8_192) controller.enqueue(bytes.slice(i, i + 8_192));
            controller.close();
          },
        })
      : text;
    const init: RequestInit & { duplex: 'half' } = { method, headers: { 'Content-Type': 'application/json' }, body, duplex: 'half' };
    const response = await fetch(`${proxy.url}/celonis/api/items/1`, { ...init, signal: AbortSignal.timeout(10_000) });
    expect(await response.json()).toEqual({ method, url: '/api/items/1' });
    expect(upstream.seen).toEqual([expect.objectContaining({ method, body: text, complete: true })]);
    expect(upstream.seen[0]!.headers['content-type']).toBe('application/json');
    if (!streamed) expect(upstream.seen[0]!.headers['content-length']).toBe(String(bytes.length));
  });

  it('strips cookies, hop-by-hop, browser-context and forwarding headers toward the team, and keeps the rest', async () => {
    const proxy = await serveProxy({ teamUrl: upstream.url });
    const sent = {
      Authorization: `Bearer ${kmToken}`,
      Accept: 'application/json',
      'If-None-Match': '"v1"',
      'X-Request-Id': 'req-1',
      Cookie: 'portal_session=abc',
      Connection: 'X-Hop',
      'X-Hop': 'named by Connection',
      'Keep-Alive': 'timeout=5',
      TE: 'trailers',
      Trailer: 'X-Checksum',
      Upgrade: 'h2c',
      'Proxy-Authorization': 'Basic cHJveHk6cHJveHk=',
      'Proxy-Connection': 'keep-alive',
      Origin: SPA_ORIGIN,
      Referer: `${SPA_ORIGIN}/reports?id=7`,
      'Sec-Fetch-Site': 'same-origin',
      'Sec-Fetch-Mode': 'cors',
      'Sec-Fetch-Dest': 'empty',
      Forwarded: 'for=1.2.3.4;host=evil.example',
      'X-Forwarded-For': '1.2.3.4',
      'X-Real-IP': '1.2.3.4',
      'Accept-Encoding': 'gzip, br',
    };
    expect((await rawRequest(proxy.port, 'GET /celonis/api/items HTTP/1.1', sent)).status).toBe(200);
    const headers = upstream.seen[0]!.headers;
    expect(headers).toMatchObject({ authorization: `Bearer ${kmToken}`, accept: 'application/json', 'if-none-match': '"v1"', 'x-request-id': 'req-1' });
    expect(headers['accept-encoding']).toBe('identity');
    const gone = ['cookie', 'x-hop', 'keep-alive', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-connection', 'origin', 'referer'];
    expect(headers['sec-fetch-dest']).toBeUndefined();
    for (const name of [...gone, 'sec-fetch-site', 'sec-fetch-dest', 'forwarded', 'x-forwarded-for', 'x-real-ip']) expect(headers[name], name).toBeUndefined();
  });

  it('strips Set-Cookie, hop-by-hop, origin-wide and Access-Control-* headers from the answer, and keeps status and caching headers', async () => {
    upstream.answer = (_req, res) => {
      res.setHeader('Set-Cookie', ['team_session=s; HttpOnly', 'tracker=t']);
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Cache-Control': 'private, max-age=60',
        ETag: '"v2"',
        'Last-Modified': 'Tue, 01 Dec 2026 10:00:00 GMT',
        Vary: 'Accept',
        'X-Up': 'named by Connection',
        Connection: 'X-Up',
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Credentials': 'true',
        'Alt-Svc': 'h3=":443"',
        'Clear-Site-Data': '"storage"',
        'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
      });
      res.end('{"ok":true}');
    };
    const proxy = await serveProxy({ teamUrl: upstream.url });
    const response = await get(`${proxy.url}/celonis/api/items`, { Origin: SPA_ORIGIN });
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'cache-control': 'private, max-age=60',
      etag: '"v2"',
      'last-modified': 'Tue, 01 Dec 2026 10:00:00 GMT',
      vary: 'Accept, Origin',
      'access-control-allow-origin': SPA_ORIGIN,
    });
    for (const name of ['x-up', 'access-control-allow-credentials', 'alt-svc', 'clear-site-data', 'strict-transport-security'])
      expect(response.headers.get(name), name).toBeNull();
  });

  it.each([
    ['a relative Location on the team', '/oauth2/authorize?x=1', '/celonis/oauth2/authorize?x=1'],
    ['an absolute Location on the team', () => `${upstream.url}/api/items/2?y=2#top`, '/celonis/api/items/2?y=2#top'],
    ['a Location on another host', 'https://login.example.com/sso', null],
    ['a Location that is no URL', 'http://[', null],
  ])('does not follow a redirect; %s becomes %s', async (_name, location, expected) => {
    upstream.answer = (_req, res) => void res.writeHead(302, { Location: typeof location === 'function' ? location() : location }).end();
    const proxy = await serveProxy({ teamUrl: upstream.url });
    const response = await fetch(`${proxy.url}/celonis/api/items`, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    expect([response.status, response.headers.get('location')]).toEqual([302, expected]);
    expect(upstream.seen).toHaveLength(1);
  });

  it('passes a body the team compressed anyway decoded, without Content-Encoding', async () => {
    upstream.answer = (_req, res) => void res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' }).end(gzipSync('plain text'));
    const proxy = await serveProxy({ teamUrl: upstream.url });
    const answer = await rawRequest(proxy.port, 'GET /celonis/api/text HTTP/1.1');
    expect(answer.body).toBe('plain text');
    expect(answer.headers).not.toContain('content-encoding');
  });

  it('answers HEAD without a body', async () => {
    upstream.answer = (_req, res) => void res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '11' }).end();
    const proxy = await serveProxy({ teamUrl: upstream.url });
    const response = await fetch(`${proxy.url}/celonis/api/items`, { method: 'HEAD', signal: AbortSignal.timeout(10_000) });
    expect([response.status, response.headers.get('content-length'), await response.text()]).toEqual([200, '11', '']);
  });
});

describe('team answers cannot act on the portal origin', () => {
  let upstream: RecordingUpstream;
  beforeEach(async () => {
    upstream = await startRecordingUpstream();
  });

  it('drops origin-wide and page-level team headers and sets a sandbox CSP, nosniff and X-Frame-Options on every answer', async () => {
    const dropped = {
      'Service-Worker-Allowed': '/',
      NEL: '{"report_to":"x","max_age":1}',
      'Report-To': '{"group":"x"}',
      'Reporting-Endpoints': 'x="https://evil.example/r"',
      'Accept-CH': 'Sec-CH-UA',
      'Critical-CH': 'Sec-CH-UA',
      'Origin-Agent-Cluster': '?1',
      'Permissions-Policy': 'camera=*',
      Refresh: '0; url=https://evil.example/',
      Link: '<https://evil.example/x.js>; rel=preload',
      'Content-Security-Policy-Report-Only': "default-src 'self'",
      'Cross-Origin-Opener-Policy': 'unsafe-none',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Set-Login': 'logged-in',
      'Supports-Loading-Mode': 'credentialed-prerender',
      'Speculation-Rules': '"/rules.json"',
      'No-Vary-Search': 'params',
      'Document-Policy': 'force-load-at-top',
    };
    upstream.answer = (_req, res) =>
      void res
        .writeHead(200, {
          ...dropped,
          'Content-Type': 'text/html',
          'Content-Security-Policy': "script-src 'unsafe-inline'",
          'X-Content-Type-Options': 'sniff',
          'X-Frame-Options': 'ALLOWALL',
          ETag: '"v3"',
        })
        .end('<script>alert(1)</script>');
    const proxy = await serveProxy({ teamUrl: upstream.url });
    const response = await get(`${proxy.url}/celonis/any/page`);
    expect(response.status).toBe(200);
    for (const name of Object.keys(dropped)) expect(response.headers.get(name), name).toBeNull();
    expect(response.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('etag')).toBe('"v3"');
    await response.body?.cancel();
  });

  it('answers an upstream status outside 200-599 with 502 upstream_invalid_response and cancels its body', async () => {
    let closed = false;
    upstream.answer = (_req, res) => {
      res.once('close', () => (closed = true));
      res.writeHead(999, { 'Content-Type': 'text/plain' });
      res.write('never ending');
    };
    const proxy = await serveProxy({ teamUrl: upstream.url });
    const response = await get(`${proxy.url}/celonis/api/items`);
    await expectProxyError(response, 502, 'upstream_invalid_response');
    await expect.poll(() => closed).toBe(true);
    expect(proxy.lines).toEqual([expect.stringMatching(/GET \/celonis\/api\/items → 502 upstream_invalid_response/)]);
  });

  it('cuts a body whose next chunk does not come within timeoutMs and aborts the upstream call', async () => {
    let closed = false;
    let drip: ReturnType<typeof setInterval> | undefined;
    upstream.answer = (_req, res) => {
      res.once('close', () => ((closed = true), clearInterval(drip)));
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('a');
      // One byte, then silence longer than timeoutMs.
      drip = setInterval(() => res.write('b'), 1_000);
    };
    const proxy = await serveProxy({ teamUrl: upstream.url, timeoutMs: 200 });
    const started = Date.now();
    const response = await get(`${proxy.url}/celonis/api/items`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(900);
    await expect.poll(() => closed).toBe(true);
    expect(proxy.lines).toEqual([expect.stringMatching(/→ 200 upstream_timeout/)]);
  });
});
