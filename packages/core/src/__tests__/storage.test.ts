import { describe, expect, it } from 'vitest';
import { createCelonisAuth, isCelonisAuthError, type CelonisAuthConfig, type CelonisAuthErrorCode, type StorageLike } from '@celonis-auth/core';
import { callbackFor, fakeClock, fakeDeps, fakeFetch, flakyStorage, inspectableStorage, json, tokenResponse } from '@celonis-auth/test-utils';

const TEAM = 'https://acme.eu-1.celonis.cloud';
const PREFIX = `celonis-auth:v1:${TEAM}:my-portal:`;
const KEY = `${PREFIX}session`;
const NOW = fakeClock().now();
// A record of another client on the same storage: never ours to touch.
const OTHER_KEY = `celonis-auth:v1:${TEAM}:other-app:session`;
const OTHER_RECORD = JSON.stringify({ v: 1, sessionId: 'other', accessToken: 'other-access', refreshToken: null, expiresAt: NOW + 60_000, scopes: [] });

const base: CelonisAuthConfig = {
  teamUrl: TEAM,
  clientId: 'my-portal',
  redirectUri: 'http://localhost:5173/callback',
  scopes: ['studio'],
};

type Responder = Parameters<typeof fakeFetch>[0];

/** The token endpoint numbers its answers; any other URL is an API answering `{}`. */
const server: Responder = (request, index) => (request.url.endsWith('/oauth2/token') ? tokenResponse(index + 1) : json({}));

/**
 * A browser with one inspectable storage for login transactions and the session (as with
 * `storage: 'local'`), already holding an app's own key and another client's session.
 */
function browser(responder: Responder = server, sessionStorage?: StorageLike) {
  const shared = inspectableStorage({ 'app-setting': 'dark', [OTHER_KEY]: OTHER_RECORD });
  const fake = fakeDeps({ transactionStorage: shared.storage });
  const http = fakeFetch(responder);
  const deps = { ...fake.deps, fetch: http.fetch };
  const openPage = (config: Partial<CelonisAuthConfig> = {}) => createCelonisAuth({ ...base, storage: sessionStorage ?? shared.storage, deps, ...config });
  async function signIn(auth = openPage()) {
    await auth.login();
    fake.page.url = callbackFor(fake.page.navigations.at(-1) ?? '');
    await auth.handleRedirectCallback();
    expect(auth.store.getState().status).toBe('authenticated');
    return auth;
  }
  /** Operations on the session record since `from` (an index into the log). */
  const sessionOps = (from = 0) => shared.log.slice(from).filter((entry) => entry.key === KEY && entry.op !== 'get');
  return { ...fake, shared, requests: http.requests, openPage, signIn, sessionOps };
}

function record(changes: Record<string, unknown> = {}): string {
  return JSON.stringify({
    v: 1,
    sessionId: 'sid-1',
    accessToken: 'access-0',
    refreshToken: 'refresh-0',
    expiresAt: NOW + 600_000,
    scopes: ['studio'],
    ...changes,
  });
}

describe('the session record', () => {
  it('is one versioned record under celonis-auth:v1:<teamUrl>:<clientId>:session', async () => {
    const env = browser();
    await env.signIn();
    const state = new URL(env.page.navigations[0]!).searchParams.get('state');
    expect(JSON.parse(env.shared.items.get(KEY) ?? 'null')).toEqual({
      v: 1,
      sessionId: expect.stringMatching(/^[0-9a-f]{32}$/),
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expiresAt: NOW + 899_000,
      scopes: ['studio'],
      loginAt: NOW,
      rotation: 0,
      issuedAt: NOW,
      callbackState: state,
      returnTo: '/reports?id=1',
    });
    // The transaction was taken: the session is all that is left.
    expect(env.shared.libraryKeys().filter((k) => k.startsWith(PREFIX))).toEqual([KEY]);
  });

  it('encodes the client id in the key', async () => {
    const env = browser();
    const auth = env.openPage({ clientId: 'my portal/é' });
    await env.signIn(auth);
    expect(env.shared.items.has(`celonis-auth:v1:${TEAM}:my%20portal%2F%C3%A9:session`)).toBe(true);
  });

  it('keeps the sessions of different clients and teams apart', async () => {
    const env = browser();
    await env.signIn();
    expect(env.openPage({ clientId: 'other-app' }).store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'other-access' });
    expect(env.openPage({ teamUrl: 'https://beta.eu-1.celonis.cloud' }).store.getState().status).toBe('signedOut');
    expect(env.shared.items.get(OTHER_KEY)).toBe(OTHER_RECORD);
  });

  it('restores a valid record without network', async () => {
    const env = browser();
    env.shared.items.set(KEY, record());
    const auth = env.openPage();
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-0', expiresAt: NOW + 600_000, scopes: ['studio'] });
    await expect(auth.getAccessToken()).resolves.toBe('access-0');
    expect(env.requests).toEqual([]);
  });

  it('restores an expired record that can be refreshed as expired, and keeps it', () => {
    const env = browser();
    env.shared.items.set(KEY, record({ expiresAt: NOW - 1 }));
    expect(env.openPage().store.getState()).toMatchObject({ status: 'expired', accessToken: null });
    expect(env.shared.items.get(KEY)).toBe(record({ expiresAt: NOW - 1 }));
  });

  it.each([
    ['not JSON', '{"v":1,'],
    ['JSON null', 'null'],
    ['a JSON array', '[1]'],
    ['a JSON string', '"access-0"'],
    ['without version', JSON.stringify({ ...JSON.parse(record()), v: undefined })],
    ['a newer version', record({ v: 2 })],
    ['the version as a string', record({ v: '1' })],
    ['an empty access token', record({ accessToken: '' })],
    ['an access token that is not a string', record({ accessToken: 42 })],
    ['a refresh token that is a number', record({ refreshToken: 7 })],
    ['no session id', record({ sessionId: undefined })],
    ['expiresAt a string', record({ expiresAt: String(NOW + 600_000) })],
    ['expiresAt infinite', record().replace(/"expiresAt":\d+/, '"expiresAt":1e999')],
    ['scopes not an array', record({ scopes: 'studio' })],
    ['scopes with a number', record({ scopes: ['studio', 1] })],
  ])('treats a record that is %s as absent, and removes it', async (_, raw) => {
    const env = browser();
    env.shared.items.set(KEY, raw);
    const auth = env.openPage();
    expect(auth.store.getState()).toEqual({ status: 'signedOut', accessToken: null, scopes: [], expiresAt: null, error: null });
    expect(env.shared.items.has(KEY)).toBe(false);
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
    expect(env.requests).toEqual([]);
    expect(env.shared.items.get('app-setting')).toBe('dark');
    expect(env.shared.items.get(OTHER_KEY)).toBe(OTHER_RECORD);
  });
});

describe('keys of others', () => {
  it('are never read or written by login, callback, refresh, fetch, scheduling and logout', async () => {
    const env = browser();
    const auth = env.openPage();
    const stop = auth.start();
    await env.signIn(auth);
    await auth.refresh();
    await auth.getAccessToken({ forceRefresh: true });
    await auth.fetch('/intelligence/api/knowledge-models');
    env.timers.advance(900_000);
    await auth.login();
    auth.logout();
    stop();
    expect(env.requests.length).toBeGreaterThanOrEqual(4);
    expect(env.shared.log.filter((entry) => !entry.key.startsWith(PREFIX))).toEqual([]);
    expect(env.shared.items.get('app-setting')).toBe('dark');
    expect(env.shared.items.get(OTHER_KEY)).toBe(OTHER_RECORD);
  });
});

describe('storage that fails', () => {
  it.each([
    ['every access throws', { get: true, set: true, remove: true }],
    ['writing throws', { get: false, set: true, remove: false }],
    ['reading throws', { get: true, set: false, remove: false }],
    ['removing throws', { get: false, set: false, remove: true }],
  ])('falls back to memory with a warning when %s at construction, and still signs in and refreshes', async (_, failures) => {
    const flaky = flakyStorage();
    Object.assign(flaky.failures, failures);
    const env = browser(server, flaky.storage);
    const auth = env.openPage();
    expect(env.warnings).toEqual(['the custom storage is unavailable; keeping the session in memory for this page only']);
    await env.signIn(auth);
    await expect(auth.refresh()).resolves.toBe('access-2');
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' });
    await expect(auth.getAccessToken()).resolves.toBe('access-2');
    expect(flaky.base.getItem(KEY)).toBeNull();
  });

  it('keeps the session in memory with a warning when the storage fills up as a refresh is written, and uses the new tokens', async () => {
    const flaky = flakyStorage();
    const env = browser(server, flaky.storage);
    const auth = await env.signIn(env.openPage());
    expect(env.warnings).toEqual([]);
    flaky.failures.set = true;
    await expect(auth.refresh()).resolves.toBe('access-2');
    expect(env.warnings).toEqual(['session storage is full or unavailable; keeping the session in memory for this page only']);
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-2', error: null });
    await expect(auth.getAccessToken()).resolves.toBe('access-2');
    await auth.fetch('/intelligence/api/knowledge-models');
    expect(env.requests.at(-1)!.headers.get('Authorization')).toBe('Bearer access-2');
    // The rotated refresh token is the one used next.
    await expect(auth.refresh()).resolves.toBe('access-4');
    expect(new URLSearchParams(env.requests.at(-1)!.body).get('refresh_token')).toBe('refresh-2');
    // The old record (with a refresh token that rotation spent) does not outlive the fallback.
    expect(flaky.base.getItem(KEY)).toBeNull();
  });

  it('keeps the session when reading shared storage fails for a moment (it is not a sign-out in another tab)', async () => {
    const flaky = flakyStorage();
    const env = browser(server, flaky.storage);
    const auth = await env.signIn(env.openPage());
    flaky.failures.get = true;
    // forceRefresh re-reads shared storage first, to pick up another tab's refresh.
    await expect(auth.getAccessToken({ forceRefresh: true })).resolves.toBe('access-2');
    flaky.failures.get = false;
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' });
    expect(JSON.parse(flaky.base.getItem(KEY) ?? 'null')).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' });
  });
});

describe('refresh and the stored record', () => {
  it('writes access token, refresh token and expiry in one setItem per refresh', async () => {
    const env = browser();
    const auth = await env.signIn();
    for (const n of [2, 3]) {
      const from = env.shared.log.length;
      env.clock.advance(60_000);
      await auth.refresh();
      expect(env.sessionOps(from)).toEqual([{ op: 'set', key: KEY }]);
      expect(JSON.parse(env.shared.items.get(KEY) ?? 'null')).toMatchObject({
        accessToken: `access-${n}`,
        refreshToken: `refresh-${n}`,
        expiresAt: env.clock.now() + 899_000,
      });
    }
  });

  it('keeps the refresh token when the server does not rotate it', async () => {
    const env = browser((request, index) => (index === 0 ? tokenResponse(1) : tokenResponse(2, { refresh_token: undefined })));
    const auth = await env.signIn();
    await auth.refresh();
    expect(JSON.parse(env.shared.items.get(KEY) ?? 'null')).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-1' });
  });

  it.each<[string, () => Response, CelonisAuthErrorCode]>([
    ['503', () => new Response(null, { status: 503 }), 'server_unavailable'],
    ['a 200 that is not JSON', () => new Response('<html>', { status: 200 }), 'invalid_token_response'],
    ['a 200 without access_token', () => json({ token_type: 'Bearer', expires_in: 899 }), 'invalid_token_response'],
    ['a 200 with an empty refresh_token', () => tokenResponse(2, { refresh_token: '' }), 'invalid_token_response'],
    ['400 invalid_client', () => json({ error: 'invalid_client' }, 400), 'token_error'],
    [
      'a network error',
      () => {
        throw new TypeError('Failed to fetch');
      },
      'token_endpoint_unreachable',
    ],
  ])('writes nothing when the refresh gets %s: the record stays byte-identical', async (_, respond, code) => {
    const env = browser((request, index) => (index === 0 ? tokenResponse(1) : respond()));
    const auth = await env.signIn();
    const before = env.shared.items.get(KEY);
    const from = env.shared.log.length;
    const error = await auth.refresh().then(
      () => expect.unreachable('the refresh should fail'),
      (e: unknown) => e,
    );
    expect(isCelonisAuthError(error, code)).toBe(true);
    expect(env.shared.items.get(KEY)).toBe(before);
    expect(env.sessionOps(from)).toEqual([]);
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-1', error });
  });
});

describe('logout()', () => {
  it('removes the session and every login transaction, and nothing else', async () => {
    const env = browser();
    const auth = await env.signIn();
    await auth.login({ returnTo: '/a' });
    await auth.login({ returnTo: '/b' });
    const ours = () => env.shared.libraryKeys().filter((k) => k.startsWith(PREFIX));
    expect(ours()).toHaveLength(4);
    expect(ours()).toContain(`${PREFIX}tx:index`);
    auth.logout();
    expect(ours()).toEqual([]);
    expect(env.shared.items.get('app-setting')).toBe('dark');
    expect(env.shared.items.get(OTHER_KEY)).toBe(OTHER_RECORD);
    expect(auth.store.getState()).toEqual({ status: 'signedOut', accessToken: null, scopes: [], expiresAt: null, error: null });
  });

  it('removes every waiting login transaction, however many there are', async () => {
    const env = browser();
    const auth = env.openPage();
    for (let i = 0; i < 25; i += 1) await auth.login();
    auth.logout();
    expect(env.shared.libraryKeys().filter((k) => k.startsWith(PREFIX))).toEqual([]);
  });

  it('does nothing to other keys when signed out already', () => {
    const env = browser();
    const auth = env.openPage();
    const from = env.shared.log.length;
    auth.logout();
    expect(env.shared.log.slice(from).filter((entry) => !entry.key.startsWith(PREFIX))).toEqual([]);
    expect(env.shared.items.size).toBe(2);
  });
});
