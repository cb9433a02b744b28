import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { isCelonisAuthError } from '@celonis-auth/core';
import { createClient, expectNoInvalidGrant, grants, PAST_EXPIRY_MS, REDIRECT_URI, signIn, storedSession } from './emulatorHarness.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('a session against the emulator', () => {
  it('signs in headlessly, calls an API, rotates the refresh token on every refresh and signs out without a request', async () => {
    const client = createClient(emulator);
    const { auth, tab, storage, clock } = client;

    await auth.login({ returnTo: '/reports?id=1' });
    expect(auth.store.getState().status).toBe('redirecting');
    tab.url = emulator.approve(tab.navigations[0]!, { username: 'analyst@example.com' });
    await expect(auth.handleRedirectCallback()).resolves.toEqual({ returnTo: '/reports?id=1' });
    expect(tab.url).toBe(REDIRECT_URI);
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', scopes: ['studio', 'intelligence.knowledge-models:read'], error: null });
    expect(grants(emulator, 'authorization_code')).toMatchObject([{ status: 200, clientId: 'dashboard', bodyEncoding: 'urlencoded' }]);

    const res = await auth.fetch('/intelligence/api/knowledge-models');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { content: unknown[] }).content).toHaveLength(3);

    const refreshTokens = [storedSession(storage, emulator)!.refreshToken];
    const accessTokens = [auth.store.getState().accessToken];
    for (let i = 0; i < 3; i += 1) {
      clock.advance(PAST_EXPIRY_MS);
      accessTokens.push(await auth.getAccessToken());
      refreshTokens.push(storedSession(storage, emulator)!.refreshToken);
    }
    // Every refresh rotated both tokens, and the store shows the newest.
    expect(new Set(accessTokens).size).toBe(4);
    expect(new Set(refreshTokens).size).toBe(4);
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: accessTokens[3] });
    // A rotated token sent again would be answered invalid_grant and revoke the family: none was.
    expect(grants(emulator, 'refresh_token').map((r) => [r.status, r.error])).toEqual([
      [200, undefined],
      [200, undefined],
      [200, undefined],
    ]);
    expectNoInvalidGrant(emulator);
    expect((await auth.fetch('/api/me')).status).toBe(200);

    const before = emulator.requests().length;
    auth.logout();
    expect(emulator.requests()).toHaveLength(before);
    expect(auth.store.getState()).toMatchObject({ status: 'signedOut', accessToken: null, scopes: [], error: null });
    expect(storedSession(storage, emulator)).toBeUndefined();
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });

    // The oracle above is live: the emulator does catch a replayed (already rotated) refresh token.
    const replay = await fetch(`${emulator.url}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshTokens[0]!, client_id: 'dashboard' }),
    });
    expect(replay.status).toBe(400);
    expect(emulator.requests().filter((r) => r.error === 'invalid_grant')).toHaveLength(1);
  });

  it('denied at consent: authorization_error access_denied, nothing stored and no token request', async () => {
    const { auth, tab, storage } = createClient(emulator);
    await auth.login();
    tab.url = emulator.approve(tab.navigations[0]!, { username: 'analyst@example.com', decision: 'deny' });
    const error: unknown = await auth.handleRedirectCallback().catch((e: unknown) => e);
    expect(isCelonisAuthError(error, 'authorization_error')).toBe(true);
    expect(error).toMatchObject({ code: 'authorization_error', oauthError: 'access_denied', oauthErrorDescription: 'The user denied the request.' });
    expect(auth.store.getState()).toMatchObject({ status: 'signedOut', accessToken: null, error: { code: 'authorization_error' } });
    // Neither a session nor the (spent) login transaction is left behind.
    expect(storage.keys()).toEqual([]);
    expect(tab.transactions.keys()).toEqual([]);
    expect(tab.url).toBe(REDIRECT_URI);
    expect(emulator.requests('token')).toEqual([]);
  });

  it('an API answering 401 invalid_token makes auth.fetch refresh once and retry once', async () => {
    const client = createClient(emulator);
    await signIn(client, emulator);
    const rejected = client.auth.store.getState().accessToken;
    // The emulator's token has expired, while the core's clock still thinks it valid.
    emulator.advanceClock(900);
    expect(client.auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: rejected });

    const res = await client.auth.fetch('/intelligence/api/knowledge-models');
    expect(res.status).toBe(200);
    expect(emulator.requests('api').map((r) => [r.status, r.error])).toEqual([
      [401, 'invalid_token'],
      [200, undefined],
    ]);
    expect(grants(emulator, 'refresh_token').map((r) => r.status)).toEqual([200]);
    expect(client.auth.store.getState().accessToken).not.toBe(rejected);
    expectNoInvalidGrant(emulator);
  });

  it('a second 401 after the retry is returned to the caller, with no further refresh', async () => {
    const client = createClient(emulator);
    await signIn(client, emulator);
    emulator.injectFault({
      endpoint: 'api',
      fault: { kind: 'status', status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
      count: 2,
    });
    const res = await client.auth.fetch('/api/me');
    expect(res.status).toBe(401);
    expect(emulator.requests('api')).toHaveLength(2);
    expect(grants(emulator, 'refresh_token')).toHaveLength(1);
  });
});
