import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorFault, type RunningEmulator } from '@celonis-auth/emulator';
import { isCelonisAuthError, type CelonisAuthErrorCode } from '@celonis-auth/core';
import { rejection } from '@celonis-auth/test-utils';
import { createClient, expectNoInvalidGrant, grants, PAST_EXPIRY_MS, signIn, storedSession, type TestClient } from './emulatorHarness.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

async function signedIn(): Promise<TestClient> {
  const client = createClient(emulator);
  await signIn(client, emulator);
  return client;
}

// Faults that leave the refresh token unspent: the session must survive them untouched.
const sessionKept: { name: string; fault: EmulatorFault; code: CelonisAuthErrorCode; status?: number; retryAfterSeconds?: number; logged: number }[] = [
  { name: '503', fault: { kind: 'status', status: 503 }, code: 'server_unavailable', status: 503, logged: 503 },
  {
    name: '429 with Retry-After: 3',
    fault: { kind: 'status', status: 429, retryAfterSeconds: 3 },
    code: 'server_unavailable',
    status: 429,
    retryAfterSeconds: 3,
    logged: 429,
  },
  { name: 'malformed JSON', fault: { kind: 'malformed-json' }, code: 'invalid_token_response', status: 200, logged: 200 },
  { name: 'a dropped connection', fault: { kind: 'drop' }, code: 'token_endpoint_unreachable', logged: 0 },
];

describe('faults at the token endpoint during a refresh', () => {
  it.each(sessionKept)(
    '$name after expiry: $code, the session is kept (expired) and the next refresh works',
    async ({ fault, code, status, retryAfterSeconds, logged }) => {
      const { auth, storage, clock } = await signedIn();
      const before = storedSession(storage, emulator)!;
      clock.advance(PAST_EXPIRY_MS);
      emulator.injectFault({ endpoint: 'token', fault });

      const error = await rejection(auth.getAccessToken());
      expect(isCelonisAuthError(error, code)).toBe(true);
      expect(error).toMatchObject({ status, retryAfterSeconds });
      expect(auth.store.getState()).toMatchObject({
        status: 'expired',
        accessToken: null,
        expiresAt: before.expiresAt,
        scopes: before.scopes,
        error: { code },
      });
      // Nothing stored was lost or half-written.
      expect(storedSession(storage, emulator)).toEqual(before);

      if (retryAfterSeconds !== undefined) {
        // Retry-After binds every caller: inside the window, no request; the first call after it sends one.
        await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'server_unavailable', retryAfterSeconds });
        expect(grants(emulator, 'refresh_token')).toHaveLength(1);
        clock.advance(retryAfterSeconds * 1000);
      }
      const next = await auth.getAccessToken();
      expect(next).not.toBe(before.accessToken);
      expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: next, error: null });
      expect(storedSession(storage, emulator)!.refreshToken).not.toBe(before.refreshToken);
      expect(grants(emulator, 'refresh_token').map((r) => [r.status, r.fault])).toEqual([
        [logged, fault.kind],
        [200, undefined],
      ]);
      expectNoInvalidGrant(emulator);
      expect((await auth.fetch('/api/me')).status).toBe(200);
    },
  );

  it('503 while the token is still valid: server_unavailable, and the session stays authenticated with its token', async () => {
    const { auth, storage } = await signedIn();
    const before = storedSession(storage, emulator)!;
    emulator.injectFault({ endpoint: 'token', fault: { kind: 'status', status: 503 } });
    const error = await rejection(auth.refresh());
    expect(error).toMatchObject({ code: 'server_unavailable', status: 503, oauthError: 'server_error' });
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: before.accessToken, error: { code: 'server_unavailable' } });
    expect(storedSession(storage, emulator)).toEqual(before);
    // The current token still works at the API meanwhile.
    expect((await auth.fetch('/api/me')).status).toBe(200);
    await expect(auth.refresh()).resolves.not.toBe(before.accessToken);
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', error: null });
  });

  it('a response lost after the emulator rotated the token: unreachable, then invalid_grant on the next refresh ends the session', async () => {
    const { auth, storage, clock } = await signedIn();
    const before = storedSession(storage, emulator)!;
    clock.advance(PAST_EXPIRY_MS);
    emulator.injectFault({ endpoint: 'token', fault: { kind: 'drop', afterCommit: true } });

    expect(await rejection(auth.getAccessToken())).toMatchObject({ code: 'token_endpoint_unreachable' });
    // The client cannot know the token was rotated: it keeps the session it has.
    expect(auth.store.getState()).toMatchObject({ status: 'expired', error: { code: 'token_endpoint_unreachable' } });
    expect(storedSession(storage, emulator)).toEqual(before);

    // It retries with the only refresh token it has, which the emulator already rotated: reuse, so the family is revoked.
    const error = await rejection(auth.getAccessToken());
    expect(error).toMatchObject({ code: 'session_expired', oauthError: 'invalid_grant', status: 400 });
    expect(auth.store.getState()).toMatchObject({ status: 'signedOut', accessToken: null, error: { code: 'session_expired' } });
    expect(storedSession(storage, emulator)).toBeUndefined();
    expect(grants(emulator, 'refresh_token').map((r) => [r.status, r.error, r.fault])).toEqual([
      [0, undefined, 'drop'],
      [400, 'invalid_grant', undefined],
    ]);
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
    expect(grants(emulator, 'refresh_token')).toHaveLength(2);
  });

  it('a delayed answer still refreshes', async () => {
    const { auth, clock } = await signedIn();
    const first = auth.store.getState().accessToken;
    clock.advance(PAST_EXPIRY_MS);
    emulator.injectFault({ endpoint: 'token', fault: { kind: 'delay', ms: 300 } });
    const started = performance.now();
    const token = await auth.getAccessToken();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(token).not.toBe(first);
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: token, error: null });
    expect(grants(emulator, 'refresh_token').map((r) => [r.status, r.fault])).toEqual([[200, 'delay']]);
  });
});

describe('faults at the token endpoint during the code exchange', () => {
  it('503: server_unavailable and nothing stored', async () => {
    const client = createClient(emulator);
    emulator.injectFault({ endpoint: 'token', fault: { kind: 'status', status: 503, retryAfterSeconds: 5 } });
    const error = await rejection(signIn(client, emulator));
    expect(error).toMatchObject({ code: 'server_unavailable', status: 503, retryAfterSeconds: 5 });
    expect(client.auth.store.getState()).toMatchObject({ status: 'signedOut', accessToken: null, error: { code: 'server_unavailable' } });
    expect(client.storage.keys()).toEqual([]);
    expect(client.tab.transactions.keys()).toEqual([]);
    expect(grants(emulator, 'authorization_code').map((r) => [r.status, r.fault])).toEqual([[503, 'status']]);
    await expect(client.auth.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
  });
});
