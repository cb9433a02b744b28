import { afterEach, describe, expect, it } from 'vitest';
import { useEffect, useState } from 'react';
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import { CelonisAuthProvider, RequireScopes, useCelonisAuth, useCelonisToken } from '../index.js';
import { TestCelonisAuthProvider, createTestCelonisAuth } from '../testing/index.js';
import { renderStrict } from './helpers.js';

afterEach(cleanup);

/** An app team's component: a greeting from the hook, an audit panel behind a scope guard. */
function Overview() {
  const { status, scopes } = useCelonisToken();
  return (
    <main>
      <p>status: {status}</p>
      <p>scopes: {scopes.join(', ')}</p>
      <RequireScopes scopes={['audit.log:read']} loading={<p>loading</p>} fallback={<p>no audit access</p>}>
        <p>audit log</p>
      </RequireScopes>
    </main>
  );
}

/** An app team's component that calls its API through auth.fetch. */
function ModelCount() {
  const auth = useCelonisAuth();
  const [count, setCount] = useState<string>('…');
  useEffect(() => {
    let active = true;
    void auth
      .fetch('/intelligence/api/knowledge-models')
      .then((res) => res.json() as Promise<{ items: unknown[] }>)
      .then((body) => active && setCount(String(body.items.length)));
    return () => {
      active = false;
    };
  }, [auth]);
  return <p>models: {count}</p>;
}

describe('TestCelonisAuthProvider', () => {
  it('renders components as signed in with the chosen scopes', () => {
    renderStrict(
      <TestCelonisAuthProvider scopes={['studio', 'audit.log:read']}>
        <Overview />
      </TestCelonisAuthProvider>,
    );
    expect(screen.getByText('status: authenticated')).toBeTruthy();
    expect(screen.getByText('scopes: studio, audit.log:read')).toBeTruthy();
    expect(screen.getByText('audit log')).toBeTruthy();
  });

  it('renders the fallback without the scope, and never redirects', () => {
    const auth = createTestCelonisAuth({ scopes: ['studio'] });
    renderStrict(
      <TestCelonisAuthProvider auth={auth}>
        <Overview />
      </TestCelonisAuthProvider>,
    );
    expect(screen.getByText('no audit access')).toBeTruthy();
    expect(auth.loginCalls).toEqual([]);
  });

  it('plays a signed-out user: the guard asks for one login', () => {
    const auth = createTestCelonisAuth({ status: 'signedOut' });
    renderStrict(
      <TestCelonisAuthProvider auth={auth}>
        <Overview />
      </TestCelonisAuthProvider>,
    );
    expect(screen.getByText('loading')).toBeTruthy();
    expect(auth.loginCalls).toHaveLength(1);
    expect(screen.getByText('status: redirecting')).toBeTruthy();
  });
});

describe('createTestCelonisAuth', () => {
  it('answers auth.fetch with the given fetch', async () => {
    const seen: string[] = [];
    const auth = createTestCelonisAuth({
      scopes: ['intelligence.knowledge-models:read'],
      fetch: async (input) => {
        seen.push(input instanceof Request ? input.url : String(input));
        return Response.json({ items: [1, 2, 3] });
      },
    });
    renderStrict(
      <CelonisAuthProvider auth={auth}>
        <ModelCount />
      </CelonisAuthProvider>,
    );
    await waitFor(() => expect(screen.getByText('models: 3')).toBeTruthy());
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.every((url) => url === '/intelligence/api/knowledge-models')).toBe(true);
  });

  it('answers 501 by default, so tests say what the API returns', async () => {
    const auth = createTestCelonisAuth();
    const res = await auth.fetch('/anything');
    expect(res.status).toBe(501);
  });

  it('setSession updates every consumer, and can swap the fetch', async () => {
    const auth = createTestCelonisAuth({ scopes: ['studio'] });
    renderStrict(
      <CelonisAuthProvider auth={auth}>
        <Overview />
      </CelonisAuthProvider>,
    );
    expect(screen.getByText('no audit access')).toBeTruthy();

    act(() => auth.setSession({ scopes: ['studio', 'audit.log:read'], fetch: async () => new Response('swapped') }));
    expect(screen.getByText('scopes: studio, audit.log:read')).toBeTruthy();
    expect(screen.getByText('audit log')).toBeTruthy();
    await expect((await auth.fetch('/x')).text()).resolves.toBe('swapped');

    act(() => auth.setSession({ status: 'refreshing', accessToken: null, scopes: ['studio', 'audit.log:read'] }));
    expect(screen.getByText('status: refreshing')).toBeTruthy();
    expect(screen.getByText('loading')).toBeTruthy();

    // Signed out while shown (as by a logout in another tab): every consumer sees it; the guard does not sign in again by itself.
    act(() => auth.setSession({ status: 'signedOut' }));
    expect(screen.getByText('status: signedOut')).toBeTruthy();
    expect(auth.loginCalls).toHaveLength(0);
  });

  it('getAccessToken follows the session and fails with login_required when signed out', async () => {
    const auth = createTestCelonisAuth({ accessToken: 'abc' });
    await expect(auth.getAccessToken()).resolves.toBe('abc');
    await expect(auth.refresh()).resolves.toBe('abc');
    auth.logout();
    expect(auth.logoutCalls).toBe(1);
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
  });

  it('has a validated config like a real client', () => {
    const auth = createTestCelonisAuth();
    expect(auth.config).toMatchObject({ teamUrl: 'https://test.celonis.cloud', clientId: 'test-client' });
    expect(auth.isRedirectCallback()).toBe(false);
  });
});
