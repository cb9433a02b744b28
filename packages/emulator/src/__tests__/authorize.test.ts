import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CELONIS_SCOPES } from '@celonis-auth/core/protocol';
import { EMULATOR_SCOPES, startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import {
  ANALYST,
  OTHER_REDIRECT_URI,
  REDIRECT_URI,
  VIEWER,
  authorize,
  authorizeUrl,
  callApi,
  exchangeCode,
  hiddenInputs,
  json,
  openLoginForm,
  pkce,
  readLoginForm,
  submitLoginForm,
  urlencoded,
  useEmulator,
  type LoginForm,
  type TokenResponse,
} from './flows.js';

const emulator = useEmulator();

/** POSTs raw form fields to the authorize endpoint without following the redirect. */
function postAuthorize(em: RunningEmulator, fields: URLSearchParams): Promise<Response> {
  return fetch(`${em.url}/oauth2/authorize`, { method: 'POST', body: fields, redirect: 'manual' });
}

function locationOf(response: Response): URL {
  const location = response.headers.get('location');
  if (!location) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(location);
}

describe('the login and consent page', () => {
  it('is a plain HTML form with username, password, Approve/Deny buttons and the request in hidden inputs', async () => {
    const { challenge } = pkce();
    const url = authorizeUrl(emulator(), { scope: 'studio audit.log:read', state: 's-1', codeChallenge: challenge });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await response.text();
    expect(html).toContain('<form method="post" action="/oauth2/authorize">');
    expect(html).toMatch(/<input id="username" name="username" type="email"/);
    expect(html).toMatch(/<input id="password" name="password" type="password"/);
    expect(html).toContain('<button type="submit" name="decision" value="approve">');
    expect(html).toContain('<button type="submit" name="decision" value="deny" formnovalidate>');
    expect(hiddenInputs(html)).toEqual([
      ['response_type', 'code'],
      ['client_id', 'dashboard'],
      ['redirect_uri', REDIRECT_URI],
      ['scope', 'studio audit.log:read'],
      ['state', 's-1'],
      ['code_challenge', challenge],
      ['code_challenge_method', 'S256'],
      ['csrf_token', expect.stringMatching(/^[\w-]{43}\.[\w-]{43}$/)],
    ]);
    // The form's cookie binds the token to this browser; a cross-site post arrives without it.
    expect(response.headers.get('set-cookie')).toMatch(/^celonis_emulator_form=[\w-]{43}; Path=\/oauth2\/authorize; HttpOnly; SameSite=Strict$/);
    // The scopes are listed with the descriptions of the Celonis table.
    expect(html).toContain('<code>audit.log:read</code> <span class="muted">Gives read-only access to audit logs.</span>');
    expect(html).toContain('Sign in to continue to Celonis Portal');
  });

  it('redirects to redirect_uri with a code and the same state on Approve, and the code redeems', async () => {
    const em = emulator();
    const { verifier, challenge } = pkce();
    const form = await openLoginForm(authorizeUrl(em, { state: 'xyz', codeChallenge: challenge }));
    const response = await submitLoginForm(em, form, { username: ANALYST.username, password: ANALYST.password, decision: 'approve' });
    expect(response.status).toBe(302);
    const location = locationOf(response);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.has('error')).toBe(false);
    const exchange = await exchangeCode(em, {
      code: location.searchParams.get('code')!,
      state: 'xyz',
      clientId: 'dashboard',
      redirectUri: REDIRECT_URI,
      verifier,
    });
    expect(exchange.status).toBe(200);
  });

  it('redirects with error=access_denied and the same state on Deny, without needing credentials', async () => {
    const em = emulator();
    const form = await openLoginForm(authorizeUrl(em, { state: 'deny-state', codeChallenge: pkce().challenge }));
    const response = await submitLoginForm(em, form, { username: '', decision: 'deny' });
    expect(response.status).toBe(302);
    const location = locationOf(response);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('deny-state');
    expect(location.searchParams.has('code')).toBe(false);
  });

  it.each([
    { name: 'a wrong password', username: ANALYST.username, password: 'wrong' },
    { name: 'an unknown user', username: 'nobody@example.com', password: 'analyst' },
    { name: 'another user’s password', username: VIEWER.username, password: ANALYST.password },
    { name: 'no credentials', username: '', password: '' },
  ])('re-renders the form with 401 and a message for $name, without redirecting', async ({ username, password }) => {
    const em = emulator();
    const url = authorizeUrl(em, { state: 'keep-me', codeChallenge: pkce().challenge });
    const form = await openLoginForm(url);
    const response = await submitLoginForm(em, form, { username, password, decision: 'approve' });
    expect(response.status).toBe(401);
    expect(response.headers.get('location')).toBeNull();
    const again = await readLoginForm(response);
    expect(again.html).toContain('<p class="error" role="alert">Wrong email or password.</p>');
    // The same request again, under a new form token.
    const withoutToken = (form: LoginForm) => hiddenInputs(form.html).filter(([name]) => name !== 'csrf_token');
    expect(withoutToken(again)).toEqual(withoutToken(form));
    expect(hiddenInputs(again.html).find(([name]) => name === 'csrf_token')).not.toEqual(hiddenInputs(form.html).find(([name]) => name === 'csrf_token'));
    expect(again.html).toContain(`value="${username}"`);
    // The user can retry on the re-rendered form.
    const retry = await submitLoginForm(em, again, { username: ANALYST.username, password: ANALYST.password, decision: 'approve' });
    expect(retry.status).toBe(302);
    expect(locationOf(retry).searchParams.get('state')).toBe('keep-me');
  });

  it('serves its stylesheet as written: the font list keeps its quotes, nothing is HTML-escaped', async () => {
    const form = await openLoginForm(authorizeUrl(emulator(), { codeChallenge: pkce().challenge }));
    const style = /<style>([\s\S]*?)<\/style>/.exec(form.html)?.[1] ?? '';
    expect(style).toContain('font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;');
    expect(style).not.toMatch(/&(?:quot|#39|amp|lt|gt);/);
  });

  it.each([undefined, 'maybe'])('asks again with 400 when the decision is %s', async (decision) => {
    const em = emulator();
    const form = await openLoginForm(authorizeUrl(em, { codeChallenge: pkce().challenge }));
    const response = await submitLoginForm(em, form, { username: ANALYST.username, password: ANALYST.password, decision });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Choose Approve or Deny.');
  });
});

describe('requests that must never redirect (RFC 6749 §4.1.2.1)', () => {
  const base = (): Record<string, string> => ({
    response_type: 'code',
    client_id: 'dashboard',
    redirect_uri: REDIRECT_URI,
    scope: 'studio',
    state: 's',
    code_challenge: pkce().challenge,
    code_challenge_method: 'S256',
  });
  const INCOMPLETE = 'This sign-in link is incomplete';
  const UNREGISTERED = 'This application is not registered';
  const NOT_ALLOWED = 'This return address is not allowed';
  const APP_HOME = 'http://localhost:5173/';
  // `home`: the link back, only to an origin some client registers a redirect URI on.
  const cases: { name: string; params: () => [string, string][]; message: string; title: string; home: string | undefined }[] = [
    {
      name: 'an unknown client_id',
      params: () => Object.entries({ ...base(), client_id: 'nobody' }),
      message: 'Unknown client_id',
      title: UNREGISTERED,
      home: APP_HOME,
    },
    {
      name: 'a missing client_id',
      params: () => Object.entries(base()).filter(([k]) => k !== 'client_id'),
      message: 'no single client_id',
      title: INCOMPLETE,
      home: APP_HOME,
    },
    {
      name: 'a repeated client_id',
      params: () => [...Object.entries(base()), ['client_id', 'dashboard']],
      message: 'no single client_id',
      title: INCOMPLETE,
      home: APP_HOME,
    },
    {
      name: 'an unregistered redirect_uri',
      params: () => Object.entries({ ...base(), redirect_uri: 'https://evil.example/callback' }),
      message: 'is not registered',
      title: NOT_ALLOWED,
      home: undefined,
    },
    {
      name: 'a redirect_uri differing by a trailing slash',
      params: () => Object.entries({ ...base(), redirect_uri: `${REDIRECT_URI}/` }),
      message: 'is not registered',
      title: NOT_ALLOWED,
      home: APP_HOME,
    },
    {
      name: 'a redirect_uri on a registered host with another port',
      params: () => Object.entries({ ...base(), redirect_uri: 'http://localhost:5174/callback' }),
      message: 'is not registered',
      title: NOT_ALLOWED,
      home: undefined,
    },
    {
      name: 'an unknown client_id and an unregistered redirect_uri',
      params: () => Object.entries({ ...base(), client_id: 'nobody', redirect_uri: 'https://evil.example/callback' }),
      message: 'Unknown client_id',
      title: UNREGISTERED,
      home: undefined,
    },
    {
      name: 'a missing redirect_uri',
      params: () => Object.entries(base()).filter(([k]) => k !== 'redirect_uri'),
      message: 'no single redirect_uri',
      title: INCOMPLETE,
      home: undefined,
    },
    {
      name: 'a repeated redirect_uri',
      params: () => [...Object.entries(base()), ['redirect_uri', REDIRECT_URI]],
      message: 'no single redirect_uri',
      title: INCOMPLETE,
      home: APP_HOME,
    },
    {
      name: 'a client without redirect URIs (m2m)',
      params: () => Object.entries({ ...base(), client_id: 'm2m' }),
      message: 'is not registered',
      title: NOT_ALLOWED,
      home: APP_HOME,
    },
  ];

  it.each(cases)('GET with $name shows a 400 error page that says what happened, with a way back', async ({ params, message, title, home }) => {
    const url = new URL('/oauth2/authorize', emulator().url);
    url.search = new URLSearchParams(params()).toString();
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain(`<h1>${title}</h1>`);
    expect(html).toMatch(/<p class="error" role="alert">[^<]+\.<\/p>/);
    expect(html).toContain(message);
    expect(html).not.toContain('<form');
    const links = [...html.matchAll(/<a href="([^"]*)">/g)].map((m) => m[1]);
    if (home === undefined) {
      expect(links).toEqual([]);
      expect(html).toContain('Close this page and return to the application you came from.');
    } else {
      expect(links).toEqual([home]);
      expect(html).toContain(`<a href="${home}">Back to ${home}</a>`);
    }
  });

  it.each(cases)('POST (approve) with $name and no form token is refused with a 403 page and issues no code', async ({ params }) => {
    const em = emulator();
    const body = urlencoded([...params(), ['username', ANALYST.username], ['password', ANALYST.password], ['decision', 'approve']]);
    const response = await postAuthorize(em, body);
    expect(response.status).toBe(403);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('This sign-in form cannot be used');
  });

  it('names the problem for people and tells the developer what to change, on an unknown client', async () => {
    const url = authorizeUrl(emulator(), { clientId: 'my-portal', codeChallenge: pkce().challenge });
    const html = await (await fetch(url)).text();
    expect(html).toContain('The application that sent you here is not one this emulator knows');
    expect(html).toContain('the emulator lists its clients when it starts, and --config adds more');
    expect(html).toContain('Details: Unknown client_id &quot;my-portal&quot;.');
  });

  it('shows the error page for a POST whose body is not a form', async () => {
    const response = await fetch(`${emulator().url}/oauth2/authorize`, {
      method: 'POST',
      body: '{"client_id":"dashboard"}',
      headers: { 'Content-Type': 'application/json' },
      redirect: 'manual',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('location')).toBeNull();
  });
});

describe('requests refused through the redirect URI', () => {
  const base = (): Record<string, string> => ({
    response_type: 'code',
    client_id: 'dashboard',
    redirect_uri: REDIRECT_URI,
    scope: 'studio',
    state: 'st',
    code_challenge: pkce().challenge,
    code_challenge_method: 'S256',
  });
  const without = (name: string) => Object.entries(base()).filter(([k]) => k !== name);
  const cases: { name: string; params: () => [string, string][]; error: string }[] = [
    { name: 'an unknown scope', params: () => Object.entries({ ...base(), scope: 'studio not-a-scope' }), error: 'invalid_scope' },
    { name: 'an empty scope', params: () => Object.entries({ ...base(), scope: '' }), error: 'invalid_scope' },
    { name: 'a missing scope', params: () => without('scope'), error: 'invalid_scope' },
    { name: 'a public client without PKCE', params: () => without('code_challenge').filter(([k]) => k !== 'code_challenge_method'), error: 'invalid_request' },
    { name: 'code_challenge_method=plain', params: () => Object.entries({ ...base(), code_challenge_method: 'plain' }), error: 'invalid_request' },
    { name: 'a code_challenge without a method', params: () => without('code_challenge_method'), error: 'invalid_request' },
    { name: 'a method without a code_challenge', params: () => without('code_challenge'), error: 'invalid_request' },
    { name: 'a malformed code_challenge', params: () => Object.entries({ ...base(), code_challenge: 'short' }), error: 'invalid_request' },
    { name: 'response_type=token', params: () => Object.entries({ ...base(), response_type: 'token' }), error: 'unsupported_response_type' },
    { name: 'response_type=code id_token', params: () => Object.entries({ ...base(), response_type: 'code id_token' }), error: 'unsupported_response_type' },
    { name: 'a missing response_type', params: () => without('response_type'), error: 'invalid_request' },
    { name: 'a repeated state', params: () => [...Object.entries(base()), ['state', 'other']], error: 'invalid_request' },
    { name: 'a repeated scope', params: () => [...Object.entries(base()), ['scope', 'studio']], error: 'invalid_request' },
    { name: 'a repeated response_type', params: () => [...Object.entries(base()), ['response_type', 'code']], error: 'invalid_request' },
  ];

  it.each(cases)('GET with $name redirects with error=$error and the state', async ({ params, error }) => {
    const url = new URL('/oauth2/authorize', emulator().url);
    url.search = new URLSearchParams(params()).toString();
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = locationOf(response);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe(error);
    expect(location.searchParams.get('error_description')).toEqual(expect.any(String));
    expect(location.searchParams.get('state')).toBe('st');
    expect(location.searchParams.has('code')).toBe(false);
    expect(emulator().requests('authorize')).toMatchObject([{ status: 302, error }]);
  });

  it.each(cases)('POST (approve) with $name and no form token is refused with a 403 page, without a redirect', async ({ params }) => {
    const body = urlencoded([...params(), ['username', ANALYST.username], ['password', ANALYST.password], ['decision', 'approve']]);
    const response = await postAuthorize(emulator(), body);
    expect(response.status).toBe(403);
    expect(response.headers.get('location')).toBeNull();
  });

  it('lets the confidential portal client omit PKCE', async () => {
    const response = await fetch(authorizeUrl(emulator(), { clientId: 'portal', codeChallenge: null }));
    expect(response.status).toBe(200);
  });

  it('redirects to the other registered redirect URI when that one is asked for', async () => {
    const em = emulator();
    const form = await openLoginForm(authorizeUrl(em, { redirectUri: OTHER_REDIRECT_URI, codeChallenge: pkce().challenge }));
    const response = await submitLoginForm(em, form, { username: ANALYST.username, password: ANALYST.password, decision: 'approve' });
    expect(response.headers.get('location')).toMatch(new RegExp(`^${OTHER_REDIRECT_URI.replace(/\./g, '\\.')}\\?code=`));
  });
});

describe('hostile values', () => {
  const hostile = `"><script>alert(1)</script><a href='x'>&amp;`;

  it('escapes a hostile state in the page and gives it back unchanged in the redirect', async () => {
    const em = emulator();
    const form = await openLoginForm(authorizeUrl(em, { state: hostile, codeChallenge: pkce().challenge }));
    expect(form.html).not.toContain('<script>');
    expect(form.html).not.toContain(hostile);
    expect(form.html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hiddenInputs(form.html)).toContainEqual(['state', hostile]);
    const response = await submitLoginForm(em, form, { username: ANALYST.username, password: ANALYST.password, decision: 'approve' });
    expect(locationOf(response).searchParams.get('state')).toBe(hostile);
  });

  it('escapes a hostile redirect_uri on the error page', async () => {
    const url = authorizeUrl(emulator(), { redirectUri: `javascript:"><img src=x onerror=alert(1)>`, codeChallenge: pkce().challenge });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('escapes a hostile client_id on the error page', async () => {
    const url = authorizeUrl(emulator(), { clientId: '<script>x</script>', codeChallenge: pkce().challenge });
    const html = await (await fetch(url)).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
  });

  it('escapes a hostile username when re-rendering the form after a failed sign-in', async () => {
    const em = emulator();
    const form = await openLoginForm(authorizeUrl(em, { codeChallenge: pkce().challenge }));
    const response = await submitLoginForm(em, form, { username: hostile, password: 'x', decision: 'approve' });
    expect(response.status).toBe(401);
    const again = await response.text();
    expect(again).not.toContain('<script>');
    expect(again).toContain('value="&quot;&gt;&lt;script&gt;');
  });

  it('gives back a long but reasonable state (1 KB) unchanged', async () => {
    const em = emulator();
    const state = 'S'.repeat(1024);
    const location = new URL(em.approve(authorizeUrl(em, { state, codeChallenge: pkce().challenge })));
    expect(location.searchParams.get('state')).toBe(state);
  });

  it('refuses an overlong state (3 KB) with invalid_request and leaves it out of the Location', async () => {
    const em = emulator();
    const url = authorizeUrl(em, { state: 'x'.repeat(3 * 1024), codeChallenge: pkce().challenge });
    const location = locationOf(await fetch(url, { redirect: 'manual' }));
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.has('state')).toBe(false);
    expect(location.searchParams.has('code')).toBe(false);
    expect(location.href.length).toBeLessThan(4096);
  });

  it('leaves out an overlong state even when another parameter is the first overlong one', async () => {
    const em = emulator();
    const url = authorizeUrl(em, { scope: 's'.repeat(4096), state: 'x'.repeat(3 * 1024), codeChallenge: pkce().challenge });
    const location = locationOf(await fetch(url, { redirect: 'manual' }));
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.has('state')).toBe(false);
    expect(location.href.length).toBeLessThan(4096);
  });

  it('refuses a posted 64 KB state without a form token with a 403 page and no Location at all', async () => {
    const em = emulator();
    const url = authorizeUrl(em, { state: 'x'.repeat(64 * 1024), codeChallenge: pkce().challenge });
    const response = await postAuthorize(
      em,
      urlencoded([...url.searchParams, ['username', ANALYST.username], ['password', ANALYST.password], ['decision', 'approve']]),
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('location')).toBeNull();
  });

  it('keeps the error redirect short when a huge unicode scope is echoed in error_description', async () => {
    const em = emulator();
    const url = authorizeUrl(em, { scope: '😀'.repeat(150), state: 'keep', codeChallenge: pkce().challenge });
    const response = await fetch(url, { redirect: 'manual' });
    const location = locationOf(response);
    expect(location.searchParams.get('error')).toBe('invalid_scope');
    expect(location.searchParams.get('state')).toBe('keep');
    expect(location.href.length).toBeLessThan(4096);
  });

  it('does not carry unknown parameters into the form', async () => {
    const url = authorizeUrl(emulator(), { codeChallenge: pkce().challenge });
    url.searchParams.set('prompt', '"><b>');
    const form = await openLoginForm(url);
    expect(hiddenInputs(form.html).map(([name]) => name)).not.toContain('prompt');
    expect(form.html).not.toContain('<b>');
  });
});

describe('granted scopes: the requested scopes the user is permitted', () => {
  it('gives viewer@example.com only studio when asking for audit.log:read and studio', async () => {
    const em = emulator();
    const tokens = await authorize(em, { user: VIEWER.username, scope: 'audit.log:read studio' });
    expect(tokens.scope).toBe('studio');
    expect(decodeJwt(tokens.access_token).scope).toEqual(['studio']);
    const audit = await callApi(em, '/audit-log/api/events', tokens.access_token);
    expect(audit.status).toBe(403);
  });

  it('gives analyst@example.com every requested scope, in the requested order', async () => {
    const em = emulator();
    const tokens = await authorize(em, { user: ANALYST.username, scope: 'audit.log:read studio' });
    expect(tokens.scope).toBe('audit.log:read studio');
    expect(decodeJwt(tokens.access_token).scope).toEqual(['audit.log:read', 'studio']);
    expect((await callApi(em, '/audit-log/api/events', tokens.access_token)).status).toBe(200);
  });

  it('grants openid, the scope of the Celonis page\u2019s example token', async () => {
    const em = emulator();
    const tokens = await authorize(em, { user: VIEWER.username, scope: 'openid studio' });
    expect(tokens.scope).toBe('openid studio');
    expect(decodeJwt(tokens.access_token).scope).toEqual(['openid', 'studio']);
    expect(EMULATOR_SCOPES).toContain('openid');
    // The core's catalogue is the page's scopes (its table and studio), never openid.
    expect(Object.keys(CELONIS_SCOPES)).not.toContain('openid');
  });

  it.each([
    { name: 'through the HTML form', decide: 'form' as const },
    { name: 'headlessly', decide: 'approve' as const },
  ])('redirects $name with access_denied and the state, and no code, when the user has none of the requested scopes', async ({ decide }) => {
    const em = emulator();
    const url = authorizeUrl(em, { scope: 'audit.log:read integration.data-pools', state: 'none-granted', codeChallenge: pkce().challenge });
    const location =
      decide === 'form'
        ? locationOf(await submitLoginForm(em, await openLoginForm(url), { username: VIEWER.username, password: VIEWER.password, decision: 'approve' }))
        : new URL(em.approve(url, { username: VIEWER.username }));
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('error_description')).toBe('The user has none of the requested scopes.');
    expect(location.searchParams.get('state')).toBe('none-granted');
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('denies an approval when the client may be granted none of the requested scopes either', async () => {
    const em = await startEmulator({
      config: { clients: [{ clientId: 'narrow', grantTypes: ['authorization_code'], redirectUris: [REDIRECT_URI], scopes: ['studio'] }] },
    });
    try {
      const url = authorizeUrl(em, { clientId: 'narrow', scope: 'audit.log:read', state: 's', codeChallenge: pkce().challenge });
      const location = new URL(em.approve(url, { username: ANALYST.username }));
      expect([location.searchParams.get('error'), location.searchParams.has('code')]).toEqual(['access_denied', false]);
    } finally {
      await em.close();
    }
  });

  it('grants through the HTML form what the signed-in user is permitted', async () => {
    const em = emulator();
    const { verifier, challenge } = pkce();
    const form = await openLoginForm(authorizeUrl(em, { scope: 'integration.data-pools studio', codeChallenge: challenge }));
    const response = await submitLoginForm(em, form, { username: VIEWER.username, password: VIEWER.password, decision: 'approve' });
    const code = locationOf(response).searchParams.get('code')!;
    const tokens = await json<TokenResponse>(await exchangeCode(em, { code, state: '', clientId: 'dashboard', redirectUri: REDIRECT_URI, verifier }));
    expect(tokens.scope).toBe('studio');
    expect(decodeJwt(tokens.access_token).sub).toBe(VIEWER.username);
  });
});

describe('a registered redirect URI with its own query (RFC 6749 §3.1.2)', () => {
  const REGISTERED = 'http://localhost:5173/callback?tenant=a%20b&flag';
  let em: RunningEmulator;
  beforeAll(async () => {
    em = await startEmulator({
      config: { clients: [{ clientId: 'tenant-app', grantTypes: ['authorization_code', 'refresh_token'], redirectUris: [REGISTERED] }] },
    });
  });
  afterAll(() => em.close());

  it.each([
    {
      name: 'a code',
      url: () => authorizeUrl(em, { clientId: 'tenant-app', redirectUri: REGISTERED, state: 'st', codeChallenge: pkce().challenge }),
      decision: 'approve' as const,
      added: /^code=[\w-]+&state=st$/,
    },
    {
      name: 'a denial',
      url: () => authorizeUrl(em, { clientId: 'tenant-app', redirectUri: REGISTERED, state: 'st', codeChallenge: pkce().challenge }),
      decision: 'deny' as const,
      added: /^error=access_denied&error_description=[^&]+&state=st$/,
    },
    {
      name: 'an error',
      url: () => authorizeUrl(em, { clientId: 'tenant-app', redirectUri: REGISTERED, scope: 'nope', state: 'st', codeChallenge: pkce().challenge }),
      decision: 'approve' as const,
      added: /^error=invalid_scope&error_description=[^&]+&state=st$/,
    },
  ])('keeps that query as written and appends $name', ({ url, decision, added }) => {
    const location = em.approve(url(), { username: ANALYST.username, decision });
    expect(location.startsWith(`${REGISTERED}&`)).toBe(true);
    expect(location.slice(REGISTERED.length + 1)).toMatch(added);
  });

  it('keeps it in the redirect of the HTML form too, and the code redeems with that redirect_uri', async () => {
    const { verifier, challenge } = pkce();
    const form = await openLoginForm(authorizeUrl(em, { clientId: 'tenant-app', redirectUri: REGISTERED, state: 'form', codeChallenge: challenge }));
    const response = await submitLoginForm(em, form, { username: ANALYST.username, password: ANALYST.password, decision: 'approve' });
    const location = response.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${REGISTERED.replace(/[.?]/g, '\\$&')}&code=[\\w-]+&state=form$`));
    const code = new URL(location).searchParams.get('code')!;
    const exchange = await exchangeCode(em, { code, state: 'form', clientId: 'dashboard', redirectUri: REGISTERED, verifier }, { client_id: 'tenant-app' });
    expect(exchange.status).toBe(200);
  });
});
