import { beforeEach, describe, expect, test } from 'vitest';
import { pageCode, useBffHarness, type BffHarness, type Browser } from './bffSupport.js';

let h: BffHarness;
let browser: Browser;
useBffHarness((harness) => (h = harness), { signedIn: (signedIn) => (browser = signedIn) });
// Each test counts only the requests it makes itself, not the sign-in's.
beforeEach(() => h.emulator.clearRequests());

const error = (body: string) => (JSON.parse(body) as { error: string }).error;

describe('CSRF and cross-site refusals of proxied calls: 403 before anything is sent', () => {
  const same = () => ({ Origin: h.origin, 'Sec-Fetch-Site': 'same-origin' });
  const CASES: { name: string; headers: () => Record<string, string>; status: number; error: string }[] = [
    { name: 'no X-Celonis-Auth header', headers: same, status: 403, error: 'csrf_header_required' },
    { name: 'X-Celonis-Auth: 0', headers: () => ({ ...same(), 'X-Celonis-Auth': '0' }), status: 403, error: 'csrf_header_required' },
    { name: 'a foreign Origin', headers: () => ({ 'X-Celonis-Auth': '1', Origin: 'https://evil.example' }), status: 403, error: 'origin_not_allowed' },
    { name: 'an opaque Origin (null)', headers: () => ({ 'X-Celonis-Auth': '1', Origin: 'null' }), status: 403, error: 'origin_not_allowed' },
    {
      name: 'Sec-Fetch-Site: cross-site',
      headers: () => ({ 'X-Celonis-Auth': '1', 'Sec-Fetch-Site': 'cross-site' }),
      status: 403,
      error: 'cross_site_request',
    },
    {
      name: 'Sec-Fetch-Site: same-site, even with an allowed Origin',
      headers: () => ({ 'X-Celonis-Auth': '1', Origin: h.origin, 'Sec-Fetch-Site': 'same-site' }),
      status: 403,
      error: 'cross_site_request',
    },
    {
      name: "the browser's own Authorization header",
      headers: () => ({ ...same(), 'X-Celonis-Auth': '1', Authorization: 'Bearer x.y.z' }),
      status: 400,
      error: 'invalid_authorization',
    },
  ];

  test.each(CASES)('$name', async ({ headers, status, error: code }) => {
    const answer = await browser.request('/celonis/api/me', { headers: headers() });
    expect({ status: answer.status, error: error(answer.body) }).toEqual({ status, error: code });
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(h.emulator.requests()).toEqual([]);
  });

  test('a request with the header and neither Origin nor Sec-Fetch-Site (an old browser, curl) passes', async () => {
    const answer = await browser.request('/celonis/api/me', { headers: { 'X-Celonis-Auth': '1' } });
    expect(answer.status).toBe(200);
  });

  test.each([
    ['no header', { Origin: 'ORIGIN', 'Sec-Fetch-Site': 'same-origin' }, 'csrf_header_required'],
    ['a foreign Origin', { 'X-Celonis-Auth': '1', Origin: 'https://evil.example' }, 'origin_not_allowed'],
    ['Sec-Fetch-Site: cross-site', { 'X-Celonis-Auth': '1', 'Sec-Fetch-Site': 'cross-site' }, 'cross_site_request'],
  ])('logout with %s is refused and the session stays', async (_name, headers: Record<string, string>, code) => {
    const given = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v === 'ORIGIN' ? h.origin : v]));
    const answer = await browser.request('/auth/logout', { method: 'POST', headers: given });
    expect({ status: answer.status, error: error(answer.body) }).toEqual({ status: 403, error: code });
    expect(answer.setCookies).toEqual([]);
    expect(JSON.parse((await browser.request('/auth/session')).body)).toMatchObject({ status: 'authenticated' });
  });
});

describe('what goes upstream', () => {
  test('the session token in Authorization; no cookie, no X-Celonis-Auth, no Origin', async () => {
    const seen: Headers[] = [];
    h.intercept = (url, init) => {
      if (url.includes('/api/me')) seen.push(new Headers(init?.headers));
      return undefined;
    };
    try {
      await browser.api('/celonis/api/me', { headers: { 'X-Custom': 'kept' } });
    } finally {
      h.intercept = undefined;
    }
    const [headers] = seen;
    expect(headers?.get('authorization')).toMatch(/^Bearer eyJ/);
    expect([...h.tokens]).toContain(headers?.get('authorization')?.slice(7));
    expect(['cookie', 'x-celonis-auth', 'origin', 'sec-fetch-site'].filter((name) => headers?.has(name))).toEqual([]);
    expect(headers?.get('x-custom')).toBe('kept');
  });

  test.each([
    ['/celonis/../auth/session', 400, 'invalid_path'],
    ['/celonis/%2e%2e/x', 400, 'invalid_path'],
    ['/auth/nothing', 404, 'not_found'],
  ])('%s is refused (%i %s)', async (path, status, code) => {
    const { rawRequest } = await import('../../__tests__/apiProxySupport.js');
    const cookie = `celonis-auth=${browser.session()}`;
    const answer = await rawRequest(Number(new URL(h.origin).port), `GET ${path} HTTP/1.1`, { 'X-Celonis-Auth': '1', Cookie: cookie });
    expect({ status: answer.status, error: error(answer.body) }).toEqual({ status, error: code });
    h.seen.push(answer.headers, answer.body);
  });

  test('an unreachable team: 502, and a log line without the query, the cookie or the token', async () => {
    h.intercept = (url) => (url.includes('/api/me') ? Promise.reject(new TypeError('fetch failed')) : undefined);
    try {
      const answer = await browser.api('/celonis/api/me?secret=query-value');
      expect({ status: answer.status, error: error(answer.body) }).toEqual({ status: 502, error: 'upstream_unreachable' });
    } finally {
      h.intercept = undefined;
    }
    expect(h.lines.at(-1)).toBe('celonis-auth API proxy: GET /celonis/api/me → 502 upstream_unreachable (TypeError)');
    expect(h.lines.join('\n')).not.toContain('query-value');
  });

  test('a method the proxy does not forward: 405 with Allow', async () => {
    // fetch refuses TRACE itself; the handler is asked directly.
    const direct = await h.bff(new Request(`${h.origin}/celonis/api/me`, { method: 'PROPFIND', headers: { 'X-Celonis-Auth': '1' } }));
    expect(direct.status).toBe(405);
    expect(direct.headers.get('allow')).toContain('GET');
  });
});

describe('login refusals: a 400 page, nothing stored, no cookie', () => {
  test.each([
    ['//evil.example', 'invalid_return_to'],
    ['/\\evil.example', 'invalid_return_to'],
    ['https://evil.example/', 'invalid_return_to'],
    ['javascript:alert(1)', 'invalid_return_to'],
    ['/ok\r\nSet-Cookie: x=1', 'invalid_return_to'],
    ['/tab\there', 'invalid_return_to'],
    ['relative/path', 'invalid_return_to'],
    [`/${'a'.repeat(2_048)}`, 'invalid_return_to'],
  ])('returnTo %j', async (returnTo, code) => {
    const fresh = h.browser();
    const answer = await fresh.request(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
    expect({ status: answer.status, code: pageCode(answer.body) }).toEqual({ status: 400, code });
    expect(answer.setCookies).toEqual([]);
    expect(answer.location).toBeNull();
  });

  test.each([
    ['returnTo=%2Fa&returnTo=%2Fb', 'invalid_return_to'],
    ['scopes=a%22b', 'invalid_scopes'],
    ['scopes=a&scopes=b', 'invalid_scopes'],
    [`scopes=${Array.from({ length: 51 }, (_, i) => `s${i}`).join('+')}`, 'invalid_scopes'],
  ])('%s', async (query, code) => {
    const answer = await h.browser().request(`/auth/login?${query}`);
    expect({ status: answer.status, code: pageCode(answer.body) }).toEqual({ status: 400, code });
  });

  test.each([
    ['/', '/'],
    ['/reports?id=1#top', '/reports?id=1#top'],
    ['/a/b%2Fc', '/a/b%2Fc'],
    ['/.//evil.example', '/evil.example'],
    ['/a/../b', '/b'],
    ['/straße?q=ü', '/stra%C3%9Fe?q=%C3%BC'],
  ])('returnTo %j comes back as %j', async (returnTo, location) => {
    const fresh = h.browser();
    const done = await h.signIn(fresh, { returnTo });
    expect(done.location).toBe(location);
  });

  test('wrong methods: 405 with Allow', async () => {
    const post = await h.browser().request('/auth/login', { method: 'POST' });
    const get = await browser.request('/auth/logout');
    expect([post.status, post.headers.get('allow'), get.status, get.headers.get('allow')]).toEqual([405, 'GET', 405, 'POST']);
  });
});
