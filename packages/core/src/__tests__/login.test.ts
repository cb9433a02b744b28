import { describe, expect, it } from 'vitest';
import { createCelonisAuth, isCelonisAuthError, type CelonisAuthConfig, type CelonisAuthDeps, type StorageLike } from '@celonis-auth/core';
import { callbackFor, fakeDeps, fakeFetch, flakyStorage, inspectableStorage, tokenResponse } from '@celonis-auth/test-utils';

const TEAM = 'https://acme.eu-1.celonis.cloud';
const TX_PREFIX = `celonis-auth:v1:${TEAM}:my-portal:tx:`;

const base: CelonisAuthConfig = {
  teamUrl: TEAM,
  clientId: 'my-portal',
  redirectUri: 'http://localhost:5173/callback',
  scopes: ['studio', 'intelligence.knowledge-models:read'],
  storage: 'memory',
};

/** A client on http://localhost:5173/reports?id=1 whose login transactions go to an inspectable storage. */
function setup(overrides: Partial<CelonisAuthDeps> = {}) {
  const transactions = inspectableStorage();
  const fake = fakeDeps({ transactionStorage: transactions.storage, ...overrides });
  const server = fakeFetch((_, i) => tokenResponse(i + 1));
  const deps = { ...fake.deps, fetch: server.fetch, ...overrides };
  const auth = createCelonisAuth({ ...base, deps });
  return { ...fake, auth, transactions, requests: server.requests, deps };
}

/** The authorization request `login()` navigated to, last first. */
function lastAuthorizeUrl(navigations: readonly string[]): URL {
  const url = navigations.at(-1);
  if (url === undefined) throw new Error('login did not navigate');
  return new URL(url);
}

/** Completes the login the page navigated to, in a new client on the callback page (as after a real redirect). */
async function returnFromLogin(env: ReturnType<typeof setup>) {
  env.page.url = callbackFor(lastAuthorizeUrl(env.page.navigations).href);
  const callbackPage = createCelonisAuth({ ...base, deps: env.deps });
  return callbackPage.handleRedirectCallback();
}

describe('login() builds an authorization request with state and PKCE S256', () => {
  it('navigates once to the team authorize endpoint with every required parameter', async () => {
    const { auth, page } = setup();
    await auth.login();
    expect(page.navigations).toHaveLength(1);
    const url = lastAuthorizeUrl(page.navigations);
    expect(`${url.origin}${url.pathname}`).toBe(`${TEAM}/oauth2/authorize`);
    const params = url.searchParams;
    expect(params.get('response_type')).toBe('code');
    expect(params.get('client_id')).toBe('my-portal');
    expect(params.get('redirect_uri')).toBe('http://localhost:5173/callback');
    expect(params.get('scope')).toBe('studio intelligence.knowledge-models:read');
    expect(params.getAll('state')).toHaveLength(1);
    expect(params.get('state')).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('code_challenge_method')).toBe('S256');
  });

  it('keeps returnTo and the verifier out of the URL', async () => {
    const { auth, page } = setup();
    await auth.login({ returnTo: '/private-report?id=42' });
    const url = lastAuthorizeUrl(page.navigations).href;
    expect(url).not.toContain('private-report');
    expect(lastAuthorizeUrl(page.navigations).searchParams.has('code_verifier')).toBe(false);
  });

  it('stores the transaction before it navigates', async () => {
    const transactions = inspectableStorage();
    const seen: { state: string | null; stored: boolean; status: string }[] = [];
    const env = setup({
      transactionStorage: transactions.storage,
      navigate: (url) => {
        const state = new URL(url).searchParams.get('state');
        seen.push({ state, stored: transactions.items.has(`${TX_PREFIX}${state}`), status: env.auth.store.getState().status });
      },
    });
    await env.auth.login();
    expect(seen).toEqual([{ state: expect.any(String), stored: true, status: 'redirecting' }]);
  });

  it("sets the store's status to redirecting", async () => {
    const { auth } = setup();
    const statuses: string[] = [];
    auth.store.subscribe((state) => void statuses.push(state.status));
    await auth.login();
    expect(auth.store.getState()).toMatchObject({ status: 'redirecting', accessToken: null, error: null });
    expect(statuses).toEqual(['redirecting']);
  });

  it('uses a new state and a new challenge for every login', async () => {
    const { auth, page, transactions } = setup();
    await auth.login();
    await auth.login();
    const [first, second] = page.navigations.map((u) => new URL(u).searchParams);
    expect(first!.get('state')).not.toBe(second!.get('state'));
    expect(first!.get('code_challenge')).not.toBe(second!.get('code_challenge'));
    // Both transactions wait: either tab may come back first.
    expect(transactions.libraryKeys().filter((k) => k !== `${TX_PREFIX}index`)).toHaveLength(2);
  });

  it('asks for the configured scopes plus extra ones, in order and without duplicates', async () => {
    const { auth, page } = setup();
    await auth.login({ scopes: ['audit.log:read', 'studio'] });
    expect(lastAuthorizeUrl(page.navigations).searchParams.get('scope')).toBe('studio intelligence.knowledge-models:read audit.log:read');
  });

  it.each([
    ['a scope with a space', ['audit.log:read studio']],
    ['an empty scope', ['']],
    ['the same extra scope twice', ['audit.log:read', 'audit.log:read']],
  ])('throws a TypeError synchronously for %s, without navigating', (_, scopes) => {
    const { auth, page, transactions } = setup();
    expect(() => auth.login({ scopes })).toThrow(expect.objectContaining({ name: 'CodedTypeError', code: 'invalid_scopes' }));
    expect(page.navigations).toEqual([]);
    expect(transactions.items.size).toBe(0);
  });
});

describe('login({ returnTo }) is same-origin only', () => {
  it.each([
    ['a path with query and fragment', '/a?b=1#c', '/a?b=1#c'],
    ['an absolute URL on this origin', 'http://localhost:5173/x', '/x'],
    ['a relative path', 'archive/2026', '/archive/2026'],
    ['nothing (the current page)', undefined, '/reports?id=1'],
    ['a dot segment that would leave a protocol-relative path', '/.//evil.example/x', '/evil.example/x'],
    ['a parent segment that would leave a protocol-relative path', '/a/..//evil.example', '/evil.example'],
  ])('accepts %s and comes back to it as a path', async (_, returnTo, path) => {
    const env = setup();
    await env.auth.login(returnTo === undefined ? {} : { returnTo });
    await expect(returnFromLogin(env)).resolves.toEqual({ returnTo: path });
  });

  it('never leaves a protocol-relative path when the current page has one', async () => {
    const env = setup();
    env.page.url = 'http://localhost:5173//evil.example/x?y=1';
    await env.auth.login();
    await expect(returnFromLogin(env)).resolves.toEqual({ returnTo: '/evil.example/x?y=1' });
  });

  it.each([
    ['a protocol-relative URL', '//evil.example/x'],
    ['another origin', 'https://evil.example/'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['another port', 'http://localhost:5174/'],
    ['another scheme on this host', 'https://localhost:5173/'],
    ['a backslash path that browsers read as another host', '/\\evil.example'],
    ['a tab-prefixed protocol-relative URL', '\t//evil.example'],
    ['an unparsable URL', 'http://['],
    ['a value that is not a string', 42],
  ])('throws a TypeError synchronously for %s, and nothing navigates', (_, returnTo) => {
    const { auth, page, transactions } = setup();
    expect(() => auth.login({ returnTo } as { returnTo: string })).toThrow(expect.objectContaining({ name: 'CodedTypeError', code: 'invalid_return_to' }));
    expect(page.navigations).toEqual([]);
    expect(transactions.items.size).toBe(0);
    expect(auth.store.getState().status).toBe('signedOut');
  });
});

describe('login() without a usable transaction storage', () => {
  function broken(kind: 'set throws' | 'get throws' | 'drops writes'): StorageLike {
    if (kind === 'drops writes') return { getItem: () => null, setItem: () => undefined, removeItem: () => undefined };
    const flaky = flakyStorage();
    if (kind === 'set throws') flaky.failures.set = true;
    else flaky.failures.get = true;
    return flaky.storage;
  }

  it.each(['set throws', 'get throws', 'drops writes'] as const)(
    'rejects with storage_unavailable when the storage %s, without navigating, and restores the status',
    async (kind) => {
      const { auth, page, requests } = setup({ transactionStorage: broken(kind) });
      const error = await auth.login().catch((e: unknown) => e);
      expect(isCelonisAuthError(error, 'storage_unavailable')).toBe(true);
      expect(page.navigations).toEqual([]);
      expect(requests).toEqual([]);
      expect(auth.store.getState()).toMatchObject({ status: 'signedOut', error });
    },
  );

  it('keeps a signed-in session when a second login cannot store its transaction', async () => {
    const flaky = flakyStorage();
    const { auth, page } = setup({ transactionStorage: flaky.storage });
    await auth.login();
    page.url = callbackFor(lastAuthorizeUrl(page.navigations).href);
    await auth.handleRedirectCallback();
    const before = auth.store.getState();
    expect(before).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
    flaky.failures.set = true;
    const error = await auth.login({ scopes: ['audit.log:read'] }).catch((e: unknown) => e);
    expect(isCelonisAuthError(error, 'storage_unavailable')).toBe(true);
    expect(page.navigations).toHaveLength(1);
    expect(auth.store.getState()).toEqual({ ...before, error });
  });

  it('records the latest failure in the store, replacing an older one', async () => {
    const flaky = flakyStorage();
    const { auth, page } = setup({ transactionStorage: flaky.storage });
    await auth.login();
    page.url = callbackFor(lastAuthorizeUrl(page.navigations).href, { error: 'access_denied' });
    await auth.handleRedirectCallback().catch(() => undefined);
    expect(auth.store.getState().error?.code).toBe('authorization_error');
    flaky.failures.set = true;
    await expect(auth.login()).rejects.toMatchObject({ code: 'storage_unavailable' });
    expect(auth.store.getState()).toMatchObject({ status: 'signedOut', error: { code: 'storage_unavailable' } });
  });

  it('rejects with storage_unavailable when deps.transactionStorage is undefined', async () => {
    const { auth, page } = setup({ transactionStorage: undefined });
    await expect(auth.login()).rejects.toMatchObject({ name: 'CelonisAuthError', code: 'storage_unavailable' });
    expect(page.navigations).toEqual([]);
    expect(auth.store.getState().status).toBe('signedOut');
  });
});
