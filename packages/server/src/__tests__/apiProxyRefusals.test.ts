import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeServers, expectProxyError, rawRequest, serveProxy, SPA_ORIGIN, startRecordingUpstream, type RecordingUpstream } from './apiProxySupport.js';

let upstream: RecordingUpstream;
let proxy: Awaited<ReturnType<typeof serveProxy>>;
beforeEach(async () => {
  upstream = await startRecordingUpstream();
  proxy = await serveProxy({ teamUrl: upstream.url });
});
afterEach(async () => {
  await closeServers();
  // Every refusal is decided before anything is sent: the team saw nothing.
  expect(upstream.seen).toEqual([]);
});

describe('path tricks, sent over a raw socket as written', () => {
  it.each([
    ['an empty segment (a protocol-relative target)', '/celonis//evil.example/x'],
    ['an absolute URL after the prefix', '/celonis/https://evil.example/x'],
    ['an absolute URL with encoded slashes', '/celonis/https:%2f%2fevil.example/x'],
    ['a raw ".." escaping the prefix', '/celonis/../oauth2/token'],
    ['a raw ".." inside the prefix', '/celonis/intelligence/../oauth2/token'],
    ['a raw "." segment', '/celonis/./intelligence/api'],
    ['"%2e%2e"', '/celonis/%2e%2e/oauth2/token'],
    ['mixed-case "%2E%2e"', '/celonis/api/%2E%2e/oauth2/token'],
    ['".%2E"', '/celonis/api/.%2E/oauth2/token'],
    ['"%2e"', '/celonis/%2e/api'],
    ['a double-encoded "%252e%252e"', '/celonis/%252e%252e/oauth2/token'],
    ['a Java path parameter "..;"', '/celonis/api/..;/oauth2/token'],
    ['a raw backslash', '/celonis/api\\..\\oauth2/token'],
    ['an encoded backslash "%5c"', '/celonis/api%5c..%5coauth2'],
    ['an encoded slash "%2f"', '/celonis/api%2f..%2foauth2'],
    ['an encoded NUL', '/celonis/api%00.json'],
    ['encoded CR LF (header injection)', '/celonis/api%0d%0aX-Injected:%201'],
    ['malformed percent-encoding', '/celonis/api/%zz'],
    ['an absolute-form request target', 'http://evil.example/celonis/api'],
  ])('refuses %s with 400 invalid_path', async (_name, target) => {
    const answer = await rawRequest(proxy.port, `GET ${target} HTTP/1.1`);
    expect([answer.status, JSON.parse(answer.body)]).toEqual([400, { error: 'invalid_path', error_description: expect.any(String) }]);
  });

  it.each([
    ['another path', '/oauth2/token'],
    ['the prefix without a slash', '/celonis'],
    ['the prefix in other case', '/CELONIS/api'],
    ['a longer first segment', '/celonisx/api'],
    ['an encoded slash after the prefix', '/celonis%2fapi'],
    ['a ".." that only reaches the prefix after normalization', '/x/../celonis/api'],
    ['a protocol-relative target', '//evil.example/celonis/api'],
  ])('answers %s (%s) with 404 not_found', async (_name, target) => {
    const answer = await rawRequest(proxy.port, `GET ${target} HTTP/1.1`);
    expect([answer.status, JSON.parse(answer.body)]).toEqual([404, { error: 'not_found', error_description: expect.any(String) }]);
  });
});

describe('header rules', () => {
  it.each([
    ['Basic credentials', 'Basic bTJtOm0ybS1zZWNyZXQ='],
    ['an application key', 'AppKey c2VjcmV0'],
    ['"Bearer" without a token', 'Bearer'],
    ['a Bearer token with a space inside', 'Bearer abc def'],
    ['a Bearer token with a quote', 'Bearer "abc"'],
  ])('refuses %s in Authorization with 400 invalid_authorization', async (_name, authorization) => {
    const response = await fetch(`${proxy.url}/celonis/api/items`, { headers: { Authorization: authorization }, signal: AbortSignal.timeout(10_000) });
    await expectProxyError(response, 400, 'invalid_authorization');
  });

  it('refuses two Authorization headers with 400 invalid_authorization', async () => {
    // Written as two lines, which fetch would join into one value itself.
    const answer = await rawRequest(proxy.port, 'GET /celonis/api/items HTTP/1.1\r\nAuthorization: Bearer a', { Authorization: 'Bearer b' });
    expect([answer.status, JSON.parse(answer.body)]).toEqual([400, { error: 'invalid_authorization', error_description: expect.any(String) }]);
  });

  it.each(['PROPFIND', 'LOCK'])('refuses the method %s with 405 method_not_allowed and Allow', async (method) => {
    const response = await fetch(`${proxy.url}/celonis/api/items`, { method, signal: AbortSignal.timeout(10_000) });
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
    await expectProxyError(response, 405, 'method_not_allowed');
  });
});

describe('cross-site requests', () => {
  const cases: { name: string; headers: Record<string, string>; error: string }[] = [
    { name: 'a foreign Origin', headers: { Origin: 'https://evil.example' }, error: 'origin_not_allowed' },
    { name: 'another port of the app host', headers: { Origin: 'http://localhost:5174' }, error: 'origin_not_allowed' },
    { name: 'another scheme', headers: { Origin: 'https://localhost:5173' }, error: 'origin_not_allowed' },
    { name: 'an opaque Origin', headers: { Origin: 'null' }, error: 'origin_not_allowed' },
    { name: 'Sec-Fetch-Site: cross-site without Origin', headers: { 'Sec-Fetch-Site': 'cross-site' }, error: 'cross_site_request' },
    { name: 'Sec-Fetch-Site: cross-site with an allowed Origin', headers: { 'Sec-Fetch-Site': 'cross-site', Origin: SPA_ORIGIN }, error: 'cross_site_request' },
    { name: 'Sec-Fetch-Site: same-site without Origin', headers: { 'Sec-Fetch-Site': 'same-site' }, error: 'cross_site_request' },
    {
      name: 'Sec-Fetch-Site: same-site from a foreign Origin',
      headers: { 'Sec-Fetch-Site': 'same-site', Origin: 'http://evil.localhost' },
      error: 'origin_not_allowed',
    },
    { name: 'an unknown Sec-Fetch-Site', headers: { 'Sec-Fetch-Site': 'cross-origin' }, error: 'cross_site_request' },
  ];

  it.each(cases)('refuses $name with 403 $error, for GET, POST and preflight alike', async ({ headers, error }) => {
    for (const method of ['GET', 'POST', 'OPTIONS']) {
      const extra: Record<string, string> = method === 'OPTIONS' ? { 'Access-Control-Request-Method': 'POST' } : {};
      const response = await fetch(`${proxy.url}/celonis/api/items`, {
        method,
        headers: { ...headers, ...extra, Authorization: 'Bearer abc' },
        ...(method === 'POST' ? { body: '{}' } : {}),
        signal: AbortSignal.timeout(10_000),
      });
      await expectProxyError(response, 403, error);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('answers a preflight from an allowed origin itself, without forwarding it', async () => {
    const response = await fetch(`${proxy.url}/celonis/api/items`, {
      method: 'OPTIONS',
      headers: { Origin: SPA_ORIGIN, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'authorization, content-type' },
      signal: AbortSignal.timeout(10_000),
    });
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'access-control-allow-origin': SPA_ORIGIN,
      'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
      'access-control-allow-headers': 'Authorization, Content-Type',
      vary: 'Origin',
    });
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it.each([
    ['no Origin and no Sec-Fetch-Site (curl)', {}],
    ['Sec-Fetch-Site: same-origin without Origin (a same-origin GET)', { 'Sec-Fetch-Site': 'same-origin' }],
    ['Sec-Fetch-Site: same-origin with the app origin (a same-origin POST)', { 'Sec-Fetch-Site': 'same-origin', Origin: SPA_ORIGIN }],
    ['Sec-Fetch-Site: same-site with an allowed Origin', { 'Sec-Fetch-Site': 'same-site', Origin: SPA_ORIGIN }],
    ['Sec-Fetch-Site: none (a typed URL)', { 'Sec-Fetch-Site': 'none' }],
  ])('forwards %s', async (_name, headers) => {
    const response = await fetch(`${proxy.url}/celonis/api/items`, { headers, signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(200);
    expect(upstream.seen).toHaveLength(1);
    upstream.seen.length = 0;
  });
});

describe('page loads and requests no web Request can hold', () => {
  it.each([
    ['a typed-URL navigation', { 'Sec-Fetch-Site': 'none', 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document', 'Sec-Fetch-User': '?1' }],
    ['a same-origin navigation', { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' }],
    ['an iframe', { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'iframe' }],
    ['a script tag', { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Dest': 'script' }],
    ['a service worker registration', { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'same-origin', 'Sec-Fetch-Dest': 'serviceworker' }],
  ])('refuses %s with 403 navigation_refused', async (_name, headers) => {
    const answer = await rawRequest(proxy.port, 'GET /celonis/any/page HTTP/1.1', headers);
    expect([answer.status, JSON.parse(answer.body)]).toEqual([403, { error: 'navigation_refused', error_description: expect.any(String) }]);
    expect(answer.headers).toContain('cache-control: no-store');
  });

  it('lets fetch() through: Sec-Fetch-Mode cors, Sec-Fetch-Dest empty', async () => {
    const answer = await rawRequest(proxy.port, 'GET /celonis/api/items HTTP/1.1', {
      'Sec-Fetch-Site': 'same-origin',
      'Sec-Fetch-Mode': 'cors',
      'Sec-Fetch-Dest': 'empty',
    });
    expect(answer.status).toBe(200);
    upstream.seen.length = 0;
  });

  // CONNECT never reaches a request listener (node:http emits 'connect'); the adapter refuses it all the same.
  it.each(['TRACE /celonis/x HTTP/1.1', 'TRACE //[ HTTP/1.1'])('answers %s with 405 method_not_allowed and Allow', async (line) => {
    const answer = await rawRequest(proxy.port, line);
    expect([answer.status, JSON.parse(answer.body)]).toEqual([405, { error: 'method_not_allowed', error_description: expect.any(String) }]);
    expect(answer.headers).toMatch(/\r\nallow: get, head, post, put, patch, delete, options/);
    expect(answer.headers).toContain('cache-control: no-store');
  });

  it.each(['//[', '//a:b', '//[::1/celonis/x'])('answers the target %s with 400 invalid_path', async (target) => {
    const answer = await rawRequest(proxy.port, `GET ${target} HTTP/1.1`);
    expect([answer.status, JSON.parse(answer.body)]).toEqual([400, { error: 'invalid_path', error_description: expect.any(String) }]);
    expect(answer.headers).toContain('cache-control: no-store');
  });
});
