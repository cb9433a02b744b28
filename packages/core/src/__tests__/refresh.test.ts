import { describe, expect, it } from 'vitest';
import {
  fakeBroadcastHub,
  form,
  json,
  messagesOf,
  oauthError,
  rejection,
  type Responder,
  rotating,
  runTimersFor,
  TOKEN_ENDPOINT,
  tokenResponse,
} from '@celonis-auth/test-utils';
import { createMemoryStorage } from '../platform/memoryStorage.js';
import { isCelonisAuthError, type CelonisAuthErrorCode } from '../protocol/celonisAuthError.js';
import { sessionKey, signedIn } from './signIn.js';

const SECRETS = ['access-1', 'access-2', 'refresh-1', 'refresh-2'];

describe('getAccessToken while the token is valid', () => {
  it('returns the stored token without any request', async () => {
    const { auth, requests } = await signedIn();
    await expect(auth.getAccessToken()).resolves.toBe('access-1');
    await expect(auth.getAccessToken({ minValiditySeconds: 600 })).resolves.toBe('access-1');
    expect(requests).toHaveLength(0);
  });

  it.each([
    { remainingMs: 5_001, minValiditySeconds: undefined, refreshes: false },
    { remainingMs: 5_000, minValiditySeconds: undefined, refreshes: true },
    { remainingMs: 60_001, minValiditySeconds: 60, refreshes: false },
    { remainingMs: 60_000, minValiditySeconds: 60, refreshes: true },
    { remainingMs: 1, minValiditySeconds: 0, refreshes: false },
    { remainingMs: 0, minValiditySeconds: 0, refreshes: true },
  ])('with $remainingMs ms left and minValiditySeconds $minValiditySeconds: refreshes = $refreshes', async ({ remainingMs, minValiditySeconds, refreshes }) => {
    const { auth, clock, expiresAt, requests } = await signedIn();
    clock.set(expiresAt - remainingMs);
    const token = await auth.getAccessToken(minValiditySeconds === undefined ? {} : { minValiditySeconds });
    expect(token).toBe(refreshes ? 'access-2' : 'access-1');
    expect(requests).toHaveLength(refreshes ? 1 : 0);
  });

  it('refreshes with forceRefresh even though the token is valid', async () => {
    const { auth, requests } = await signedIn();
    await expect(auth.getAccessToken({ forceRefresh: true })).resolves.toBe('access-2');
    expect(requests).toHaveLength(1);
    await expect(auth.getAccessToken()).resolves.toBe('access-2');
    expect(requests).toHaveLength(1);
  });
});

describe('single-flight refresh', () => {
  it('sends one token request for 100 concurrent callers of an expired token, and all get the new token', async () => {
    const { auth, clock, expiresAt, requests } = await signedIn();
    clock.set(expiresAt + 1);
    const tokens = await Promise.all(Array.from({ length: 100 }, () => auth.getAccessToken()));
    expect(new Set(tokens)).toEqual(new Set(['access-2']));
    expect(requests).toHaveLength(1);
  });

  it('joins refresh() and getAccessToken({ forceRefresh }) into the refresh under way', async () => {
    const { auth, requests } = await signedIn();
    const tokens = await Promise.all([auth.refresh(), auth.getAccessToken({ forceRefresh: true }), auth.refresh()]);
    expect(tokens).toEqual(['access-2', 'access-2', 'access-2']);
    expect(requests).toHaveLength(1);
  });

  it('starts a new refresh once the previous one has finished', async () => {
    const { auth, requests } = await signedIn();
    await auth.refresh();
    await expect(auth.refresh()).resolves.toBe('access-3');
    expect(requests).toHaveLength(2);
  });
});

describe('the refresh request', () => {
  it('is a urlencoded POST to the token endpoint with grant_type, the current refresh token and client_id', async () => {
    const { auth, requests } = await signedIn();
    await auth.refresh();
    const [request] = requests;
    expect(request).toMatchObject({ url: TOKEN_ENDPOINT, method: 'POST' });
    expect(request!.headers.get('Content-Type')).toBe('application/x-www-form-urlencoded');
    expect(request!.headers.get('Authorization')).toBeNull();
    expect(form(request!)).toEqual({ grant_type: 'refresh_token', refresh_token: 'refresh-1', client_id: 'my-portal' });
  });

  it('uses each rotated refresh token exactly once, and the old ones never again', async () => {
    const storage = createMemoryStorage();
    const { auth, requests } = await signedIn({ config: { storage } });
    for (let i = 0; i < 3; i += 1) await auth.refresh();
    expect(requests.map((r) => form(r).refresh_token)).toEqual(['refresh-1', 'refresh-2', 'refresh-3']);
    expect(auth.store.getState().accessToken).toBe('access-4');
    expect(JSON.parse(storage.getItem(sessionKey())!)).toMatchObject({ accessToken: 'access-4', refreshToken: 'refresh-4' });
  });

  it('keeps the refresh token when the response has none (RFC 6749 §6)', async () => {
    const storage = createMemoryStorage();
    const { auth, requests } = await signedIn({
      config: { storage },
      respond: (request, i) => (i === 0 ? tokenResponse(2, { refresh_token: undefined }) : rotating(request, i)),
    });
    await expect(auth.refresh()).resolves.toBe('access-2');
    expect(JSON.parse(storage.getItem(sessionKey())!)).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-1' });
    await auth.refresh();
    expect(requests.map((r) => form(r).refresh_token)).toEqual(['refresh-1', 'refresh-1']);
  });
});

describe('a rejected refresh token (invalid_grant)', () => {
  async function rejectedSession() {
    const storage = createMemoryStorage();
    const hub = fakeBroadcastHub();
    const client = await signedIn({
      config: { storage },
      deps: { broadcast: hub.open },
      respond: () => oauthError('invalid_grant', 400, 'refresh-1 was revoked'),
    });
    client.auth.start();
    return { ...client, storage, hub };
  }

  it('rejects with session_expired carrying the OAuth error', async () => {
    const { auth } = await rejectedSession();
    const error = await rejection(auth.refresh());
    expect(error).toMatchObject({ code: 'session_expired', oauthError: 'invalid_grant', status: 400 });
  });

  it('signs out with that error, clears storage and tells the other tabs', async () => {
    const { auth, storage, hub } = await rejectedSession();
    const error = await rejection(auth.getAccessToken({ forceRefresh: true }));
    expect(auth.store.getState()).toMatchObject({ status: 'signedOut', accessToken: null, scopes: [] });
    expect(auth.store.getState().error).toBe(error);
    expect(storage.getItem(sessionKey())).toBeNull();
    expect(hub.sent).toContainEqual({ type: 'signedOut', sessionId: expect.any(String) });
  });

  it('sends no further token request, even after the timers ran for an hour', async () => {
    const { auth, timers, requests } = await rejectedSession();
    await rejection(auth.refresh());
    await runTimersFor(timers, 3_600_000, 10_000);
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
    expect(requests).toHaveLength(1);
  });
});

describe('a refresh that fails for a while keeps the session', () => {
  const failures: { name: string; fail: () => Response | Promise<Response>; code: CelonisAuthErrorCode; status?: number }[] = [
    { name: 'HTTP 503', fail: () => json({}, 503), code: 'server_unavailable', status: 503 },
    { name: 'HTTP 429', fail: () => json({ error: 'slow_down' }, 429), code: 'server_unavailable', status: 429 },
    { name: 'HTTP 500 with an HTML body', fail: () => new Response('<h1>down</h1>', { status: 500 }), code: 'server_unavailable', status: 500 },
    { name: 'a network failure', fail: () => Promise.reject(new TypeError('fetch failed')), code: 'token_endpoint_unreachable' },
    { name: 'an OAuth error other than invalid_grant', fail: () => oauthError('invalid_client', 401), code: 'token_error', status: 401 },
    { name: 'a malformed token response', fail: () => json({ access_token: 'access-2', token_type: 'mac', expires_in: 899 }), code: 'invalid_token_response' },
  ];

  function flaky(fail: () => Response | Promise<Response>) {
    const server = { failing: true };
    const respond: Responder = (request, i) => (server.failing ? fail() : rotating(request, i));
    return { server, respond };
  }

  it.each(failures)('$name: rejects with $code; authenticated with the error while the token is valid', async ({ fail, code, status }) => {
    const storage = createMemoryStorage();
    const { respond } = flaky(fail);
    const { auth, requests } = await signedIn({ config: { storage }, respond });
    const error = await rejection(auth.getAccessToken({ forceRefresh: true }));
    expect(error).toMatchObject({ code, status });
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-1', error });
    await expect(auth.getAccessToken()).resolves.toBe('access-1');
    expect(requests).toHaveLength(1);
    expect(JSON.parse(storage.getItem(sessionKey())!)).toMatchObject({ accessToken: 'access-1', refreshToken: 'refresh-1' });
  });

  it.each(failures)('$name: expired once past expiresAt, and the next refresh recovers with the same refresh token', async ({ fail, code }) => {
    const { server, respond } = flaky(fail);
    const { auth, clock, expiresAt, requests } = await signedIn({ respond });
    clock.set(expiresAt);
    const error = await rejection(auth.getAccessToken());
    expect(error).toMatchObject({ code });
    expect(auth.store.getState()).toMatchObject({ status: 'expired', accessToken: null, expiresAt, scopes: ['studio'], error });
    server.failing = false;
    await expect(auth.getAccessToken()).resolves.toBe('access-3');
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-3', error: null });
    expect(requests.map((r) => form(r).refresh_token)).toEqual(['refresh-1', 'refresh-1']);
  });

  it('carries Retry-After as retryAfterSeconds', async () => {
    const { auth } = await signedIn({ respond: () => json({}, 503, { 'Retry-After': '7' }) });
    await expect(auth.refresh()).rejects.toMatchObject({ code: 'server_unavailable', retryAfterSeconds: 7 });
  });
});

describe('granted scopes on refresh', () => {
  it.each([
    { answered: 'studio', expected: ['studio'] },
    { answered: 'studio audit.log:read', expected: ['studio', 'audit.log:read'] },
    { answered: undefined, expected: ['studio', 'audit.log:read'] },
  ])('scope $answered gives the store the scopes $expected', async ({ answered, expected }) => {
    const { auth } = await signedIn({
      config: { scopes: ['studio', 'audit.log:read'] },
      signInResponse: () => tokenResponse(1, { scope: 'studio audit.log:read' }),
      respond: () => tokenResponse(2, { scope: answered }),
    });
    expect(auth.hasScopes(['audit.log:read'])).toBe(true);
    await auth.refresh();
    expect(auth.store.getState().scopes).toEqual(expected);
    expect(auth.hasScopes(['audit.log:read'])).toBe(expected.includes('audit.log:read'));
  });
});

describe('secrets in errors', () => {
  it.each([
    { name: 'invalid_grant echoing the refresh token', respond: () => oauthError('invalid_grant', 400, 'refresh-1 is revoked; access-1 too') },
    { name: 'invalid_client', respond: () => oauthError('invalid_client', 401, 'refresh-1') },
    { name: 'HTTP 503', respond: () => json({ error_description: 'refresh-1' }, 503) },
    { name: 'a network failure', respond: () => Promise.reject(new TypeError('fetch failed')) },
    { name: 'a malformed token response', respond: () => json({ access_token: 'access-2', refresh_token: 'refresh-2', token_type: 'mac', expires_in: 1 }) },
    { name: 'a non-string refresh token', respond: () => json({ access_token: 'access-2', refresh_token: 42, token_type: 'Bearer', expires_in: 1 }) },
    { name: 'a negative expires_in', respond: () => json({ access_token: 'access-2', refresh_token: 'refresh-2', token_type: 'Bearer', expires_in: -1 }) },
  ])('$name: no token in the message of the error or its causes', async ({ respond }) => {
    const { auth } = await signedIn({ respond });
    const error = await rejection(auth.refresh());
    expect(isCelonisAuthError(error)).toBe(true);
    const messages = messagesOf(error) + messagesOf(auth.store.getState().error);
    for (const secret of SECRETS) expect(messages).not.toContain(secret);
  });
});
