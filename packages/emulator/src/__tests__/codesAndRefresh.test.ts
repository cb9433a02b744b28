import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  OTHER_REDIRECT_URI,
  PORTAL,
  authorize,
  callApi,
  exchangeCode,
  expectOAuthError,
  issueCode,
  json,
  pkce,
  refresh,
  useEmulator,
  type TokenResponse,
} from './flows.js';

const emulator = useEmulator();

/** Asserts an access token is refused as revoked or otherwise invalid. */
async function expectTokenRefused(token: string): Promise<void> {
  const response = await callApi(emulator(), '/api/me', token);
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
}

async function expectTokenAccepted(token: string): Promise<void> {
  expect((await callApi(emulator(), '/api/me', token)).status).toBe(200);
}

describe('authorization codes', () => {
  it('are single use: a second exchange is invalid_grant and revokes everything the first one issued', async () => {
    const em = emulator();
    const issued = issueCode(em);
    const first = await json<TokenResponse>(await exchangeCode(em, issued));
    await expectTokenAccepted(first.access_token);
    const rotated = await json<TokenResponse>(await refresh(em, first.refresh_token!));

    await expectOAuthError(await exchangeCode(em, issued), 400, 'invalid_grant');

    await expectTokenRefused(first.access_token);
    await expectTokenRefused(rotated.access_token);
    await expectOAuthError(await refresh(em, rotated.refresh_token!), 400, 'invalid_grant');
  });

  it('expire after 60 seconds', async () => {
    const em = emulator();
    const issued = issueCode(em);
    em.advanceClock(61);
    const body = await expectOAuthError(await exchangeCode(em, issued), 400, 'invalid_grant');
    expect(body.error_description).toContain('expired');
  });

  it('still redeem 59 seconds after they were issued', async () => {
    const em = emulator();
    const issued = issueCode(em);
    em.advanceClock(59);
    expect((await exchangeCode(em, issued)).status).toBe(200);
  });

  it('are bound to the client they were issued to', async () => {
    const em = emulator();
    const issued = issueCode(em, { client: 'dashboard' });
    const response = await exchangeCode(em, issued, { client_id: PORTAL.clientId, client_secret: PORTAL.secret });
    await expectOAuthError(response, 400, 'invalid_grant');
  });

  it('stay redeemable by their own client after another client tried them', async () => {
    const em = emulator();
    const issued = issueCode(em, { client: 'dashboard' });
    await exchangeCode(em, issued, { client_id: PORTAL.clientId, client_secret: PORTAL.secret });
    expect((await exchangeCode(em, issued)).status).toBe(200);
  });

  const bindings: { name: string; client: 'dashboard' | 'portal'; pkce: boolean; overrides: () => Record<string, string | undefined> }[] = [
    { name: 'another registered redirect_uri', client: 'dashboard', pkce: true, overrides: () => ({ redirect_uri: OTHER_REDIRECT_URI }) },
    { name: 'no redirect_uri', client: 'dashboard', pkce: true, overrides: () => ({ redirect_uri: undefined }) },
    { name: 'a wrong code_verifier', client: 'dashboard', pkce: true, overrides: () => ({ code_verifier: pkce().verifier }) },
    { name: 'no code_verifier', client: 'dashboard', pkce: true, overrides: () => ({ code_verifier: undefined }) },
    { name: 'a code_verifier too short for RFC 7636', client: 'dashboard', pkce: true, overrides: () => ({ code_verifier: 'abc' }) },
    { name: 'a code_verifier when no challenge was sent (downgrade)', client: 'portal', pkce: false, overrides: () => ({ code_verifier: pkce().verifier }) },
    { name: 'a portal code with a wrong verifier', client: 'portal', pkce: true, overrides: () => ({ code_verifier: pkce().verifier }) },
  ];

  it.each(bindings)('are refused with invalid_grant for $name', async ({ client, pkce: withPkce, overrides }) => {
    const em = emulator();
    const issued = issueCode(em, { client, pkce: withPkce });
    await expectOAuthError(await exchangeCode(em, issued, overrides()), 400, 'invalid_grant');
    // A failed attempt spends the code: it cannot be retried with the right parameters.
    await expectOAuthError(await exchangeCode(em, issued), 400, 'invalid_grant');
  });

  it('redeem for the confidential portal client without PKCE', async () => {
    const em = emulator();
    const response = await exchangeCode(em, issueCode(em, { client: 'portal', pkce: false }));
    expect(response.status).toBe(200);
  });
});

describe('refresh tokens', () => {
  it('rotate: every refresh returns a new refresh token and a working access token', async () => {
    const em = emulator();
    const tokens = await authorize(em);
    const seen = new Set([tokens.refresh_token]);
    let current = tokens.refresh_token;
    for (let i = 0; i < 3; i += 1) {
      const response = await refresh(em, current);
      expect(response.status).toBe(200);
      const next = await json<TokenResponse>(response);
      expect(next.refresh_token).toEqual(expect.any(String));
      expect(seen.has(next.refresh_token!)).toBe(false);
      seen.add(next.refresh_token!);
      await expectTokenAccepted(next.access_token);
      current = next.refresh_token!;
    }
  });

  it('reused after rotation: invalid_grant, and the whole family is revoked', async () => {
    const em = emulator();
    const first = await authorize(em);
    const second = await json<TokenResponse>(await refresh(em, first.refresh_token));
    const third = await json<TokenResponse>(await refresh(em, second.refresh_token!));

    await expectOAuthError(await refresh(em, first.refresh_token), 400, 'invalid_grant');

    await expectOAuthError(await refresh(em, third.refresh_token!), 400, 'invalid_grant');
    for (const token of [first, second, third]) await expectTokenRefused(token.access_token);
  });

  it('leave other families alone when one is revoked', async () => {
    const em = emulator();
    const victim = await authorize(em);
    const bystander = await authorize(em);
    await refresh(em, victim.refresh_token);
    await refresh(em, victim.refresh_token);
    await expectTokenAccepted(bystander.access_token);
    expect((await refresh(em, bystander.refresh_token)).status).toBe(200);
  });

  it('refresh to a narrower scope, and the next refresh may ask for the original scope again', async () => {
    const em = emulator();
    const tokens = await authorize(em, { scope: 'studio audit.log:read' });
    const narrow = await refresh(em, tokens.refresh_token, { scope: 'audit.log:read' });
    expect(narrow.status).toBe(200);
    const narrowed = await json<TokenResponse>(narrow);
    expect(narrowed.scope).toBe('audit.log:read');
    expect(decodeJwt(narrowed.access_token).scope).toEqual(['audit.log:read']);

    // RFC 6749 §6: the new refresh token carries the scope of the original grant.
    const wide = await json<TokenResponse>(await refresh(em, narrowed.refresh_token!, { scope: 'studio audit.log:read' }));
    expect(wide.scope).toBe('studio audit.log:read');
  });

  it('keep the original scope when a refresh names none', async () => {
    const em = emulator();
    const tokens = await authorize(em, { scope: 'studio audit.log:read' });
    const renewed = await json<TokenResponse>(await refresh(em, tokens.refresh_token));
    expect(renewed.scope).toBe('studio audit.log:read');
  });

  it('refuse a wider scope with invalid_scope without spending the refresh token', async () => {
    const em = emulator();
    const tokens = await authorize(em, { scope: 'studio' });
    await expectOAuthError(await refresh(em, tokens.refresh_token, { scope: 'studio audit.log:read' }), 400, 'invalid_scope');
    const retry = await refresh(em, tokens.refresh_token);
    expect(retry.status).toBe(200);
    await expectTokenAccepted(tokens.access_token);
  });

  it('refuse an unknown scope with invalid_scope without spending the refresh token', async () => {
    const em = emulator();
    const tokens = await authorize(em);
    await expectOAuthError(await refresh(em, tokens.refresh_token, { scope: 'nope' }), 400, 'invalid_scope');
    expect((await refresh(em, tokens.refresh_token)).status).toBe(200);
  });

  it('expire after a day', async () => {
    const em = emulator();
    const tokens = await authorize(em);
    em.advanceClock(86_401);
    const body = await expectOAuthError(await refresh(em, tokens.refresh_token), 400, 'invalid_grant');
    expect(body.error_description).toContain('expired');
  });

  it('are bound to their client', async () => {
    const em = emulator();
    const tokens = await authorize(em, { client: 'portal' });
    await expectOAuthError(await refresh(em, tokens.refresh_token, { client: 'dashboard' }), 400, 'invalid_grant');
    // Another client's attempt neither spends nor revokes it.
    expect((await refresh(em, tokens.refresh_token, { client: 'portal' })).status).toBe(200);
  });

  it('give the new access token a fresh lifetime', async () => {
    const em = emulator();
    const tokens = await authorize(em);
    em.advanceClock(600);
    const renewed = await json<TokenResponse>(await refresh(em, tokens.refresh_token));
    const claims = decodeJwt(renewed.access_token);
    expect(claims.iat! * 1000).toBeGreaterThanOrEqual(em.now() - 1000);
    expect(claims.exp! - claims.iat!).toBe(899);
    expect(renewed.expires_in).toBe(899);
  });
});
