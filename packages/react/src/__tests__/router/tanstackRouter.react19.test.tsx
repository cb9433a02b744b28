// celonisBeforeLoad with the real @tanstack/react-router (memory history, router context) in happy-dom.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createMemoryHistory, createRootRouteWithContext, createRoute, createRouter, Outlet, RouterProvider } from '@tanstack/react-router';
import type { CelonisAuth, ScopeMatchMode } from '@celonis-auth/core';
import { celonisBeforeLoad, type CelonisRouterContext } from '../../router/tanstackRouter.js';
import { createTestCelonisAuth } from '../../testing/index.js';
import { realClient } from '../helpers.js';
import { ACCESS_CASES, AccessView, AUDIT, expectAccessNoLogin, expectGrantedOnSignIn, handleCallback, settle, WAITING_STATUSES } from './routerTestSetup.js';

afterEach(cleanup);

/** /audit and /reports guarded, /guarded/a and /guarded/b under a guarded layout, /callback and / not. */
function routeTree(mode?: ScopeMatchMode) {
  const root = createRootRouteWithContext<CelonisRouterContext>()({ component: () => <Outlet /> });
  const home = createRoute({ getParentRoute: () => root, path: '/', component: () => <p>home</p> });
  const callback = createRoute({ getParentRoute: () => root, path: '/callback', component: () => <p>callback</p> });
  const audit = createRoute({
    getParentRoute: () => root,
    path: '/audit',
    beforeLoad: celonisBeforeLoad({ scopes: ['studio', AUDIT], ...(mode ? { mode } : {}) }),
    component: () => <AccessView name="audit" access={audit.useRouteContext().celonisAccess} />,
  });
  const reports = createRoute({
    getParentRoute: () => root,
    path: '/reports',
    beforeLoad: celonisBeforeLoad(),
    component: () => <AccessView name="reports" access={reports.useRouteContext().celonisAccess} />,
  });
  const layout = createRoute({
    getParentRoute: () => root,
    path: '/guarded',
    beforeLoad: celonisBeforeLoad({ scopes: ['studio'] }),
    component: () => <Outlet />,
  });
  const a = createRoute({ getParentRoute: () => layout, path: '/a', component: () => <AccessView name="a" access={a.useRouteContext().celonisAccess} /> });
  const b = createRoute({ getParentRoute: () => layout, path: '/b', component: () => <AccessView name="b" access={b.useRouteContext().celonisAccess} /> });
  return root.addChildren([home, callback, audit, reports, layout.addChildren([a, b])]);
}

function renderRouter(auth: CelonisAuth, initial: string, options: { mode?: ScopeMatchMode; basepath?: string } = {}) {
  const router = createRouter({
    routeTree: routeTree(options.mode),
    history: createMemoryHistory({ initialEntries: [initial] }),
    context: { auth },
    defaultPendingMs: 0,
    defaultPendingMinMs: 0,
    defaultPendingComponent: () => <p>loading</p>,
    ...(options.basepath ? { basepath: options.basepath } : {}),
  });
  render(<RouterProvider router={router} />);
  return router;
}

describe('celonisBeforeLoad: the route context it gives', () => {
  it.each(ACCESS_CASES)('$name → $status, no login', async ({ session, mode, ...expected }) => {
    const auth = createTestCelonisAuth(session);
    renderRouter(auth, '/audit', mode ? { mode } : {});
    await expectAccessNoLogin(auth, expected);
  });

  it.each(WAITING_STATUSES)('waits while $status, then gives what the sign-in ended in, without a login', async ({ status }) => {
    const auth = createTestCelonisAuth({ status });
    renderRouter(auth, '/audit');
    await settle();
    expect(screen.queryByTestId('status')).toBeNull();
    await expectGrantedOnSignIn(auth);
  });
});

describe('celonisBeforeLoad: no redirect loops', () => {
  it('entering signed out starts exactly one login (replace, back to the location); a navigation meanwhile waits', async () => {
    const auth = createTestCelonisAuth({ status: 'signedOut' });
    const router = renderRouter(auth, '/audit?tab=events');
    await settle();
    expect(auth.loginCalls).toEqual([{ returnTo: '/audit?tab=events', scopes: [AUDIT], replace: true }]);
    void router.navigate({ to: '/reports' });
    await settle();
    expect(auth.loginCalls).toHaveLength(1);
    expect(screen.queryByTestId('status')).toBeNull();
  });

  it('back on the page without signing in: signedOut, never a second login; requestAccess() is the way back', async () => {
    const auth = createTestCelonisAuth({ status: 'signedOut' });
    const router = renderRouter(auth, '/audit');
    await settle();
    void router.navigate({ to: '/reports' });
    await settle();
    act(() => auth.setSession({ status: 'signedOut' }));
    await waitFor(() => expect(screen.getByText('reports')).toBeTruthy());
    expect(screen.getByTestId('status').textContent).toBe('signedOut');
    expect(auth.loginCalls).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Request access' }));
    expect(auth.loginCalls).toEqual([{ returnTo: '/audit', scopes: [AUDIT], replace: true }, { returnTo: '/reports' }]);
  });

  it('a preload (hovering a link with preload: intent) never signs in', async () => {
    const auth = createTestCelonisAuth({ status: 'signedOut' });
    const router = renderRouter(auth, '/');
    await waitFor(() => expect(screen.getByText('home')).toBeTruthy());
    void router.preloadRoute({ to: '/audit' });
    await settle();
    expect(auth.loginCalls).toEqual([]);
    expect(screen.getByText('home')).toBeTruthy();
  });

  it('a session that ends while a guarded layout is shown: its next navigation gives signedOut, no login', async () => {
    const auth = createTestCelonisAuth({ scopes: ['studio'] });
    const router = renderRouter(auth, '/guarded/a');
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('granted'));
    // A logout in another tab; then a link inside the layout: the layout stays matched.
    act(() => auth.setSession({ status: 'signedOut' }));
    // Not awaited: a guard that wrongly signed in would wait for the page to leave, and this test must fail, not hang.
    void router.navigate({ to: '/guarded/b' });
    await waitFor(() => expect(screen.getByText('b')).toBeTruthy());
    expect(screen.getByTestId('status').textContent).toBe('signedOut');
    void router.invalidate();
    await settle();
    expect(auth.loginCalls).toEqual([]);
  });

  it('a guard on the root route lets the callback route render, signed out, without a login', async () => {
    const auth = createTestCelonisAuth({ status: 'signedOut' });
    const root = createRootRouteWithContext<CelonisRouterContext>()({ beforeLoad: celonisBeforeLoad(), component: () => <Outlet /> });
    const callback = createRoute({ getParentRoute: () => root, path: '/callback', component: () => <p>callback</p> });
    const router = createRouter({
      routeTree: root.addChildren([callback]),
      history: createMemoryHistory({ initialEntries: ['/callback?code=c&state=s'] }),
      context: { auth },
    });
    render(<RouterProvider router={router} />);
    await waitFor(() => expect(screen.getByText('callback')).toBeTruthy());
    expect(auth.loginCalls).toEqual([]);
  });

  it('a basepath stays in returnTo: the login comes back to the page the browser was on', async () => {
    const auth = createTestCelonisAuth({ status: 'signedOut' });
    renderRouter(auth, '/portal/reports?id=7', { basepath: '/portal' });
    await settle();
    expect(auth.loginCalls).toEqual([{ returnTo: '/portal/reports?id=7', replace: true }]);
  });
});

describe('celonisBeforeLoad with a real core client', () => {
  it('signed out: one authorize navigation; after the callback the waiting route goes on, returnTo the location', async () => {
    const client = realClient();
    const router = renderRouter(client.auth, '/reports');
    await waitFor(() => expect(client.page.navigations).toHaveLength(1));
    void router.navigate({ to: '/audit' });
    await settle();
    expect(client.page.navigations).toHaveLength(1);
    const returnTo = await handleCallback(client);
    expect(returnTo).toBe('/reports');
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('missingScopes'));
    expect(screen.getByTestId('missing').textContent).toBe(AUDIT);
    expect(client.page.navigations).toHaveLength(1);
  });

  it('a login that cannot start (no transaction storage): signedOut with its error, no navigation', async () => {
    const client = realClient({ deps: { transactionStorage: undefined } });
    renderRouter(client.auth, '/reports');
    await waitFor(() => expect(screen.getByTestId('error').textContent).toBe('storage_unavailable'));
    expect(screen.getByTestId('status').textContent).toBe('signedOut');
    expect(client.page.navigations).toEqual([]);
  });
});
