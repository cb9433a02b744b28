import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isCelonisAuthError, type CelonisAuthConfig, type CelonisAuthErrorCode, type LoginOptions } from '@celonis-auth/core';
import { callbackFor, json, rejection, tokenResponse } from '@celonis-auth/test-utils';
import { browser, CALLBACK, refuseCallback, stateOf, TEAM } from './callbackBrowser.js';
import { DEFAULT_EXPIRES_IN_SECONDS } from '@celonis-auth/core/protocol';

const HOSTILE = '<img src=x onerror=alert(1)>';

describe('handleRedirectCallback() refuses a bad callback before any token request', () => {
  type Row = {
    name: string;
    url: (authorizeUrl: string) => string;
    code: CelonisAuthErrorCode;
    expected?: Record<string, unknown>;
    before?: (env: ReturnType<typeof browser>) => void;
  };
  const rows: Row[] = [
    { name: 'a malformed URL', url: () => 'not a url', code: 'invalid_callback' },
    { name: 'the callback URL without parameters and no session', url: () => CALLBACK, code: 'invalid_callback' },
    { name: 'a code without state', url: () => `${CALLBACK}?code=code-1`, code: 'state_mismatch' },
    { name: 'an empty state', url: () => `${CALLBACK}?code=code-1&state=`, code: 'state_mismatch' },
    { name: 'two different state parameters', url: (a) => `${callbackFor(a)}&state=forged`, code: 'state_mismatch' },
    { name: 'the right state twice', url: (a) => `${callbackFor(a)}&state=${stateOf(a)}`, code: 'state_mismatch' },
    { name: 'an unknown state', url: () => `${CALLBACK}?code=code-1&state=unknown-state-0123456789abcdef`, code: 'missing_transaction' },
    { name: 'a state altered in case', url: (a) => callbackFor(a).replace(stateOf(a), stateOf(a).toUpperCase()), code: 'missing_transaction' },
    {
      name: 'an error with an unknown state (state is checked before error)',
      url: () => `${CALLBACK}?error=access_denied&state=unknown-state-0123456789abcdef`,
      code: 'missing_transaction',
    },
    {
      name: 'an error with a valid state and a hostile description',
      url: (a) => callbackFor(a, { error: 'access_denied', error_description: HOSTILE }),
      code: 'authorization_error',
      expected: { oauthError: 'access_denied', oauthErrorDescription: HOSTILE },
    },
    { name: 'a valid state without code or error', url: (a) => callbackFor(a, {}), code: 'invalid_callback' },
    {
      name: 'a transaction older than 10 minutes',
      url: (a) => callbackFor(a),
      code: 'missing_transaction',
      before: (env) => env.clock.advance(10 * 60_000 + 1),
    },
  ];

  it.each(rows)('$name → $code', async (row) => {
    const { env } = await refuseCallback(row);
    // Whatever went wrong, no code or state stays in the address bar.
    expect(env.page.url).not.toMatch(/[?&](code|state)=/);
  });

  it('keeps the hostile error_description as plain text, never in the message', async () => {
    const env = browser();
    const authorizeUrl = await env.startLogin();
    const error = await rejection(env.openPage().handleRedirectCallback(callbackFor(authorizeUrl, { error: 'access_denied', error_description: HOSTILE })));
    expect(error).toMatchObject({ code: 'authorization_error', oauthErrorDescription: HOSTILE });
    expect((error as Error).message).not.toContain('<img');
  });

  it('keeps a signed-in session when a stray callback is refused', async () => {
    const env = browser();
    const auth = env.openPage();
    await auth.login();
    env.page.url = callbackFor(env.page.navigations[0]!);
    await auth.handleRedirectCallback();
    env.page.url = `${CALLBACK}?code=forged`;
    const error = await rejection(auth.handleRedirectCallback());
    expect(error).toMatchObject({ code: 'state_mismatch' });
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-1', error });
    expect(env.requests).toHaveLength(1);
  });

  it('uses a transaction once: a replayed refused callback is missing_transaction in the next page', async () => {
    const env = browser();
    const url = callbackFor(await env.startLogin(), { error: 'access_denied' });
    await expect(env.openPage().handleRedirectCallback(url)).rejects.toMatchObject({ code: 'authorization_error' });
    await expect(env.openPage().handleRedirectCallback(url)).rejects.toMatchObject({ code: 'missing_transaction' });
    expect(env.requests).toEqual([]);
  });

  it('gives a second call on the cleaned URL the same refusal (React StrictMode)', async () => {
    const env = browser();
    const auth = env.openPage();
    env.page.url = `${CALLBACK}?code=code-1`;
    const first = await rejection(auth.handleRedirectCallback());
    expect(env.page.url).toBe(CALLBACK);
    const second = await rejection(auth.handleRedirectCallback());
    expect(second).toBe(first);
    expect(second).toMatchObject({ code: 'state_mismatch' });
  });

  it('accepts a transaction just under 10 minutes old', async () => {
    const env = browser();
    const authorizeUrl = await env.startLogin();
    env.clock.advance(10 * 60_000 - 1000);
    await expect(env.openPage().handleRedirectCallback(callbackFor(authorizeUrl))).resolves.toEqual({ returnTo: '/reports?id=1' });
  });
});

describe('handleRedirectCallback() validates the token response', () => {
  const VALID = {
    access_token: 'access-1',
    refresh_token: 'refresh-1',
    token_type: 'Bearer',
    expires_in: 899,
    scope: 'studio intelligence.knowledge-models:read',
  };
  const answer = (changes: Record<string, unknown>) => json({ ...VALID, ...changes });

  type Row = { name: string; respond: (now: number) => Response; code: CelonisAuthErrorCode; expected?: Record<string, unknown> };
  const rows: Row[] = [
    {
      name: '200 that is not JSON',
      respond: () => new Response('<html>hi</html>', { status: 200, headers: { 'Content-Type': 'text/html' } }),
      code: 'invalid_token_response',
    },
    { name: '200 with an empty body', respond: () => new Response('', { status: 200 }), code: 'invalid_token_response' },
    { name: '200 with a JSON array', respond: () => json([VALID]), code: 'invalid_token_response' },
    { name: '200 with JSON null', respond: () => json('null'), code: 'invalid_token_response' },
    { name: '200 with a JSON string', respond: () => json('"access-1"'), code: 'invalid_token_response' },
    { name: 'access_token missing', respond: () => answer({ access_token: undefined }), code: 'invalid_token_response' },
    { name: 'access_token empty', respond: () => answer({ access_token: '' }), code: 'invalid_token_response' },
    { name: 'access_token a number', respond: () => answer({ access_token: 12345 }), code: 'invalid_token_response' },
    { name: "token_type 'mac'", respond: () => answer({ token_type: 'mac' }), code: 'invalid_token_response' },
    { name: 'an access_token with a line break', respond: () => answer({ access_token: 'abc\r\nX-Evil: 1' }), code: 'invalid_token_response' },
    { name: 'an access_token with a space', respond: () => answer({ access_token: 'abc def' }), code: 'invalid_token_response' },
    { name: 'token_type missing', respond: () => answer({ token_type: undefined }), code: 'invalid_token_response' },
    { name: "token_type 'DPoP'", respond: () => answer({ token_type: 'DPoP' }), code: 'invalid_token_response' },
    { name: 'expires_in -1', respond: () => answer({ expires_in: -1 }), code: 'invalid_token_response' },
    { name: "expires_in 'soon' (a string that is no number)", respond: () => answer({ expires_in: 'soon' }), code: 'invalid_token_response' },
    { name: "expires_in '-5' (a negative numeric string)", respond: () => answer({ expires_in: '-5' }), code: 'invalid_token_response' },
    { name: 'expires_in null (NaN serialised)', respond: () => answer({ expires_in: Number.NaN }), code: 'invalid_token_response' },
    {
      name: 'expires_in 1e999 (Infinity once parsed)',
      respond: () => json('{"access_token":"access-1","token_type":"Bearer","expires_in":1e999}'),
      code: 'invalid_token_response',
    },
    { name: 'scope a number', respond: () => answer({ scope: 42 }), code: 'invalid_token_response' },
    { name: 'scope an array', respond: () => answer({ scope: ['studio'] }), code: 'invalid_token_response' },
    { name: "refresh_token ''", respond: () => answer({ refresh_token: '' }), code: 'invalid_token_response' },
    { name: 'refresh_token null', respond: () => answer({ refresh_token: null }), code: 'invalid_token_response' },
    { name: 'a refresh_token with a line break', respond: () => answer({ refresh_token: 'r\r\nX: 1' }), code: 'invalid_token_response' },
    { name: 'an access_token of 9000 characters', respond: () => answer({ access_token: 'a'.repeat(9_000) }), code: 'invalid_token_response' },
    {
      name: 'a 5 MB access_token (the body is not read past 64 KiB)',
      respond: () => answer({ access_token: 'a'.repeat(5_000_000) }),
      code: 'invalid_token_response',
      expected: { status: 200 },
    },
    {
      name: 'a text/plain 200 whose body happens to parse as JSON',
      respond: () => new Response(JSON.stringify(VALID), { status: 200, headers: { 'Content-Type': 'text/plain' } }),
      code: 'invalid_token_response',
      expected: { status: 200 },
    },
    {
      name: '400 invalid_grant with a description',
      respond: () => json({ error: 'invalid_grant', error_description: 'x' }, 400),
      code: 'token_error',
      expected: { oauthError: 'invalid_grant', oauthErrorDescription: 'x', status: 400 },
    },
    {
      name: '401 invalid_client',
      respond: () => json({ error: 'invalid_client' }, 401),
      code: 'token_error',
      expected: { oauthError: 'invalid_client', status: 401 },
    },
    {
      name: '400 in plain text',
      respond: () => new Response('Bad Request', { status: 400, headers: { 'Content-Type': 'text/plain' } }),
      code: 'invalid_token_response',
      expected: { status: 400 },
    },
    { name: '400 JSON without error', respond: () => json({ message: 'no' }, 400), code: 'invalid_token_response', expected: { status: 400 } },
    {
      name: '503 without body',
      respond: () => new Response(null, { status: 503 }),
      code: 'server_unavailable',
      expected: { status: 503, retryAfterSeconds: undefined },
    },
    {
      name: '500 server_error',
      respond: () => json({ error: 'server_error' }, 500),
      code: 'server_unavailable',
      expected: { status: 500, oauthError: 'server_error' },
    },
    {
      name: '429 with Retry-After: 7',
      respond: () => json({ error: 'slow_down' }, 429, { 'Retry-After': '7' }),
      code: 'server_unavailable',
      expected: { status: 429, retryAfterSeconds: 7 },
    },
    {
      name: '503 with an HTTP-date Retry-After two minutes ahead',
      respond: (now) => new Response(null, { status: 503, headers: { 'Retry-After': new Date(now + 120_000).toUTCString() } }),
      code: 'server_unavailable',
      expected: { retryAfterSeconds: 120 },
    },
    {
      name: '503 with an HTTP-date Retry-After in the past',
      respond: (now) => new Response(null, { status: 503, headers: { 'Retry-After': new Date(now - 120_000).toUTCString() } }),
      code: 'server_unavailable',
      expected: { retryAfterSeconds: 0 },
    },
    {
      name: 'fetch rejecting on the cross-origin token endpoint (CORS or offline)',
      respond: () => {
        throw new TypeError('Failed to fetch');
      },
      code: 'token_endpoint_unreachable',
      expected: { cause: new TypeError('Failed to fetch') },
    },
  ];

  it.each(rows)('$name → $code', async (row) => {
    const env = browser(() => row.respond(env.clock.now()));
    const authorizeUrl = await env.startLogin();
    const auth = env.openPage();
    env.page.url = callbackFor(authorizeUrl, { code: 'code-1' });
    const error = await rejection(auth.handleRedirectCallback());
    expect(isCelonisAuthError(error, row.code)).toBe(true);
    if (row.expected) expect(error).toMatchObject(row.expected);
    expect(env.requests).toHaveLength(1);
    expect(new URLSearchParams(env.requests[0]!.body).get('grant_type')).toBe('authorization_code');
    expect(env.session.libraryKeys()).toEqual([]);
    expect(auth.store.getState()).toMatchObject({ status: 'signedOut', accessToken: null });
    expect(auth.store.getState().error).toBe(error);
    // Codes and tokens never reach error messages.
    for (const secret of ['code-1', 'access-1', 'refresh-1']) expect((error as Error).message).not.toContain(secret);
  });
});

describe('handleRedirectCallback() signs in', () => {
  async function signIn(response: Record<string, unknown>, login?: LoginOptions) {
    const env = browser(() => json({ access_token: 'access-1', refresh_token: 'refresh-1', token_type: 'Bearer', expires_in: 899, ...response }));
    const authorizeUrl = await env.startLogin(login);
    const auth = env.openPage();
    env.page.url = callbackFor(authorizeUrl);
    const result = await auth.handleRedirectCallback();
    return { env, auth, result, authorizeUrl };
  }

  it("accepts token_type in any case ('bEaReR')", async () => {
    const { auth, result } = await signIn({ token_type: 'bEaReR', scope: 'studio' });
    expect(result).toEqual({ returnTo: '/reports?id=1' });
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-1', error: null });
  });

  it('records the requested scopes, extra login scopes included, when the response has no scope', async () => {
    const { auth } = await signIn({}, { scopes: ['audit.log:read'] });
    expect(auth.store.getState().scopes).toEqual(['studio', 'intelligence.knowledge-models:read', 'audit.log:read']);
    expect(auth.hasScopes(['audit.log:read'])).toBe(true);
  });

  it('records a grant narrower than the request', async () => {
    const { auth } = await signIn({ scope: 'studio' });
    expect(auth.store.getState().scopes).toEqual(['studio']);
    expect(auth.hasScopes(['studio'])).toBe(true);
    expect(auth.hasScopes(['intelligence.knowledge-models:read'])).toBe(false);
    expect(auth.hasScopes(['intelligence.knowledge-models:read', 'studio'], 'any')).toBe(true);
  });

  it('splits a scope string with extra spaces', async () => {
    const { auth } = await signIn({ scope: ' studio  audit.log:read ' });
    expect(auth.store.getState().scopes).toEqual(['studio', 'audit.log:read']);
  });

  it('computes expiresAt from expires_in on the injected clock', async () => {
    const { env, auth } = await signIn({ scope: 'studio' });
    expect(auth.store.getState().expiresAt).toBe(env.clock.now() + 899_000);
  });

  it('reads a numeric string expires_in ("3600") as a number', async () => {
    const { env, auth } = await signIn({ expires_in: '3600' });
    expect(auth.store.getState().expiresAt).toBe(env.clock.now() + 3_600_000);
  });

  it('assumes the documented default lifetime when expires_in is missing (RFC 6749 only recommends it)', async () => {
    const { env, auth } = await signIn({ expires_in: undefined });
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', expiresAt: env.clock.now() + DEFAULT_EXPIRES_IN_SECONDS * 1000 });
  });

  it('accepts application/json with parameters and the +json types', async () => {
    for (const type of ['application/json; charset=utf-8', 'application/vnd.celonis+json']) {
      const env = browser(
        () => new Response(JSON.stringify({ access_token: 'access-1', token_type: 'Bearer', expires_in: 60 }), { headers: { 'Content-Type': type } }),
      );
      const authorizeUrl = await env.startLogin();
      const auth = env.openPage();
      env.page.url = callbackFor(authorizeUrl);
      await auth.handleRedirectCallback();
      expect(auth.store.getState().status).toBe('authenticated');
    }
  });

  it('clamps a huge expires_in to a year', async () => {
    const { env, auth } = await signIn({ expires_in: 1e12 });
    const expiresAt = auth.store.getState().expiresAt;
    expect(Number.isFinite(expiresAt)).toBe(true);
    expect(expiresAt).toBeGreaterThan(env.clock.now() + 364 * 86_400_000);
    expect(expiresAt).toBeLessThanOrEqual(env.clock.now() + 366 * 86_400_000);
  });

  it('posts the code with its PKCE verifier, urlencoded, with client_id and no secret', async () => {
    const { env, authorizeUrl } = await signIn({});
    expect(env.requests).toHaveLength(1);
    const request = env.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`${TEAM}/oauth2/token`);
    expect(request.headers.get('Content-Type')).toBe('application/x-www-form-urlencoded');
    expect(request.headers.has('Authorization')).toBe(false);
    const body = new URLSearchParams(request.body);
    expect([...body.keys()].sort()).toEqual(['client_id', 'code', 'code_verifier', 'grant_type', 'redirect_uri']);
    expect(body.get('grant_type')).toBe('authorization_code');
    expect(body.get('code')).toBe('code-1');
    expect(body.get('redirect_uri')).toBe(CALLBACK);
    expect(body.get('client_id')).toBe('my-portal');
    const verifier = body.get('code_verifier') ?? '';
    expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    // RFC 7636 §4.2: the challenge sent at login is BASE64URL(SHA256(verifier)).
    expect(new URL(authorizeUrl).searchParams.get('code_challenge')).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });

  it('cleans the URL before the token request, keeping unrelated parameters', async () => {
    const seen: { url: string; status: string }[] = [];
    const env = browser(() => {
      seen.push({ url: env.page.url, status: auth.store.getState().status });
      return tokenResponse(1);
    });
    const authorizeUrl = await env.startLogin();
    const auth = env.openPage();
    env.page.url = callbackFor(authorizeUrl, { keep: '1', code: 'code-1', iss: TEAM, session_state: 'x' });
    await auth.handleRedirectCallback();
    expect(seen).toEqual([{ url: `${CALLBACK}?keep=1`, status: 'handlingCallback' }]);
    expect(env.page.replaced).toEqual([`${CALLBACK}?keep=1`]);
  });

  it('sends one request for two concurrent calls with the same URL', async () => {
    const env = browser();
    const authorizeUrl = await env.startLogin();
    const auth = env.openPage();
    const url = callbackFor(authorizeUrl);
    const [a, b] = await Promise.all([auth.handleRedirectCallback(url), auth.handleRedirectCallback(url)]);
    expect(a).toEqual({ returnTo: '/reports?id=1' });
    expect(b).toEqual(a);
    expect(env.requests).toHaveLength(1);
  });

  it('gives a second call on the cleaned URL the first result (React StrictMode)', async () => {
    const env = browser();
    const authorizeUrl = await env.startLogin();
    const auth = env.openPage();
    env.page.url = callbackFor(authorizeUrl);
    const first = auth.handleRedirectCallback();
    const second = auth.handleRedirectCallback();
    await expect(Promise.all([first, second])).resolves.toEqual([{ returnTo: '/reports?id=1' }, { returnTo: '/reports?id=1' }]);
    expect(env.requests).toHaveLength(1);
  });

  it('resolves a reload of the old callback URL in a new page from the stored session, sending nothing', async () => {
    const env = browser();
    const url = callbackFor(await env.startLogin({ returnTo: '/a?b=1#c' }));
    await env.openPage().handleRedirectCallback(url);
    const reloaded = env.openPage();
    env.page.url = url;
    await expect(reloaded.handleRedirectCallback()).resolves.toEqual({ returnTo: '/a?b=1#c' });
    expect(env.requests).toHaveLength(1);
    expect(reloaded.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
  });

  it('resolves a reload of the cleaned callback URL while signed in, without network', async () => {
    const env = browser();
    env.page.url = callbackFor(await env.startLogin({ returnTo: '/x' }));
    await env.openPage().handleRedirectCallback();
    expect(env.page.url).toBe(CALLBACK);
    await expect(env.openPage().handleRedirectCallback()).resolves.toEqual({ returnTo: '/x' });
    expect(env.requests).toHaveLength(1);
  });
});

describe('confidential clients', () => {
  async function exchangeWith(config: Partial<CelonisAuthConfig>) {
    const env = browser(undefined, config);
    await env.openPage().handleRedirectCallback(callbackFor(await env.startLogin()));
    return env.requests[0]!;
  }

  it('sends client_secret_basic as base64(client_id:client_secret), without client_id in the body', async () => {
    const secret = 's3:cr%t é';
    const request = await exchangeWith({ clientSecret: secret, clientAuthentication: 'client_secret_basic' });
    expect(request.headers.get('Authorization')).toBe(`Basic ${Buffer.from(`my-portal:${secret}`, 'utf8').toString('base64')}`);
    const body = new URLSearchParams(request.body);
    expect(body.has('client_id')).toBe(false);
    expect(body.has('client_secret')).toBe(false);
  });

  it('uses client_secret_basic by default', async () => {
    const request = await exchangeWith({ clientSecret: 's3cret' });
    expect(request.headers.get('Authorization')).toBe(`Basic ${btoa('my-portal:s3cret')}`);
  });

  it('sends client_secret_post in the body, with client_id and no Authorization header', async () => {
    const request = await exchangeWith({ clientSecret: 's3cret', clientAuthentication: 'client_secret_post' });
    expect(request.headers.has('Authorization')).toBe(false);
    const body = new URLSearchParams(request.body);
    expect(body.get('client_id')).toBe('my-portal');
    expect(body.get('client_secret')).toBe('s3cret');
  });

  it('keeps the secret out of error messages', async () => {
    const env = browser(() => json({ error: 'invalid_client', error_description: 'bad secret' }, 401), { clientSecret: 's3cret' });
    const error = await rejection(env.openPage().handleRedirectCallback(callbackFor(await env.startLogin())));
    expect(error).toMatchObject({ code: 'token_error', oauthError: 'invalid_client' });
    expect((error as Error).message).not.toContain('s3cret');
  });
});

describe('isRedirectCallback()', () => {
  it.each([
    [`${CALLBACK}?code=c&state=s`, true],
    [`${CALLBACK}?error=access_denied&state=s`, true],
    [`${CALLBACK}?state=s`, true],
    [`${CALLBACK}?code=c`, true],
    [CALLBACK, false],
    [`${CALLBACK}?keep=1`, false],
    [`${CALLBACK}#code=c&state=s`, false],
    [`${CALLBACK}/?code=c&state=s`, false],
    ['http://localhost:5173/reports?code=c&state=s', false],
    ['http://localhost:5174/callback?code=c&state=s', false],
    ['https://localhost:5173/callback?code=c&state=s', false],
    ['/callback?code=c&state=s', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(browser().openPage().isRedirectCallback(url)).toBe(expected);
  });

  it('reads the current page by default', () => {
    const env = browser();
    const auth = env.openPage();
    expect(auth.isRedirectCallback()).toBe(false);
    env.page.url = `${CALLBACK}?code=c&state=s`;
    expect(auth.isRedirectCallback()).toBe(true);
  });
});
