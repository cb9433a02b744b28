// The router-agnostic rule behind both guards: edges no router test reaches directly.
import { describe, expect, it } from 'vitest';
import { CodedTypeError, type CelonisAuth } from '@celonis-auth/core';
import { checkCelonisRouteAccess } from '../../router/celonisRouteAccess.js';
import { createTestCelonisAuth, type TestAuthOptions, type TestCelonisAuth } from '../../testing/index.js';

/** The test client with its store's live subscriptions counted. */
function counted(session: TestAuthOptions) {
  const test = createTestCelonisAuth(session);
  let listeners = 0;
  const store: CelonisAuth['store'] = {
    ...test.store,
    subscribe(listener) {
      listeners += 1;
      const unsubscribe = test.store.subscribe(listener);
      return () => {
        listeners -= 1;
        unsubscribe();
      };
    },
  };
  const auth: CelonisAuth = { ...test, store };
  return { test, auth, listeners: () => listeners };
}

const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('checkCelonisRouteAccess', () => {
  it('a cancelled navigation stops waiting: it rejects with the signal’s reason and leaves no listener behind', async () => {
    const { test, auth, listeners } = counted({ status: 'handlingCallback' });
    const controller = new AbortController();
    const access = checkCelonisRouteAccess(auth, { url: '/audit', signal: controller.signal });
    await flush();
    expect(listeners()).toBe(1);
    controller.abort(new DOMException('navigation cancelled', 'AbortError'));
    await expect(access).rejects.toMatchObject({ name: 'AbortError' });
    expect(listeners()).toBe(0);
    test.setSession({ scopes: ['studio'] });
    expect(test.loginCalls).toEqual([]);
  });

  it('an already aborted signal rejects at once, without subscribing', async () => {
    const { auth, listeners } = counted({ status: 'redirecting' });
    await expect(checkCelonisRouteAccess(auth, { url: '/audit', signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(listeners()).toBe(0);
  });

  it('the wait ends with the sign-in: its listener is removed', async () => {
    const { test, auth, listeners } = counted({ status: 'handlingCallback' });
    const access = checkCelonisRouteAccess(auth, { url: '/audit', scopes: ['studio'] });
    test.setSession({ scopes: ['studio'] });
    await expect(access).resolves.toMatchObject({ status: 'granted', missingScopes: [], error: null });
    expect(listeners()).toBe(0);
  });

  it.each<{ name: string; url: string | URL; returnTo: string }>([
    { name: 'an absolute URL: path, query and fragment', url: 'https://app.test/reports?id=1#top', returnTo: '/reports?id=1#top' },
    { name: 'a URL object', url: new URL('https://app.test/a/b?c=d'), returnTo: '/a/b?c=d' },
    { name: 'a path', url: '/reports', returnTo: '/reports' },
    { name: 'another origin: only its path is kept', url: 'https://evil.example/steal?x=1', returnTo: '/steal?x=1' },
  ])('returnTo from $name', async ({ url, returnTo }) => {
    const auth = createTestCelonisAuth({ status: 'signedOut' });
    void checkCelonisRouteAccess(auth, { url });
    await flush();
    expect(auth.loginCalls).toEqual([{ returnTo, replace: true }]);
  });

  it.each<{ name: string; session: TestAuthOptions; signIn?: boolean; status: string; logins: number }>([
    { name: 'signIn: false, signed out', session: { status: 'signedOut' }, signIn: false, status: 'signedOut', logins: 0 },
    { name: 'signIn: false, signed in', session: { scopes: ['studio'] }, signIn: false, status: 'granted', logins: 0 },
    { name: 'no scopes required, any session', session: { scopes: [] }, status: 'granted', logins: 0 },
  ])('$name → $status', async ({ session, signIn, status, logins }) => {
    const auth = createTestCelonisAuth(session);
    const access = await checkCelonisRouteAccess(auth, { url: '/reports', ...(signIn === undefined ? {} : { signIn }) });
    expect(access.status).toBe(status);
    expect(auth.loginCalls).toHaveLength(logins);
  });

  it('a client without a redirect URI (backend-for-frontend) has no callback route: /callback is guarded like any path', async () => {
    const test = createTestCelonisAuth({ status: 'signedOut' });
    const { redirectUri: _none, ...config } = test.config;
    const auth = { ...test, config } as unknown as CelonisAuth;
    void checkCelonisRouteAccess(auth, { url: '/callback' });
    await flush();
    expect(test.loginCalls).toEqual([{ returnTo: '/callback', replace: true }]);
  });

  it('the redirect URI’s path is never guarded, whatever its query', async () => {
    const auth = createTestCelonisAuth({ status: 'signedOut' });
    for (const url of ['/callback', '/callback?code=c&state=s', '/callback?error=access_denied']) {
      await expect(checkCelonisRouteAccess(auth, { url, scopes: ['studio'] })).resolves.toMatchObject({ status: 'callback' });
    }
    expect(auth.loginCalls).toEqual([]);
  });

  it('an argument error from login() is thrown, not turned into signedOut', async () => {
    const test: TestCelonisAuth = createTestCelonisAuth({ status: 'signedOut' });
    const refused = new CodedTypeError('returnTo must be on this origin', 'invalid_return_to');
    const auth: CelonisAuth = { ...test, login: () => Promise.reject(refused) };
    await expect(checkCelonisRouteAccess(auth, { url: '/reports' })).rejects.toBe(refused);
  });
});
