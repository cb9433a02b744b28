import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { ANALYST, VIEWER, authorizeUrl, exchangeCode, json, openLoginForm, pkce, submitLoginForm, type TokenResponse } from './flows.js';

/** Each kind of authorization response: a code, a denial, a refused request, and no scope left for the user. */
const responses: { name: string; respond: (em: RunningEmulator) => Promise<URL>; param: string }[] = [
  { name: 'a code (headless)', respond: (em) => Promise.resolve(new URL(em.approve(authorizeUrl(em, { codeChallenge: pkce().challenge })))), param: 'code' },
  {
    name: 'a code (the HTML form)',
    respond: async (em) => {
      const form = await openLoginForm(authorizeUrl(em, { codeChallenge: pkce().challenge }));
      const response = await submitLoginForm(em, form, { username: ANALYST.username, password: ANALYST.password, decision: 'approve' });
      return new URL(response.headers.get('location')!);
    },
    param: 'code',
  },
  {
    name: 'a denial (the HTML form)',
    respond: async (em) => {
      const response = await submitLoginForm(em, await openLoginForm(authorizeUrl(em, { codeChallenge: pkce().challenge })), { decision: 'deny' });
      return new URL(response.headers.get('location')!);
    },
    param: 'error',
  },
  {
    name: 'an error redirect for a bad request',
    respond: async (em) =>
      new URL((await fetch(authorizeUrl(em, { scope: 'nope', codeChallenge: pkce().challenge }), { redirect: 'manual' })).headers.get('location')!),
    param: 'error',
  },
  {
    name: 'access_denied when the user has none of the scopes',
    respond: (em) =>
      Promise.resolve(new URL(em.approve(authorizeUrl(em, { scope: 'audit.log:read', codeChallenge: pkce().challenge }), { username: VIEWER.username }))),
    param: 'error',
  },
];

describe('iss in authorization responses (RFC 9207)', () => {
  let plain: RunningEmulator;
  let withIssuer: RunningEmulator;
  beforeAll(async () => {
    [plain, withIssuer] = await Promise.all([startEmulator(), startEmulator({ config: { sendIssuer: true } })]);
  });
  afterAll(() => Promise.all([plain.close(), withIssuer.close()]));

  it.each(responses)('with sendIssuer, $name carries iss = the emulator’s issuer URL, after the state', async ({ respond, param }) => {
    const location = await respond(withIssuer);
    expect(location.searchParams.has(param)).toBe(true);
    expect(location.searchParams.getAll('iss')).toEqual([withIssuer.url]);
    expect([...location.searchParams.keys()].at(-1)).toBe('iss');
  });

  it.each(responses)('by default (as Celonis), $name carries no iss', async ({ respond, param }) => {
    const location = await respond(plain);
    expect(location.searchParams.has(param)).toBe(true);
    expect(location.searchParams.has('iss')).toBe(false);
  });

  it('names the issuer of the access token the code is exchanged for', async () => {
    const { verifier, challenge } = pkce();
    const location = new URL(withIssuer.approve(authorizeUrl(withIssuer, { state: 's', codeChallenge: challenge })));
    const response = await exchangeCode(withIssuer, {
      code: location.searchParams.get('code')!,
      state: 's',
      clientId: 'dashboard',
      redirectUri: `${location.origin}${location.pathname}`,
      verifier,
    });
    const tokens = await json<TokenResponse>(response);
    expect(decodeJwt(tokens.access_token).iss).toBe(location.searchParams.get('iss'));
  });

  it('is off in the default configuration', () => {
    expect(plain.config.sendIssuer).toBe(false);
  });
});
