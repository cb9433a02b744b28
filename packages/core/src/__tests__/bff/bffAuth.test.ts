import { describe, expect, it } from 'vitest';
import { fakeBroadcastHub, fakeDeps, json, rejection, settle } from '@celonis-auth/test-utils';
import { createCelonisBffAuth, type CelonisBffAuthConfig } from '../../bff/index.js';
import type { CelonisAuthDeps } from '../../platform/celonisAuthDeps.js';

// The page is http://localhost:5173 (fakeDeps); the BFF serves /auth/* and /celonis/* on it.
const ORIGIN = 'http://localhost:5173';
const SESSION = { status: 'authenticated', scopes: ['studio', 'audit.log:read'], expiresAt: 1_900_000_000_000 };

type Answer = (request: Request) => Response | Promise<Response>;

/** A BFF client whose fetch records every Request as sent and answers from `answer`. */
function bffClient(answer: Answer = () => json(SESSION), options: { config?: CelonisBffAuthConfig; deps?: Partial<CelonisAuthDeps> } = {}) {
  const fake = fakeDeps();
  const sent: Request[] = [];
  let wake: (() => void) | undefined;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    sent.push(request);
    return answer(request);
  };
  const onWake = (listener: () => void) => ((wake = listener), () => (wake = undefined));
  const auth = createCelonisBffAuth({ ...options.config, deps: { ...fake.deps, fetch, onWake, ...options.deps } });
  return { auth, sent, page: fake.page, wake: () => wake?.() };
}

describe('the session comes from the server', () => {
  it('waits in handlingCallback until {basePath}/session answers, then shows it without a token', async () => {
    const { auth, sent } = bffClient();
    expect(auth.store.getState().status).toBe('handlingCallback');
    auth.start();
    await settle();
    expect(auth.store.getState()).toEqual({ status: 'authenticated', accessToken: null, scopes: SESSION.scopes, expiresAt: SESSION.expiresAt, error: null });
    expect(sent.map((r) => [r.method, r.url, r.headers.get('X-Celonis-Auth'), r.credentials, r.cache])).toEqual([
      ['GET', `${ORIGIN}/auth/session`, '1', 'same-origin', 'no-store'],
    ]);
    expect(auth.hasScopes(['audit.log:read'])).toBe(true);
    expect(auth.config).toMatchObject({ mode: 'bff', teamUrl: ORIGIN, authorizationEndpoint: `${ORIGIN}/auth/login`, apiBaseUrl: `${ORIGIN}/celonis` });
  });

  it.each<[string, Answer, string | null]>([
    ['signed out', () => json({ status: 'signedOut', scopes: [], expiresAt: null }), null],
    ['a 503 with Retry-After', () => json({ error: 'store_unavailable' }, 503, { 'Retry-After': '2' }), 'server_unavailable'],
    ['a network failure', () => Promise.reject(new TypeError('Failed to fetch')), 'network_error'],
    ['HTML', () => new Response('<html>', { status: 200 }), 'invalid_token_response'],
    ['an unknown status', () => json({ status: 'maybe', scopes: [], expiresAt: null }), 'invalid_token_response'],
    ['scopes that are not strings', () => json({ ...SESSION, scopes: [1] }), 'invalid_token_response'],
    ['authenticated without expiresAt', () => json({ ...SESSION, expiresAt: null }), 'invalid_token_response'],
    ['a 404', () => json({ error: 'not_found' }, 404), 'invalid_token_response'],
  ])('at start, %s: signed out, with the error', async (_, answer, code) => {
    const { auth } = bffClient(answer);
    auth.start();
    await settle();
    expect(auth.store.getState()).toMatchObject({ status: 'signedOut', accessToken: null, error: code === null ? null : { code } });
  });

  it('keeps a session it has when a later read fails, and reads again when the page wakes', async () => {
    let failing = false;
    const { auth, wake, sent } = bffClient(() => (failing ? json({}, 503, { 'Retry-After': '3' }) : json(SESSION)));
    auth.start();
    await settle();
    failing = true;
    wake();
    await settle();
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', error: { code: 'server_unavailable', retryAfterSeconds: 3 } });
    failing = false;
    wake();
    await settle();
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', error: null });
    expect(sent).toHaveLength(3);
  });

  it('starts once however often start() is called, and stop() twice is harmless', async () => {
    const { auth, sent } = bffClient();
    const stopA = auth.start();
    const stopB = auth.start();
    await settle();
    stopA();
    stopA();
    expect(sent).toHaveLength(1);
    stopB();
  });
});

describe('login, tokens and callbacks', () => {
  it('navigates to the server login route with returnTo and the extra scopes', async () => {
    const { auth, page } = bffClient();
    await auth.login({ returnTo: '/audit?tab=2', scopes: ['audit.log:read'] });
    expect(page.navigations).toEqual([`${ORIGIN}/auth/login?returnTo=%2Faudit%3Ftab%3D2&scopes=audit.log%3Aread`]);
    expect(auth.store.getState().status).toBe('redirecting');
  });

  it('refuses a returnTo on another origin before going anywhere', () => {
    const { auth, page } = bffClient();
    expect(() => auth.login({ returnTo: 'https://evil.example/' })).toThrow(expect.objectContaining({ code: 'invalid_return_to' }));
    expect(page.navigations).toEqual([]);
  });

  it.each([
    ['getAccessToken()', (auth: ReturnType<typeof bffClient>['auth']) => auth.getAccessToken(), 'tokens_on_server'],
    ['refresh()', (auth: ReturnType<typeof bffClient>['auth']) => auth.refresh(), 'tokens_on_server'],
    ['handleRedirectCallback()', (auth: ReturnType<typeof bffClient>['auth']) => auth.handleRedirectCallback(), 'invalid_callback'],
  ])('%s rejects with %s: the server holds the tokens', async (_, call, code) => {
    const { auth } = bffClient();
    expect(await rejection(call(auth))).toMatchObject({ name: 'CelonisAuthError', code });
    expect(auth.isRedirectCallback(`${ORIGIN}/callback?code=c&state=s`)).toBe(false);
  });
});

describe('auth.fetch goes through the proxy', () => {
  it.each([
    ['a path', '/intelligence/api/x?limit=5', `${ORIGIN}/celonis/intelligence/api/x?limit=5`, true],
    ['a path without its slash', 'intelligence/api/x', `${ORIGIN}/celonis/intelligence/api/x`, true],
    ['an absolute URL under the proxy', `${ORIGIN}/celonis/audit-log/api/events`, `${ORIGIN}/celonis/audit-log/api/events`, true],
    ['a climb out of the proxy', '/../auth/logout', `${ORIGIN}/auth/logout`, false],
    ['another origin', 'https://elsewhere.example/celonis/x', 'https://elsewhere.example/celonis/x', false],
  ])('%s: %s', async (_, input, url, proxied) => {
    const { auth, sent } = bffClient(() => json({ ok: true }));
    await auth.fetch(input);
    expect(sent.map((r) => r.url)).toEqual([url]);
    expect(sent[0]!.headers.get('X-Celonis-Auth')).toBe(proxied ? '1' : null);
    if (proxied) expect(sent[0]!.credentials).toBe('same-origin');
  });

  it('a 401 session_expired from the proxy signs out every tab with that error', async () => {
    const hub = fakeBroadcastHub();
    const answer: Answer = (r) => (r.url.includes('/celonis/') ? json({ error: 'session_expired' }, 401) : json(SESSION));
    const one = bffClient(answer, { deps: { broadcast: hub.open } });
    const two = bffClient(answer, { deps: { broadcast: hub.open } });
    one.auth.start();
    two.auth.start();
    await settle();
    const response = await one.auth.fetch('/intelligence/api/x');
    expect(response.status).toBe(401);
    await settle();
    expect(one.auth.store.getState()).toMatchObject({ status: 'signedOut', error: { code: 'session_expired' } });
    expect(two.auth.store.getState()).toMatchObject({ status: 'signedOut', error: { code: 'session_expired' } });
  });
});

describe('logout', () => {
  it('posts the logout with the header, signs out here and in the other tabs, and goes to returnTo', async () => {
    const hub = fakeBroadcastHub();
    let signedIn = true;
    const answer: Answer = (r) => {
      if (r.url.endsWith('/auth/logout')) signedIn = false;
      return json(signedIn ? SESSION : { status: 'signedOut', scopes: [], expiresAt: null });
    };
    const one = bffClient(answer, { deps: { broadcast: hub.open } });
    const two = bffClient(answer, { deps: { broadcast: hub.open } });
    one.auth.start();
    two.auth.start();
    await settle();
    one.auth.logout({ returnTo: '/goodbye' });
    expect(one.auth.store.getState().status).toBe('signedOut');
    await settle();
    const post = one.sent.find((r) => r.method === 'POST')!;
    expect([post.url, post.headers.get('X-Celonis-Auth'), post.keepalive]).toEqual([`${ORIGIN}/auth/logout`, '1', true]);
    expect(one.page.navigations).toEqual(['/goodbye']);
    expect(two.auth.store.getState()).toMatchObject({ status: 'signedOut', error: null });
  });
});

describe('configuration', () => {
  it.each<[string, unknown, string]>([
    ['a basePath with a trailing slash', { basePath: '/auth/' }, 'invalid_endpoint'],
    ['a basePath that climbs', { basePath: '/a/../b' }, 'invalid_endpoint'],
    ['an absolute basePath', { basePath: 'https://evil.example/auth' }, 'invalid_endpoint'],
    ['an apiBasePath with a query', { apiBasePath: '/celonis?x' }, 'invalid_api_base_url'],
    ['a teamUrl that is no URL', { teamUrl: 'acme' }, 'invalid_team_url'],
    ['scopes that are no list', { scopes: 'studio' }, 'invalid_scopes'],
    ['options that are no object', 'auth', 'invalid_config'],
  ])('refuses %s', (_, config, code) => {
    const { deps } = fakeDeps();
    const withPage = typeof config === 'object' ? { ...config, deps } : config;
    expect(() => createCelonisBffAuth(withPage as CelonisBffAuthConfig)).toThrow(expect.objectContaining({ name: 'CodedTypeError', code }));
  });

  it('refuses to run outside a page', () => {
    const fake = fakeDeps();
    expect(() => createCelonisBffAuth({ deps: { ...fake.deps, currentUrl: () => '' } })).toThrow(expect.objectContaining({ code: 'invalid_config' }));
  });
});
