import { describe, expect, expectTypeOf, it } from 'vitest';
import { deferred, json, oauthError, rejection, type Responder, settle, tokenResponse } from '@celonis-auth/test-utils';
import type { AuthState } from '../session/authState.js';
import type { ReadonlyAuthStore } from '../session/authStore.js';
import type { ScopeMatchMode } from '../protocol/scopeTokens.js';
import { createMemoryStorage } from '../platform/memoryStorage.js';
import { sessionKey, signedIn, signIn, testClient } from './signIn.js';

describe('store transitions', () => {
  it('goes redirecting → handlingCallback → authenticated → refreshing → authenticated → signedOut', async () => {
    const { auth, page } = testClient();
    const statuses: string[] = [];
    auth.store.subscribe((state) => statuses.push(state.status));
    expect(auth.store.getState().status).toBe('signedOut');
    await signIn(auth, page);
    await auth.refresh();
    auth.logout();
    expect(statuses).toEqual(['redirecting', 'handlingCallback', 'authenticated', 'refreshing', 'authenticated', 'signedOut']);
  });

  it('keeps the usable token visible while refreshing', async () => {
    const answer = deferred<Response>();
    const { auth } = await signedIn({ respond: () => answer.promise });
    const refreshed = auth.refresh();
    expect(auth.store.getState()).toMatchObject({ status: 'refreshing', accessToken: 'access-1' });
    answer.resolve(tokenResponse(2));
    await refreshed;
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-2', error: null });
  });

  it('offers a read-only store in the public type', async () => {
    const { auth } = await signedIn();
    expectTypeOf(auth.store).toEqualTypeOf<ReadonlyAuthStore>();
    expectTypeOf(auth.store).not.toHaveProperty('setState');
    const write = () => {
      // @ts-expect-error the public store has no setState: only the core writes.
      auth.store.setState({ status: 'signedOut' });
    };
    expect(typeof write).toBe('function');
  });

  it('never holds a refresh token, in any state along the way', async () => {
    const refreshTokens = ['refresh-1', 'refresh-2', 'refresh-3'];
    const respond: Responder = (request, i) => (i === 0 ? tokenResponse(2) : i === 1 ? json({}, 503) : oauthError('invalid_grant', 400, 'revoked'));
    const { auth, page } = testClient({ respond });
    const states: AuthState[] = [auth.store.getState()];
    auth.store.subscribe((state) => states.push(state));
    await signIn(auth, page);
    await auth.refresh();
    await rejection(auth.refresh());
    await rejection(auth.refresh());
    expect(states.map((s) => s.status)).toContain('signedOut');
    for (const state of states) {
      const text = JSON.stringify(state);
      for (const token of refreshTokens) expect(text).not.toContain(token);
      expect(Object.keys(state)).not.toContain('refreshToken');
    }
  });
});

describe('hasScopes', () => {
  const granted = { config: { scopes: ['studio', 'audit.log:read'] as const }, signInResponse: () => tokenResponse(1, { scope: 'studio audit.log:read' }) };

  it.each<{ required: string[]; mode: ScopeMatchMode | undefined; expected: boolean }>([
    { required: ['studio'], mode: undefined, expected: true },
    { required: ['studio', 'audit.log:read'], mode: 'all', expected: true },
    { required: ['studio', 'machine-learning'], mode: 'all', expected: false },
    { required: ['studio', 'machine-learning'], mode: 'any', expected: true },
    { required: ['machine-learning'], mode: 'any', expected: false },
    { required: ['Studio'], mode: 'all', expected: false },
    { required: [], mode: 'all', expected: true },
    { required: [], mode: 'any', expected: true },
  ])('signed in with studio and audit.log:read: $required ($mode) is $expected', async ({ required, mode, expected }) => {
    const { auth } = await signedIn(granted);
    expect(mode === undefined ? auth.hasScopes(required) : auth.hasScopes(required, mode)).toBe(expected);
  });

  it.each<{ required: string[]; mode: ScopeMatchMode }>([
    { required: ['studio'], mode: 'all' },
    { required: ['studio'], mode: 'any' },
    { required: [], mode: 'all' },
    { required: [], mode: 'any' },
  ])('is false when signed out: $required ($mode)', async ({ required, mode }) => {
    const { auth } = await signedIn(granted);
    auth.logout();
    expect(auth.hasScopes(required, mode)).toBe(false);
  });

  it('is false while redirecting to sign in', async () => {
    const { auth } = testClient();
    await auth.login();
    expect(auth.store.getState().status).toBe('redirecting');
    expect(auth.hasScopes([])).toBe(false);
  });

  it('keeps the granted scopes while the token is expired and a refresh is pending', async () => {
    const { auth, clock, expiresAt } = await signedIn({ ...granted, respond: () => json({}, 503) });
    clock.set(expiresAt + 1);
    await rejection(auth.getAccessToken());
    expect(auth.store.getState().status).toBe('expired');
    expect(auth.hasScopes(['audit.log:read'])).toBe(true);
  });
});

describe('logout during a refresh', () => {
  /** Token endpoints that hold the refresh open: until answered late, or until the request is aborted. */
  const inFlight: { name: string; make: (lastSignal: () => AbortSignal | undefined) => { respond: Responder; finish: () => void } }[] = [
    {
      name: 'a response that arrives after the logout',
      make() {
        const answer = deferred<Response>();
        return { respond: () => answer.promise, finish: () => answer.resolve(tokenResponse(2)) };
      },
    },
    {
      name: 'a request that ends when its signal aborts',
      make: (lastSignal) => ({
        respond: () =>
          new Promise<Response>((_resolve, reject) => {
            const signal = lastSignal();
            if (!signal) return reject(new Error('the token request carries no abort signal'));
            signal.addEventListener('abort', () => reject(new DOMException('The operation was aborted', 'AbortError')));
          }),
        finish: () => undefined,
      }),
    },
  ];

  it.each(inFlight)('with $name: the refresh rejects with aborted and nothing is written afterwards', async ({ make }) => {
    const sent: { signals: (AbortSignal | undefined)[] } = { signals: [] };
    const endpoint = make(() => sent.signals.at(-1));
    const storage = createMemoryStorage();
    const client = await signedIn({ config: { storage }, respond: endpoint.respond });
    sent.signals = client.signals;
    client.auth.start();
    const refreshed = client.auth.refresh();
    await settle();
    expect(client.requests).toHaveLength(1);
    client.auth.logout();
    expect(client.signals[0]?.aborted).toBe(true);
    endpoint.finish();
    const error = await rejection(refreshed);
    expect(error).toMatchObject({ code: 'aborted' });
    await settle();
    expect(storage.getItem(sessionKey())).toBeNull();
    expect(client.auth.store.getState()).toMatchObject({ status: 'signedOut', accessToken: null, error: null });
    expect(client.timers.pending()).toEqual([]);
    expect(client.requests).toHaveLength(1);
    await expect(client.auth.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
  });

  it('sends no network request of its own', async () => {
    const { auth, requests } = await signedIn();
    auth.start();
    auth.logout();
    expect(requests).toEqual([]);
    expect(auth.store.getState().status).toBe('signedOut');
  });
});
