// Issue "hostile callbacks": every refusal is made before any token request, stores nothing, and leaves no code or token in the address bar.
import { describe, expect, it } from 'vitest';
import type { CelonisAuthConfig } from '@celonis-auth/core';
import { callbackFor, rejection, tokenResponse } from '@celonis-auth/test-utils';
import { browser, CALLBACK, refuseCallback, TEAM, type RefusedCallback } from './callbackBrowser.js';

type Row = RefusedCallback & { name: string };

const ok = (a: string, extra: Record<string, string> = {}) => callbackFor(a, { code: 'code-1', ...extra });
const append = (url: string, query: string) => `${url}&${query}`;

const rows: Row[] = [
  // Mix-up (RFC 9207): a foreign iss, on success and on error responses alike.
  { name: 'an iss of another server on a success response', url: (a) => ok(a, { iss: 'https://evil.example' }), code: 'issuer_mismatch' },
  {
    name: 'an iss of another server on an error response',
    url: (a) => callbackFor(a, { error: 'access_denied', iss: 'https://evil.example' }),
    code: 'issuer_mismatch',
  },
  { name: 'an iss differing only by a trailing slash', url: (a) => ok(a, { iss: `${TEAM}/` }), code: 'issuer_mismatch' },
  { name: 'no iss where the config requires it', url: (a) => ok(a), code: 'issuer_mismatch', config: { requireIssuer: true } },
  {
    name: 'the team URL as iss when a custom issuer is configured',
    url: (a) => ok(a, { iss: TEAM }),
    code: 'issuer_mismatch',
    config: { issuer: 'https://login.acme.example' },
  },
  // Parameters an authorization-code response never carries.
  ...['access_token', 'id_token', 'token_type', 'expires_in', 'refresh_token'].flatMap((name): Row[] => [
    { name: `${name} in the query`, url: (a) => append(ok(a), `${name}=AT-leaked`), code: 'invalid_callback' },
    { name: `${name} in the fragment`, url: (a) => `${ok(a)}#${name}=AT-leaked`, code: 'invalid_callback' },
  ]),
  {
    name: 'an implicit-flow response in the fragment only',
    url: (a) => `${CALLBACK}#access_token=AT-leaked&state=${new URL(a).searchParams.get('state')}`,
    code: 'invalid_callback',
  },
  // Any repeated response parameter.
  { name: 'two codes', url: (a) => append(ok(a), 'code=code-2'), code: 'invalid_callback' },
  { name: 'the same code twice', url: (a) => append(ok(a), 'code=code-1'), code: 'invalid_callback' },
  { name: 'two errors', url: (a) => append(callbackFor(a, { error: 'access_denied' }), 'error=server_error'), code: 'invalid_callback' },
  {
    name: 'two error descriptions',
    url: (a) => append(callbackFor(a, { error: 'access_denied', error_description: 'x' }), 'error_description=y'),
    code: 'invalid_callback',
  },
  { name: 'two iss', url: (a) => append(ok(a, { iss: TEAM }), `iss=${encodeURIComponent(TEAM)}`), code: 'invalid_callback' },
  // Bounds.
  { name: 'a 100 KB code', url: (a) => callbackFor(a, { code: 'c'.repeat(100_000) }), code: 'invalid_callback' },
  { name: 'a 600-character state', url: () => `${CALLBACK}?code=code-1&state=${'s'.repeat(600)}`, code: 'state_mismatch' },
  { name: 'an error with a control character', url: (a) => callbackFor(a, { error: 'access\u0001denied' }), code: 'invalid_callback' },
  { name: 'an error with a double quote', url: (a) => callbackFor(a, { error: 'access"denied' }), code: 'invalid_callback' },
  { name: 'an error with a backslash', url: (a) => callbackFor(a, { error: 'access\\denied' }), code: 'invalid_callback' },
  { name: 'an error of 200 characters', url: (a) => callbackFor(a, { error: 'e'.repeat(200) }), code: 'invalid_callback' },
];

describe('hostile callbacks are refused before any token request', () => {
  it.each(rows)('$name → $code', async (row) => {
    const { env, error } = await refuseCallback(row);
    // Nothing of the response or a token stays in the address bar.
    expect(env.page.url).not.toMatch(/code=|state=|token|expires_in|iss=/);
    expect(JSON.stringify(error)).not.toContain('AT-leaked');
  });

  it.each([
    ['the team URL as iss', { iss: TEAM }, {}],
    ['the configured issuer as iss', { iss: 'https://login.acme.example' }, { issuer: 'https://login.acme.example' }],
    ['the iss the config requires', { iss: TEAM }, { requireIssuer: true }],
    ['no iss when none is required', {}, {}],
  ])('signs in with %s', async (_, params: Record<string, string>, config: Partial<CelonisAuthConfig>) => {
    const env = browser(undefined, config);
    const authorizeUrl = await env.startLogin();
    const auth = env.openPage();
    env.page.url = ok(authorizeUrl, params);
    await expect(auth.handleRedirectCallback()).resolves.toEqual({ returnTo: '/reports?id=1' });
    expect(env.requests).toHaveLength(1);
    expect(env.page.url).toBe(CALLBACK);
  });

  it('scrubs ?code=c&state=S&access_token=AT from the address bar, keeping the rest of the query', async () => {
    const env = browser();
    const authorizeUrl = await env.startLogin();
    const auth = env.openPage();
    env.page.url = `${ok(authorizeUrl)}&access_token=AT-leaked&utm=1`;
    await rejection(auth.handleRedirectCallback());
    expect(env.page.url).toBe(`${CALLBACK}?utm=1`);
  });

  it('cuts an error_description shown to people to 500 characters', async () => {
    const env = browser();
    const authorizeUrl = await env.startLogin();
    const error = await rejection(
      env.openPage().handleRedirectCallback(callbackFor(authorizeUrl, { error: 'access_denied', error_description: 'd'.repeat(5_000) })),
    );
    expect(error).toMatchObject({ code: 'authorization_error', oauthError: 'access_denied' });
    expect((error as { oauthErrorDescription: string }).oauthErrorDescription).toHaveLength(500);
  });
});

describe('crafted states and awkward returnTo values', () => {
  it('a crafted ?state=index does not drop the index, so logout still clears a login started before it', async () => {
    const env = browser();
    const authorizeUrl = await env.startLogin();
    await expect(env.openPage().handleRedirectCallback(`${CALLBACK}?state=index&code=x`)).rejects.toMatchObject({ code: 'missing_transaction' });
    env.openPage().logout();
    await expect(env.openPage().handleRedirectCallback(ok(authorizeUrl))).rejects.toMatchObject({ code: 'missing_transaction' });
    expect(env.requests).toEqual([]);
  });

  it.each(['/search?q=a\\b', '/a#C:\\x'])('signs in with a returnTo holding a backslash in its query or fragment (%s)', async (returnTo) => {
    const env = browser();
    const authorizeUrl = await env.startLogin({ returnTo });
    const result = await env.openPage().handleRedirectCallback(ok(authorizeUrl));
    expect(result.returnTo).toBe(returnTo.replace('\\', '%5C'));
  });

  it('counts expires_in from when the request was sent, not from when the slow answer arrived', async () => {
    const env = browser(() => {
      env.clock.advance(20_000);
      return tokenResponse(1);
    });
    const authorizeUrl = await env.startLogin();
    const auth = env.openPage();
    const sentAt = env.clock.now();
    await auth.handleRedirectCallback(ok(authorizeUrl));
    expect(auth.store.getState().expiresAt).toBe(sentAt + 899_000);
  });
});

describe('values read back from storage are checked again', () => {
  it('drops a login transaction whose returnTo was changed to another origin, with one warning', async () => {
    const env = browser();
    const authorizeUrl = await env.startLogin();
    const state = new URL(authorizeUrl).searchParams.get('state')!;
    const storage = env.deps.transactionStorage!;
    const key = `celonis-auth:v1:${TEAM}:my-portal:tx:${state}`;
    const record = JSON.parse(storage.getItem(key)!) as { data: { returnTo: string } };
    record.data.returnTo = 'https://evil.example/phish';
    storage.setItem(key, JSON.stringify(record));
    const auth = env.openPage();
    env.page.url = ok(authorizeUrl);
    await expect(auth.handleRedirectCallback()).rejects.toMatchObject({ code: 'missing_transaction' });
    expect(env.requests).toEqual([]);
    expect(env.warnings).toHaveLength(1);
  });

  it.each([
    ['an access token with a line break', { accessToken: 'access-1\r\nX-Evil: 1' }],
    ['an access token of 10 000 characters', { accessToken: 'a'.repeat(10_000) }],
    ['a refresh token with a space', { refreshToken: 'refresh 1' }],
  ])('drops a stored session holding %s, with one warning, and fetch never throws a TypeError', async (_, changes) => {
    const env = browser();
    const auth = env.openPage();
    await auth.login();
    env.page.url = ok(env.page.navigations[0]!);
    await auth.handleRedirectCallback();
    const [key] = env.session.libraryKeys();
    const record = JSON.parse(env.session.items.get(key!)!) as Record<string, unknown>;
    env.session.items.set(key!, JSON.stringify({ ...record, ...changes }));
    const reopened = env.openPage();
    expect(reopened.store.getState().status).toBe('signedOut');
    expect(env.warnings).toHaveLength(1);
    await expect(reopened.fetch('/intelligence/api/knowledge-models')).rejects.toMatchObject({ code: 'login_required' });
  });

  it('sends a reload of the callback to / when the stored returnTo was changed to another origin', async () => {
    const env = browser();
    const authorizeUrl = await env.startLogin();
    const auth = env.openPage();
    const url = ok(authorizeUrl);
    env.page.url = url;
    await auth.handleRedirectCallback();
    const [key] = env.session.libraryKeys();
    const record = JSON.parse(env.session.items.get(key!)!) as Record<string, unknown>;
    env.session.items.set(key!, JSON.stringify({ ...record, returnTo: '//evil.example/x' }));
    await expect(env.openPage().handleRedirectCallback(url)).resolves.toEqual({ returnTo: '/' });
  });
});
