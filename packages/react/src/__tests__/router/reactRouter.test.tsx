// requireCelonisAuth with the real react-router 7 (createMemoryRouter + RouterProvider) in happy-dom.
import { afterEach, describe, expect, it } from 'vitest';
import { StrictMode } from 'react';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createMemoryRouter, Outlet, RouterProvider, useLoaderData, type RouteObject } from 'react-router';
import type { CelonisAuth, ScopeMatchMode } from '@celonis-auth/core';
import { requireCelonisAuth, type CelonisRouteAccess } from '../../router/reactRouter.js';
import { createTestCelonisAuth } from '../../testing/index.js';
import { realClient } from '../helpers.js';
import { ACCESS_CASES, AccessView, AUDIT, expectAccessNoLogin, expectGrantedOnSignIn, handleCallback, settle, WAITING_STATUSES } from './routerTestSetup.js';

afterEach(cleanup);

/** Shows the loader's data in an AccessView. */
function AccessPage({ name }: { name: string }) {
  return <AccessView name={name} access={useLoaderData<CelonisRouteAccess>()} />;
}

function routesFor(auth: CelonisAuth, mode?: ScopeMatchMode): RouteObject[] {
  const loading = () => <p>loading</p>;
  return [
    { path: '/', element: <p>home</p> },
    { path: '/callback', element: <p>callback</p> },
    {
      path: '/audit',
      loader: requireCelonisAuth(auth, { scopes: ['studio', AUDIT], ...(mode ? { mode } : {}) }),
      element: <AccessPage name="audit" />,
      HydrateFallback: loading,
    },
    { path: '/reports', loader: requireCelonisAuth(auth), element: <AccessPage name="reports" />, HydrateFallback: loading },
  ];
}

function renderRouter(auth: CelonisAuth, initial: string, mode?: ScopeMatchMode) {
  const router = createMemoryRouter(routesFor(auth, mode), { initialEntries: [initial] });
  render(
    <StrictMode>
      <RouterProvider router={router} />
    </StrictMode>,
  );
  return router;
}

describe('requireCelonisAuth: what the loader resolves', () => {
  it.each(ACCESS_CASES)('$name → $status, no login', async ({ session, mode, ...expected }) => {
    const auth = createTestCelonisAuth(session);
    renderRouter(auth, '/audit', mode);
    await expectAccessNoLogin(auth, expected);
  });

  it.each(WAITING_STATUSES)('waits while $status, then resolves what the sign-in ended in, without a login', async ({ status }) => {
    const auth = createTestCelonisAuth({ status });
    renderRouter(auth, '/audit');
    await settle();
    expect(screen.getByText('loading')).toBeTruthy();
    await expectGrantedOnSignIn(auth);
  });
});

describe('requireCelonisAuth: no redirect loops', () => {
  it('a signed-out visit starts exactly one login (replace, back to path and query) and the loader keeps waiting', async () => {
    const auth = createTestCelonisAuth({ status: 'signedOut' });
    const router = renderRouter(auth, '/audit?id=1');
    await settle();
    expect(auth.loginCalls).toEqual([{ returnTo: '/audit?id=1', scopes: [AUDIT], replace: true }]);
    expect(screen.getByText('loading')).toBeTruthy();
    // Another navigation while the page is leaving: it waits too, and asks for no second login.
    void router.navigate('/reports');
    await settle();
    expect(router.state.navigation.state).toBe('loading');
    expect(auth.loginCalls).toHaveLength(1);
  });

  it('back on the page without signing in (the login page was left): signedOut, never a second login', async () => {
    const auth = createTestCelonisAuth({ status: 'signedOut' });
    const router = renderRouter(auth, '/audit');
    await settle();
    void router.navigate('/reports');
    await settle();
    // The core leaves 'redirecting' when the page comes back without having left.
    act(() => auth.setSession({ status: 'signedOut' }));
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('signedOut'));
    expect(screen.getByText('reports')).toBeTruthy();
    expect(auth.loginCalls).toHaveLength(1);
    // Signing in is now the user's choice.
    fireEvent.click(screen.getByRole('button', { name: 'Request access' }));
    expect(auth.loginCalls).toEqual([{ returnTo: '/audit', scopes: [AUDIT], replace: true }, { returnTo: '/reports' }]);
  });

  it('nested guards in one navigation start one login, even when login() moves the store only later', async () => {
    const test = createTestCelonisAuth({ status: 'signedOut' });
    // A client whose login() does its work after an await (the core itself moves to 'redirecting' at once).
    const auth: CelonisAuth = { ...test, login: async (options) => Promise.resolve().then(() => test.login(options)) };
    const router = createMemoryRouter(
      [
        {
          path: '/',
          loader: requireCelonisAuth(auth),
          element: <Outlet />,
          HydrateFallback: () => <p>loading</p>,
          children: [{ path: 'audit', loader: requireCelonisAuth(auth, { scopes: [AUDIT] }), element: <AccessPage name="audit" /> }],
        },
      ],
      { initialEntries: ['/audit'] },
    );
    render(<RouterProvider router={router} />);
    await settle();
    expect(test.loginCalls).toEqual([{ returnTo: '/audit', replace: true }]);
  });

  it('a guard on a layout above the callback route lets the callback render, signed out, without a login', async () => {
    const auth = createTestCelonisAuth({ status: 'signedOut' });
    const router = createMemoryRouter(
      [
        {
          path: '/',
          loader: requireCelonisAuth(auth),
          element: <Outlet />,
          HydrateFallback: () => <p>loading</p>,
          children: [{ path: 'callback', element: <p>callback</p> }],
        },
      ],
      { initialEntries: ['/callback?code=c&state=s'] },
    );
    render(<RouterProvider router={router} />);
    await waitFor(() => expect(screen.getByText('callback')).toBeTruthy());
    expect(auth.loginCalls).toEqual([]);
  });

  it("missing scopes: requestAccess() asks for them, back to the route, and the route's data never redirects by itself", async () => {
    const auth = createTestCelonisAuth({ scopes: ['studio'] });
    const router = renderRouter(auth, '/audit?tab=events');
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('missingScopes'));
    await act(() => router.revalidate());
    expect(auth.loginCalls).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Request access' }));
    expect(auth.loginCalls).toEqual([{ returnTo: '/audit?tab=events', scopes: [AUDIT] }]);
  });

  it('a basename stays in returnTo: the login comes back to the page the browser was on', async () => {
    const auth = createTestCelonisAuth({ status: 'signedOut' });
    const router = createMemoryRouter(routesFor(auth), { basename: '/portal', initialEntries: ['/portal/reports?id=7'] });
    render(<RouterProvider router={router} />);
    await settle();
    expect(auth.loginCalls).toEqual([{ returnTo: '/portal/reports?id=7', replace: true }]);
  });
});

describe('requireCelonisAuth with a real core client', () => {
  it('signed out: one authorize navigation; after the callback the waiting loader resolves granted, returnTo the route', async () => {
    const client = realClient();
    const router = renderRouter(client.auth, '/reports?id=1');
    await waitFor(() => expect(client.page.navigations).toHaveLength(1));
    void router.navigate('/audit');
    await settle();
    expect(client.page.navigations).toHaveLength(1);
    expect(new URL(client.page.navigations[0]!).pathname).toBe('/oauth2/authorize');

    const returnTo = await handleCallback(client);
    expect(returnTo).toBe('/reports?id=1');
    // In a browser the page has left; here the navigation to /audit was still waiting, and now goes on.
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('missingScopes'));
    expect(screen.getByTestId('missing').textContent).toBe(AUDIT);
    expect(client.page.navigations).toHaveLength(1);
  });

  it('a login that cannot start (no transaction storage): signedOut with its error, no navigation, no retry', async () => {
    const client = realClient({ deps: { transactionStorage: undefined } });
    const router = renderRouter(client.auth, '/reports');
    await waitFor(() => expect(screen.getByTestId('error').textContent).toBe('storage_unavailable'));
    expect(screen.getByTestId('status').textContent).toBe('signedOut');
    // The store keeps the error: a later visit shows it too instead of trying again.
    await act(() => router.navigate('/audit'));
    await waitFor(() => expect(screen.getByText('audit')).toBeTruthy());
    expect(screen.getByTestId('error').textContent).toBe('storage_unavailable');
    expect(client.page.navigations).toEqual([]);
  });
});
