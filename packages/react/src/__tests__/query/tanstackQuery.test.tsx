// The README's TanStack Query recipe with the real @tanstack/react-query: auth.fetch in a queryFn,
// a 403 insufficient_scope as a typed error the UI turns into a login for the scopes, the cache
// cleared when the session ends. The fake API answers through the client's fetch, no global patching.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Component, type ReactNode } from 'react';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { insufficientScopeError, isCelonisAuthError, type CelonisAuth } from '@celonis-auth/core';
import { json, isTokenRequest, tokenResponse } from '@celonis-auth/test-utils';
import { CelonisAuthProvider, clearQueriesOnSignOut, useCelonisAuth } from '../../index.js';
import { createTestCelonisAuth, type TestAuthOptions } from '../../testing/index.js';
import { realClient } from '../helpers.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

// --- the recipe, as the README has it (the last test here holds the two to the same code) ---

async function celonisJson<T>(auth: CelonisAuth, path: string, signal: AbortSignal): Promise<T> {
  const res = await auth.fetch(path, { signal });
  const missing = insufficientScopeError(res); // a CelonisAuthError, code 'insufficient_scope', requiredScopes
  if (missing) throw missing;
  if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  return (await res.json()) as T;
}

const isMissingScopes = (error: unknown) => isCelonisAuthError(error) && error.code === 'insufficient_scope';

function AuditEvents() {
  const auth = useCelonisAuth();
  const { data, error } = useQuery({
    queryKey: ['audit-events'],
    queryFn: ({ signal }) => celonisJson<{ events: string[] }>(auth, '/audit-log/api/events', signal),
    retry: (count, error) => !isMissingScopes(error) && count < 2, // asking again grants no scope
    throwOnError: (error) => !isMissingScopes(error), // the rest to the error boundary
  });
  if (isCelonisAuthError(error) && error.code === 'insufficient_scope')
    return <button onClick={() => void auth.login({ scopes: error.requiredScopes ?? [] })}>Request access</button>;
  return <p>{data?.events.join(', ')}</p>;
}

// --- the test harness ---

class Boundary extends Component<{ children?: ReactNode }, { message: string | null }> {
  override state = { message: null };
  static getDerivedStateFromError(error: unknown) {
    return { message: error instanceof Error ? error.message : String(error) };
  }
  override render() {
    return this.state.message === null ? this.props.children : <p>boundary: {this.state.message}</p>;
  }
}

/** A QueryClient as the app's, but retrying at once: the recipe leaves the delay to the client (TanStack's default waits 1 s, then 2 s). */
const testQueryClient = () => new QueryClient({ defaultOptions: { queries: { retryDelay: 0 } } });

function renderRecipe(auth: CelonisAuth, queryClient = testQueryClient()) {
  render(
    <CelonisAuthProvider auth={auth}>
      <QueryClientProvider client={queryClient}>
        <Boundary>
          <AuditEvents />
        </Boundary>
      </QueryClientProvider>
    </CelonisAuthProvider>,
  );
  return queryClient;
}

const denied = () => new Response(null, { status: 403, headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="audit.log:read"' } });

describe('TanStack Query recipe', () => {
  it('auth.fetch in the queryFn: the data, one request, with the query’s signal', async () => {
    const fetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => json({ events: ['login', 'logout'] }));
    renderRecipe(createTestCelonisAuth({ scopes: ['audit.log:read'], fetch }));
    await waitFor(() => expect(screen.getByText('login, logout')).toBeTruthy());
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0]![0]).toBe('/audit-log/api/events');
    expect(fetch.mock.calls[0]![1]?.signal).toBeInstanceOf(AbortSignal);
  });

  it('403 insufficient_scope: a typed error, not retried, kept from the error boundary; the UI asks for the scopes', async () => {
    const fetch = vi.fn(async () => denied());
    const auth = createTestCelonisAuth({ scopes: [], fetch });
    const queryClient = renderRecipe(auth);
    fireEvent.click(await screen.findByRole('button', { name: 'Request access' }));
    expect(auth.loginCalls).toEqual([{ scopes: ['audit.log:read'] }]);
    expect(fetch).toHaveBeenCalledTimes(1);
    const error = queryClient.getQueryState(['audit-events'])?.error;
    expect(isCelonisAuthError(error) && { code: error.code, status: error.status, requiredScopes: error.requiredScopes }).toEqual({
      code: 'insufficient_scope',
      status: 403,
      requiredScopes: ['audit.log:read'],
    });
  });

  it.each<{ name: string; answer: () => Response; boundary: string }>([
    { name: 'a 500', answer: () => new Response('down', { status: 500 }), boundary: 'boundary: /audit-log/api/events answered 500' },
    { name: 'a 403 without a Bearer challenge', answer: () => new Response(null, { status: 403 }), boundary: 'boundary: /audit-log/api/events answered 403' },
    {
      name: 'a 403 with another Bearer error',
      answer: () => new Response(null, { status: 403, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } }),
      boundary: 'boundary: /audit-log/api/events answered 403',
    },
  ])('$name: retried, then the error boundary', async ({ answer, boundary }) => {
    // React reports every error a boundary catches; here that is the point.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const fetch = vi.fn(async () => answer());
    const auth = createTestCelonisAuth({ scopes: ['audit.log:read'], fetch });
    renderRecipe(auth);
    await waitFor(() => expect(screen.getByText(boundary)).toBeTruthy());
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(auth.loginCalls).toEqual([]);
  });

  it('the cache is cleared when the session ends, and kept through a refresh', async () => {
    const auth = createTestCelonisAuth({ scopes: ['audit.log:read'], fetch: async () => json({ events: ['login'] }) });
    const queryClient = testQueryClient();
    const stop = clearQueriesOnSignOut(auth, queryClient);
    renderRecipe(auth, queryClient);
    await waitFor(() => expect(screen.getByText('login')).toBeTruthy());
    act(() => auth.setSession({ status: 'refreshing', scopes: ['audit.log:read'] }));
    act(() => auth.setSession({ scopes: ['audit.log:read'], accessToken: 'renewed' }));
    expect(queryClient.getQueryData(['audit-events'])).toEqual({ events: ['login'] });
    act(() => auth.setSession({ status: 'signedOut' }));
    expect(queryClient.getQueryCache().getAll()).toEqual([]);
    stop();
  });
});

describe('clearQueriesOnSignOut', () => {
  it.each<{ name: string; from: TestAuthOptions; to: TestAuthOptions[]; clears: number }>([
    { name: 'logout', from: {}, to: [{ status: 'signedOut' }], clears: 1 },
    { name: 'a refresh token refused while renewing', from: { status: 'refreshing' }, to: [{ status: 'signedOut' }], clears: 1 },
    { name: 'an expired session ended', from: { status: 'expired' }, to: [{ status: 'signedOut' }], clears: 1 },
    { name: 'a refresh', from: {}, to: [{ status: 'refreshing' }, {}], clears: 0 },
    { name: 'a step-up login (requestAccess)', from: {}, to: [{ status: 'redirecting' }], clears: 0 },
    { name: 'signing in', from: { status: 'signedOut' }, to: [{ status: 'handlingCallback' }, {}], clears: 0 },
    { name: 'a failed callback', from: { status: 'handlingCallback' }, to: [{ status: 'signedOut' }], clears: 0 },
    { name: 'signed out twice', from: { status: 'signedOut' }, to: [{ status: 'signedOut' }], clears: 0 },
  ])('$name → $clears clear()', ({ from, to, clears }) => {
    const auth = createTestCelonisAuth(from);
    const cache = { clear: vi.fn() };
    const stop = clearQueriesOnSignOut(auth, cache);
    for (const next of to) auth.setSession(next);
    expect(cache.clear).toHaveBeenCalledTimes(clears);
    stop();
  });

  it('after the unsubscribe, nothing is cleared', () => {
    const auth = createTestCelonisAuth();
    const cache = { clear: vi.fn() };
    clearQueriesOnSignOut(auth, cache)();
    auth.setSession({ status: 'signedOut' });
    expect(cache.clear).not.toHaveBeenCalled();
  });

  it('with a real core client: logout() empties a real QueryClient; the queryFn’s request carried the Bearer token', async () => {
    const client = realClient({
      respond: (request, i) =>
        isTokenRequest(request) ? tokenResponse(i + 1) : request.headers.get('Authorization') === 'Bearer access-1' ? json({ events: ['login'] }) : denied(),
    });
    await client.signIn();
    const queryClient = testQueryClient();
    clearQueriesOnSignOut(client.auth, queryClient);
    renderRecipe(client.auth, queryClient);
    await waitFor(() => expect(screen.getByText('login')).toBeTruthy());
    act(() => client.auth.logout());
    expect(queryClient.getQueryCache().getAll()).toEqual([]);
  });
});

describe('the recipe here', () => {
  it('is the README’s (the docs tests run that block): the same code, comments and formatting aside', () => {
    const here = fileURLToPath(import.meta.url);
    const readme = readFileSync(join(dirname(here), '../../../README.md'), 'utf8');
    const block = /^## TanStack Query\n[\s\S]*?^```tsx test\n([\s\S]*?)^```$/m.exec(readme)?.[1] ?? '';
    expect(recipeCode(readFileSync(here, 'utf8'))).toBe(recipeCode(block));
  });
});

/** From `celonisJson` to the end of `AuditEvents`, without comments, whitespace, semicolons and trailing commas (Prettier's, which the README does without). */
function recipeCode(source: string): string {
  const start = source.indexOf('async function celonisJson');
  const end = source.indexOf('\n}\n', source.indexOf('function AuditEvents()'));
  expect(start, 'the recipe starts with celonisJson').toBeGreaterThanOrEqual(0);
  return source
    .slice(start, end)
    .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
    .replace(/;|\s+/g, '')
    .replace(/,(?=[)\]}])/g, '');
}
