// Shared by the React Router and TanStack Router guard tests: the page that shows a route's access, the
// sessions both guards must resolve alike, and the waits. It imports neither router: the TanStack tests
// run on React 19 only, and the React Router tests also run on React 18.
import { act, screen, waitFor } from '@testing-library/react';
import { expect } from 'vitest';
import { CelonisAuthError, type ScopeMatchMode } from '@celonis-auth/core';
import type { CelonisRouteAccess } from '../../router/celonisRouteAccess.js';
import type { TestAuthOptions, TestCelonisAuth } from '../../testing/index.js';
import type { realClient } from '../helpers.js';

/** The scope the /audit route asks for besides `studio`. */
export const AUDIT = 'audit.log:read';

// A session the refresh token could not renew ended with this.
const denied = new CelonisAuthError('session_expired', 'The session has ended (the refresh token was rejected): sign in again');

/** Shows a route's access: status, missing scopes, error code, and a button for requestAccess. */
export function AccessView({ name, access }: { name: string; access: CelonisRouteAccess }) {
  return (
    <div>
      <p>{name}</p>
      <p data-testid="status">{access.status}</p>
      <p data-testid="missing">{access.missingScopes.join(' ')}</p>
      <p data-testid="error">{access.error?.code ?? 'none'}</p>
      <button type="button" onClick={() => void access.requestAccess()}>
        Request access
      </button>
    </div>
  );
}

/** A session on /audit (studio and AUDIT, in `mode`) and the access the guard must give it without a login. */
export interface AccessCase {
  name: string;
  session: TestAuthOptions;
  mode?: ScopeMatchMode;
  status: string;
  /** The missing scopes shown; unchecked when undefined. */
  missing?: string;
  /** The error code shown; default 'none'. */
  error?: string;
}

/** The sessions both guards resolve alike on /audit, none of them starting a login. */
export const ACCESS_CASES: readonly AccessCase[] = [
  { name: 'all scopes', session: { scopes: ['studio', AUDIT] }, status: 'granted', missing: '' },
  { name: 'refreshing with the scopes', session: { status: 'refreshing', scopes: ['studio', AUDIT] }, status: 'granted' },
  { name: 'expired, being renewed, with the scopes', session: { status: 'expired', scopes: ['studio', AUDIT] }, status: 'granted' },
  { name: 'one of two scopes', session: { scopes: ['studio'] }, status: 'missingScopes', missing: AUDIT },
  { name: 'no scopes', session: { scopes: [] }, status: 'missingScopes', missing: `studio ${AUDIT}` },
  { name: "mode 'any' with one", session: { scopes: [AUDIT] }, mode: 'any', status: 'granted' },
  { name: "mode 'any' with none", session: { scopes: ['team.members:read'] }, mode: 'any', status: 'missingScopes', missing: `studio ${AUDIT}` },
  { name: 'signed out by a failure', session: { status: 'signedOut', error: denied }, status: 'signedOut', missing: '', error: 'session_expired' },
];

/** Waits for the AccessView to show `expected`, then checks that no login was started. */
export async function expectAccessNoLogin(auth: TestCelonisAuth, { status, missing, error }: Pick<AccessCase, 'status' | 'missing' | 'error'>) {
  await waitFor(() => expect(screen.getByTestId('status').textContent).toBe(status));
  if (missing !== undefined) expect(screen.getByTestId('missing').textContent).toBe(missing);
  expect(screen.getByTestId('error').textContent).toBe(error ?? 'none');
  expect(auth.loginCalls).toEqual([]);
}

/** The sign-in states a guard waits out instead of resolving. */
export const WAITING_STATUSES: readonly { status: 'redirecting' | 'handlingCallback' }[] = [{ status: 'redirecting' }, { status: 'handlingCallback' }];

/** Ends a sign-in the guard waited out with the scopes /audit asks for: it gives granted, and no login was started. */
export async function expectGrantedOnSignIn(auth: TestCelonisAuth) {
  act(() => auth.setSession({ scopes: ['studio', AUDIT] }));
  await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('granted'));
  expect(auth.loginCalls).toEqual([]);
}

/** Plays a real client's redirect back from its login and handles the callback, as the callback page would; returns its returnTo. */
export async function handleCallback(client: ReturnType<typeof realClient>): Promise<string> {
  client.arriveAtCallback();
  const { returnTo } = await act(() => client.auth.handleRedirectCallback());
  return returnTo;
}

/** Lets the router run its guards and React commit; a guard that waits keeps waiting. */
export const settle = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, 10)));
