import { afterEach, describe, expect, it, vi } from 'vitest';
import { useEffect } from 'react';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { CelonisAuthError, type CelonisAuthErrorCode, type ScopeMatchMode } from '@celonis-auth/core';
import { CelonisAuthProvider, RequireScopes, type RequireScopesFallbackProps } from '../index.js';
import { createTestCelonisAuth, type TestAuthOptions, type TestCelonisAuth } from '../testing/index.js';
import { json, tokenResponse } from '@celonis-auth/test-utils';
import { PAGE_PATH, realClient, renderStrict } from './helpers.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const AUDIT = 'audit.log:read';

function Fallback({ missingScopes, error, requestAccess }: RequireScopesFallbackProps) {
  return (
    <div>
      <p>fallback</p>
      <p data-testid="missing">{missingScopes.join(' ')}</p>
      <p data-testid="fallback-error">{error?.code ?? 'none'}</p>
      <button type="button" onClick={() => void requestAccess()}>
        Request access
      </button>
    </div>
  );
}

function Guarded({ auth, scopes = ['studio', AUDIT], mode }: { auth: TestCelonisAuth; scopes?: string[]; mode?: ScopeMatchMode }) {
  return (
    <CelonisAuthProvider auth={auth}>
      <RequireScopes scopes={scopes} {...(mode ? { mode } : {})} loading={<p>loading</p>} fallback={(props) => <Fallback {...props} />}>
        <p>children</p>
      </RequireScopes>
    </CelonisAuthProvider>
  );
}

type Shown = 'children' | 'loading' | 'fallback';

/** What the guard rendered: exactly one of children, loading and fallback. */
function shown(): Shown[] {
  return (['children', 'loading', 'fallback'] as const).filter((what) => screen.queryByText(what) !== null);
}

const denied = new CelonisAuthError('session_expired', 'The session has ended (the refresh token was rejected): sign in again');

describe('<RequireScopes> branches', () => {
  it.each<{ name: string; session: TestAuthOptions; mode?: ScopeMatchMode; expected: Shown; logins: number; missing?: string }>([
    { name: 'signed out: one login, loading meanwhile', session: { status: 'signedOut' }, expected: 'loading', logins: 1 },
    { name: 'redirecting', session: { status: 'redirecting' }, expected: 'loading', logins: 0 },
    { name: 'handling the callback', session: { status: 'handlingCallback' }, expected: 'loading', logins: 0 },
    { name: 'expired (being renewed)', session: { status: 'expired', scopes: ['studio', AUDIT] }, expected: 'loading', logins: 0 },
    { name: 'expired without the scopes', session: { status: 'expired', scopes: [] }, expected: 'loading', logins: 0 },
    { name: 'refreshing without a token', session: { status: 'refreshing', accessToken: null, scopes: ['studio', AUDIT] }, expected: 'loading', logins: 0 },
    { name: 'refreshing with a token and the scopes', session: { status: 'refreshing', scopes: ['studio', AUDIT] }, expected: 'children', logins: 0 },
    {
      name: 'refreshing with a token, without the scopes',
      session: { status: 'refreshing', scopes: ['studio'] },
      expected: 'fallback',
      logins: 0,
      missing: AUDIT,
    },
    { name: 'authenticated with all scopes', session: { scopes: ['studio', AUDIT, 'team.members:read'] }, expected: 'children', logins: 0 },
    { name: "mode 'any' with one of them", session: { scopes: [AUDIT] }, mode: 'any', expected: 'children', logins: 0 },
    {
      name: "mode 'any' with none of them",
      session: { scopes: ['team.members:read'] },
      mode: 'any',
      expected: 'fallback',
      logins: 0,
      missing: `studio ${AUDIT}`,
    },
    { name: "mode 'all' with one of them", session: { scopes: ['studio'] }, mode: 'all', expected: 'fallback', logins: 0, missing: AUDIT },
    { name: 'authenticated without scopes', session: { scopes: [] }, expected: 'fallback', logins: 0, missing: `studio ${AUDIT}` },
    { name: 'signed out with an error', session: { status: 'signedOut', error: denied }, expected: 'fallback', logins: 0, missing: '' },
  ])('$name → $expected', ({ session, mode, expected, logins, missing }) => {
    const auth = createTestCelonisAuth(session);
    const { rerender } = renderStrict(<Guarded auth={auth} {...(mode ? { mode } : {})} />);
    for (let i = 0; i < 5; i += 1) rerender(<Guarded auth={auth} {...(mode ? { mode } : {})} />);
    expect(shown()).toEqual([expected]);
    expect(auth.loginCalls).toHaveLength(logins);
    if (missing !== undefined) expect(screen.getByTestId('missing').textContent).toBe(missing);
  });

  it("signed out: exactly one login() under StrictMode and re-renders, asking for the guard's scopes beyond the configured ones (returnTo defaults to this page)", () => {
    const auth = createTestCelonisAuth({ status: 'signedOut' });
    const { rerender } = renderStrict(<Guarded auth={auth} />);
    expect(auth.loginCalls).toEqual([{ scopes: [AUDIT], replace: true }]);
    for (let i = 0; i < 10; i += 1) rerender(<Guarded auth={auth} />);
    expect(auth.loginCalls).toHaveLength(1);
    expect(shown()).toEqual(['loading']);
    expect(auth.store.getState().status).toBe('redirecting');
  });

  it('without the scopes: the fallback and no login however often it re-renders or the session changes', () => {
    const auth = createTestCelonisAuth({ scopes: ['studio'] });
    const { rerender } = renderStrict(<Guarded auth={auth} />);
    for (let i = 0; i < 10; i += 1) {
      rerender(<Guarded auth={auth} />);
      // A refresh that grants the same scopes again.
      act(() => auth.setSession({ status: i % 2 ? 'authenticated' : 'refreshing', scopes: ['studio'], accessToken: `token-${i}` }));
    }
    expect(shown()).toEqual(['fallback']);
    expect(auth.loginCalls).toEqual([]);
  });

  it("the fallback's requestAccess() asks for the missing scopes (incremental consent)", () => {
    const auth = createTestCelonisAuth({ scopes: ['studio'] });
    renderStrict(<Guarded auth={auth} />);
    fireEvent.click(screen.getByRole('button', { name: 'Request access' }));
    expect(auth.loginCalls).toEqual([{ scopes: [AUDIT] }]);
    // The test client moves to 'redirecting' like the core does.
    expect(shown()).toEqual(['loading']);
  });

  it('after a step-up that still lacks the scope: the fallback again, no automatic login', () => {
    const auth = createTestCelonisAuth({ scopes: ['studio'] });
    const { rerender } = renderStrict(<Guarded auth={auth} />);
    fireEvent.click(screen.getByRole('button', { name: 'Request access' }));
    // Back from the authorization server: the user could not be granted audit.log:read.
    act(() => auth.setSession({ status: 'handlingCallback' }));
    expect(shown()).toEqual(['loading']);
    act(() => auth.setSession({ scopes: ['studio'] }));
    for (let i = 0; i < 5; i += 1) rerender(<Guarded auth={auth} />);
    expect(shown()).toEqual(['fallback']);
    expect(screen.getByTestId('missing').textContent).toBe(AUDIT);
    expect(auth.loginCalls).toEqual([{ scopes: [AUDIT] }]);
  });

  it('signed out with an error: the fallback receives the error, and nothing redirects', () => {
    const auth = createTestCelonisAuth({ status: 'signedOut', error: denied });
    const { rerender } = renderStrict(<Guarded auth={auth} />);
    for (let i = 0; i < 5; i += 1) rerender(<Guarded auth={auth} />);
    expect(shown()).toEqual(['fallback']);
    expect(screen.getByTestId('fallback-error').textContent).toBe('session_expired');
    expect(screen.getByTestId('missing').textContent).toBe('');
    expect(auth.loginCalls).toEqual([]);
    // Signing in again stays the user's choice.
    fireEvent.click(screen.getByRole('button', { name: 'Request access' }));
    expect(auth.loginCalls).toHaveLength(1);
  });

  it('a session that ends while mounted (a logout here or in another tab) shows the fallback and never redirects', () => {
    const auth = createTestCelonisAuth({ scopes: ['studio', AUDIT] });
    const { unmount } = renderStrict(<Guarded auth={auth} />);
    expect(shown()).toEqual(['children']);
    act(() => auth.setSession({ status: 'signedOut', error: denied }));
    expect(shown()).toEqual(['fallback']);
    act(() => auth.setSession({ status: 'signedOut' }));
    expect(shown()).toEqual(['fallback']);
    expect(auth.loginCalls).toEqual([]);
    // A new visit that starts signed out is a request to sign in: one redirect.
    unmount();
    renderStrict(<Guarded auth={auth} />);
    expect(shown()).toEqual(['loading']);
    expect(auth.loginCalls).toHaveLength(1);
  });

  it('renders nothing for loading and fallback by default', () => {
    const auth = createTestCelonisAuth({ status: 'redirecting' });
    const { container, rerender } = renderStrict(
      <CelonisAuthProvider auth={auth}>
        <RequireScopes scopes={['studio']}>children</RequireScopes>
      </CelonisAuthProvider>,
    );
    expect(container.textContent).toBe('');
    act(() => auth.setSession({ scopes: [] }));
    rerender(
      <CelonisAuthProvider auth={auth}>
        <RequireScopes scopes={['studio']}>children</RequireScopes>
      </CelonisAuthProvider>,
    );
    expect(container.textContent).toBe('');
  });

  it('accepts a plain node as fallback', () => {
    const auth = createTestCelonisAuth({ scopes: [] });
    renderStrict(
      <CelonisAuthProvider auth={auth}>
        <RequireScopes scopes={['studio']} fallback={<p>no access</p>}>
          children
        </RequireScopes>
      </CelonisAuthProvider>,
    );
    expect(screen.getByText('no access')).toBeTruthy();
  });
});

describe('<RequireScopes> with a real core client', () => {
  it('does not start a login on the redirect URI while a callback waits to be handled', async () => {
    const client = realClient();
    await client.auth.login();
    client.arriveAtCallback();
    // Back to signed out on the callback page (as after a reload of the app there).
    const fresh = realClient();
    fresh.page.url = client.page.url;
    renderStrict(
      <CelonisAuthProvider auth={fresh.auth}>
        <RequireScopes scopes={['studio']} loading={<p>loading</p>}>
          <p>children</p>
        </RequireScopes>
      </CelonisAuthProvider>,
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fresh.page.navigations).toEqual([]);
  });

  it('signed out: one authorize navigation whose transaction returns to the current page', async () => {
    const client = realClient();
    const { rerender } = renderStrict(
      <CelonisAuthProvider auth={client.auth}>
        <RequireScopes scopes={['studio']} loading={<p>loading</p>}>
          <p>children</p>
        </RequireScopes>
      </CelonisAuthProvider>,
    );
    expect(shown()).toEqual(['loading']);
    await waitFor(() => expect(client.page.navigations).toHaveLength(1));
    rerender(
      <CelonisAuthProvider auth={client.auth}>
        <RequireScopes scopes={['studio']} loading={<p>loading</p>}>
          <p>children</p>
        </RequireScopes>
      </CelonisAuthProvider>,
    );
    expect(client.page.navigations).toHaveLength(1);
    const authorize = new URL(client.page.navigations[0]!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe('https://acme.eu-1.celonis.cloud/oauth2/authorize');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(client.auth.store.getState().status).toBe('redirecting');

    // Coming back: the stored transaction says where to go, the page the guard was on.
    client.arriveAtCallback();
    const { returnTo } = await act(() => client.auth.handleRedirectCallback());
    expect(returnTo).toBe(PAGE_PATH);
    expect(shown()).toEqual(['children']);
    expect(client.page.navigations).toHaveLength(1);
  });

  it.each<{ name: string; setup: () => ReturnType<typeof realClient>; code: CelonisAuthErrorCode }>([
    { name: 'no storage for the login transaction', setup: () => realClient({ deps: { transactionStorage: undefined } }), code: 'storage_unavailable' },
    {
      name: 'no Web Crypto (an insecure origin)',
      setup: () => {
        vi.stubGlobal('crypto', {});
        return realClient();
      },
      code: 'crypto_unavailable',
    },
  ])('signed out, and the login cannot start ($name): the fallback with $code, not endless loading', async ({ setup, code }) => {
    const client = setup();
    renderStrict(
      <CelonisAuthProvider auth={client.auth}>
        <RequireScopes scopes={['studio']} loading={<p>loading</p>} fallback={(props) => <Fallback {...props} />}>
          <p>children</p>
        </RequireScopes>
      </CelonisAuthProvider>,
    );
    await waitFor(() => expect(shown()).toEqual(['fallback']));
    expect(screen.getByTestId('fallback-error').textContent).toBe(code);
    expect(client.page.navigations).toEqual([]);
  });

  it('a background refresh, even a failing one, keeps the children mounted while the token is valid', async () => {
    let fail = false;
    let n = 0;
    const client = realClient({ respond: () => (fail ? json({ error: 'temporarily_unavailable' }, 503) : tokenResponse(++n)) });
    await client.signIn();
    let mounts = 0;
    function Page() {
      // Counts mounts, not renders: a remount would lose the page's own state.
      useEffect(() => void (mounts += 1), []);
      return <p>children</p>;
    }
    renderStrict(
      <CelonisAuthProvider auth={client.auth}>
        <RequireScopes scopes={['studio']} loading={<p>loading</p>}>
          <Page />
        </RequireScopes>
      </CelonisAuthProvider>,
    );
    const mountsBefore = mounts;
    await act(() => client.auth.refresh());
    expect(client.auth.store.getState().accessToken).toBe('access-2');
    fail = true;
    await act(() => client.auth.refresh().catch(() => undefined));
    expect(client.auth.store.getState()).toMatchObject({ status: 'authenticated', error: { code: 'server_unavailable' } });
    expect(shown()).toEqual(['children']);
    expect(mounts).toBe(mountsBefore);
    expect(client.page.navigations).toEqual([expect.stringContaining('/oauth2/authorize')]);
  });
});
