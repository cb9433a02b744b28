import { describe, expect, test } from 'vitest';
import { sha256Base64url } from '../bffIds.js';
import { HTTPS_ORIGIN, SCOPES, tokenGrants, useBffHarness, type BffHarness } from './bffSupport.js';

let h: BffHarness;
useBffHarness((harness) => (h = harness));

describe('the whole flow against the emulator (celonis profile)', () => {
  test('login → approve → callback → session → proxied API call → logout', async () => {
    const browser = h.browser();
    const login = await browser.request('/auth/login?returnTo=%2Freports%3Fid%3D1');
    expect(login.status).toBe(302);
    const authorize = new URL(login.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${h.emulator.url}/oauth2/authorize`);
    const params = Object.fromEntries(authorize.searchParams);
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: 'portal',
      redirect_uri: h.redirectUri,
      scope: SCOPES.join(' '),
      code_challenge_method: 'S256',
    });
    expect(params.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(browser.jar.has(`celonis-auth.txn.${params.state}`)).toBe(true);

    const callback = new URL(h.emulator.approve(authorize, { username: 'analyst@example.com' }));
    const done = await browser.request(`${callback.pathname}${callback.search}`);
    expect({ status: done.status, location: done.location }).toEqual({ status: 302, location: '/reports?id=1' });
    expect(done.headers.get('cache-control')).toBe('no-store');
    expect(browser.jar.has(`celonis-auth.txn.${params.state}`)).toBe(false);
    expect(browser.session()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(h.emulator.requests('token')).toEqual([
      expect.objectContaining({ grantType: 'authorization_code', clientAuth: 'client_secret_basic', status: 200 }),
    ]);

    const session = await browser.request('/auth/session');
    expect(session.status).toBe(200);
    expect(session.headers.get('cache-control')).toBe('no-store');
    const state = JSON.parse(session.body) as { status: string; scopes: string[]; expiresAt: number };
    expect(state).toEqual({ status: 'authenticated', scopes: SCOPES, expiresAt: expect.any(Number) });
    expect(state.expiresAt).toBeGreaterThan(Date.now() + 800_000);

    const models = await browser.api('/celonis/intelligence/api/knowledge-models?page=1');
    expect(models.status).toBe(200);
    expect(JSON.parse(models.body)).toMatchObject({ content: expect.arrayContaining([expect.objectContaining({ id: 'km-o2c' })]) });
    const me = await browser.api('/celonis/api/me');
    expect(JSON.parse(me.body)).toMatchObject({ sub: 'analyst@example.com', clientId: 'portal' });

    const logout = await browser.api('/auth/logout', { method: 'POST' });
    expect(logout.status).toBe(204);
    expect(logout.setCookies).toEqual([expect.stringMatching(/^celonis-auth=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax$/)]);
    expect(browser.session()).toBeUndefined();
    expect(JSON.parse((await browser.request('/auth/session')).body)).toEqual({ status: 'signedOut', scopes: [], expiresAt: null });
    expect(JSON.parse((await browser.api('/celonis/api/me')).body)).toMatchObject({ error: 'login_required' });
  });

  test('the server-side session is gone after logout, even for a copied cookie', async () => {
    const browser = h.browser();
    await h.signIn(browser);
    const copy = h.browser();
    copy.jar.set('celonis-auth', browser.session()!);
    expect((await browser.api('/auth/logout', { method: 'POST' })).status).toBe(204);
    const answer = await copy.api('/celonis/api/me');
    expect({ status: answer.status, error: (JSON.parse(answer.body) as { error: string }).error }).toEqual({ status: 401, error: 'login_required' });
    expect(h.emulator.requests('api')).toEqual([]);
  });

  test('no session: 401 login_required JSON, nothing sent to the team', async () => {
    const answer = await h.browser().api('/celonis/api/me');
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toEqual({ error: 'login_required', error_description: expect.any(String) });
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.setCookies).toEqual([]);
    expect(h.emulator.requests('api')).toEqual([]);
  });

  test('two tabs sign in at once: each login has its own transaction cookie', async () => {
    const browser = h.browser();
    const one = await browser.request('/auth/login?returnTo=%2Fone');
    const two = await browser.request('/auth/login?returnTo=%2Ftwo');
    const [first, second] = [one, two].map((login) => new URL(h.emulator.approve(login.location!)));
    const doneTwo = await browser.request(`${second!.pathname}${second!.search}`);
    const doneOne = await browser.request(`${first!.pathname}${first!.search}`);
    expect([doneTwo.location, doneOne.location]).toEqual(['/two', '/one']);
    expect([...browser.jar.keys()]).toEqual(['celonis-auth']);
  });

  test('login?scopes= adds scopes to the configured ones', async () => {
    const login = await h.browser().request(`/auth/login?scopes=${encodeURIComponent('audit.log:read studio')}`);
    expect(new URL(login.location!).searchParams.get('scope')).toBe([...SCOPES, 'audit.log:read'].join(' '));
  });

  test('client_secret_post with multipart bodies, as the page shows, and a secret function read per use', async () => {
    let reads = 0;
    h.use({ clientAuthentication: 'client_secret_post', tokenBodyEncoding: 'multipart', clientSecret: () => (reads++, 'portal-secret') });
    const browser = h.browser();
    expect((await h.signIn(browser)).status).toBe(302);
    expect(h.emulator.requests('token')).toEqual([expect.objectContaining({ clientAuth: 'client_secret_post', bodyEncoding: 'multipart', status: 200 })]);
    expect(reads).toBe(1);
  });
});

describe('session fixation', () => {
  test('a session cookie planted before sign-in is not reused, and its session is deleted', async () => {
    const attacker = h.browser();
    await h.signIn(attacker, { username: 'viewer@example.com' });
    const planted = attacker.session()!;
    const victim = h.browser();
    victim.jar.set('celonis-auth', planted);
    await h.signIn(victim);
    expect(victim.session()).not.toBe(planted);
    expect(await h.store.get(`session:${sha256Base64url(planted)}`)).toBeNull();
    expect(JSON.parse((await attacker.request('/auth/session')).body)).toMatchObject({ status: 'signedOut' });
    expect(JSON.parse((await victim.api('/celonis/api/me')).body)).toMatchObject({ sub: 'analyst@example.com' });
  });

  test('a made-up cookie value is not adopted either', async () => {
    const browser = h.browser();
    browser.jar.set('celonis-auth', 'A'.repeat(43));
    await h.signIn(browser);
    expect(browser.session()).not.toBe('A'.repeat(43));
  });

  test('the store holds the session under the id’s hash, never the id', async () => {
    const browser = h.browser();
    await h.signIn(browser);
    const id = browser.session()!;
    expect(await h.store.get(`session:${id}`)).toBeNull();
    const sealed = await h.store.get(`session:${sha256Base64url(id)}`);
    expect(sealed).toMatch(/^v1\./);
    for (const token of h.tokens) expect(sealed).not.toContain(token);
  });
});

describe('cookie attributes', () => {
  test('http on loopback: HttpOnly, SameSite=Lax, Path=/, no Secure, no __Host- prefix', async () => {
    const browser = h.browser();
    const login = await browser.request('/auth/login');
    const state = new URL(login.location!).searchParams.get('state')!;
    expect(login.setCookies).toEqual([
      `celonis-auth.txn.${state}=${browser.jar.get(`celonis-auth.txn.${state}`)}; Path=/; Max-Age=600; HttpOnly; SameSite=Lax`,
    ]);
    const callback = new URL(h.emulator.approve(login.location!));
    const done = await browser.request(`${callback.pathname}${callback.search}`);
    expect(done.setCookies).toEqual([
      `celonis-auth.txn.${state}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`,
      `celonis-auth=${browser.session()}; Path=/; Max-Age=43200; HttpOnly; SameSite=Lax`,
    ]);
  });

  test('https: __Host- prefix and Secure on the transaction and the session cookie', async () => {
    const bff = h.use({ redirectUri: `${HTTPS_ORIGIN}/auth/callback` });
    const browser = h.httpsBrowser(bff);
    const login = await browser.request('/auth/login');
    const state = new URL(login.location!).searchParams.get('state')!;
    expect(login.setCookies).toEqual([
      expect.stringMatching(new RegExp(`^__Host-celonis-auth\\.txn\\.${state}=[\\w-]{43}; Path=/; Max-Age=600; HttpOnly; SameSite=Lax; Secure$`)),
    ]);
    const done = await h.signIn(browser);
    expect(done.status).toBe(302);
    expect(done.setCookies.at(-1)).toMatch(/^__Host-celonis-auth=[\w-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax; Secure$/);
    const session = await browser.request('/auth/session');
    expect(JSON.parse(session.body)).toMatchObject({ status: 'authenticated' });
    expect(tokenGrants(h.emulator)).toEqual(['authorization_code']);
  });

  test('cookieName and secure: true on loopback', async () => {
    h.use({ cookieName: 'portal-session', secure: true });
    const done = await h.signIn(h.browser());
    expect(done.setCookies.at(-1)).toMatch(/^__Host-portal-session=[\w-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax; Secure$/);
  });
});
