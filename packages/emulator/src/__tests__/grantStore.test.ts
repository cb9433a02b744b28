import { describe, expect, it } from 'vitest';
import { GrantStore } from '../grantStore.js';

/** A code for `dashboard` that expires at `expiresAt` (ms on the store's clock). */
function code(expiresAt: number) {
  return {
    clientId: 'dashboard',
    redirectUri: 'http://localhost:5173/callback',
    codeChallenge: undefined,
    scopes: ['studio'],
    subject: 'analyst@example.com',
    expiresAt,
  };
}

/** A code redeemed at `now` and the refresh token issued for it, as the token endpoint does it. */
function exchange(store: GrantStore, now: number, refreshExpiresAt: number) {
  const issued = store.issueCode(code(now + 60_000), now);
  const redeemed = store.redeemCode(issued, 'dashboard', now);
  if (!redeemed.ok) throw new Error(`the code was refused: ${redeemed.refusal}`);
  const family = store.startFamily('dashboard', 'analyst@example.com', ['studio'], issued);
  return { code: issued, family, refreshToken: store.issueRefreshToken(family, refreshExpiresAt, now) };
}

describe('GrantStore memory bounds', () => {
  it('forgets expired codes when it issues a new one', () => {
    const store = new GrantStore();
    const expired = store.issueCode(code(60_000), 0);
    store.issueCode(code(120_000), 60_000);
    expect(store.counts()).toEqual({ codes: 1, refreshTokens: 0, families: 0 });
    expect(store.redeemCode(expired, 'dashboard', 60_000)).toEqual({ ok: false, refusal: 'unknown' });
  });

  it('forgets expired refresh tokens, and the families nothing points to any more, when it issues new grants', () => {
    const store = new GrantStore();
    const first = exchange(store, 0, 100_000);
    expect(store.counts()).toEqual({ codes: 1, refreshTokens: 1, families: 1 });

    // Both the code (60 s) and the refresh token (100 s) of the first sign-in have expired.
    const second = exchange(store, 200_000, 300_000);
    expect(store.counts()).toEqual({ codes: 1, refreshTokens: 1, families: 1 });
    expect(store.rotateRefreshToken(first.refreshToken, 'dashboard', 200_000)).toEqual({ ok: false, refusal: 'unknown' });
    expect(store.rotateRefreshToken(second.refreshToken, 'dashboard', 200_000)).toMatchObject({ ok: true });
  });

  it('bounds a long run: many sign-ins over days leave only what is still live', () => {
    const store = new GrantStore();
    for (let day = 0; day < 50; day += 1) exchange(store, day * 86_400_000, day * 86_400_000 + 86_400_000);
    expect(store.counts()).toEqual({ codes: 1, refreshTokens: 1, families: 1 });
  });

  it('keeps what can still be used or replayed: a spent code and a rotated refresh token still revoke their family', () => {
    const store = new GrantStore();
    const first = exchange(store, 0, 100_000);
    expect(store.rotateRefreshToken(first.refreshToken, 'dashboard', 10)).toMatchObject({ ok: true });
    const next = store.issueRefreshToken(first.family, 100_010, 10);
    store.issueCode(code(60_020), 20);
    expect(store.counts()).toEqual({ codes: 2, refreshTokens: 2, families: 1 });

    // The rotated token comes back: reuse detection still works, and revokes the family.
    expect(store.rotateRefreshToken(first.refreshToken, 'dashboard', 30)).toEqual({ ok: false, refusal: 'reused' });
    expect(store.rotateRefreshToken(next, 'dashboard', 30)).toEqual({ ok: false, refusal: 'revoked' });
    expect(store.redeemCode(first.code, 'dashboard', 30)).toEqual({ ok: false, refusal: 'reused' });
  });
});
