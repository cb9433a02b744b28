import { useMemo, useSyncExternalStore } from 'react';
import { signedOutState, type AuthState, type CelonisAuth, type CelonisScope, type ScopeMatchMode } from '@celonis-auth/core';
import { useCelonisAuth } from './useCelonisAuth.js';

/** What {@link useCelonisToken} returns: the live session and the verbs to change it. */
export interface CelonisTokenState {
  status: AuthState['status'];
  accessToken: string | null;
  scopes: readonly string[];
  /** ms since the epoch. */
  expiresAt: number | null;
  error: AuthState['error'];
  login: CelonisAuth['login'];
  logout: CelonisAuth['logout'];
  getAccessToken: CelonisAuth['getAccessToken'];
  /** Whether the current session grants `required` (all, or any with `'any'`). */
  hasScopes: (required: readonly CelonisScope[], mode?: ScopeMatchMode) => boolean;
}

/**
 * The session, live: re-renders when the token is refreshed, expires, or another tab signs out.
 * It reads the core's zustand store through `useSyncExternalStore`; nothing is copied into React
 * state.
 *
 * @example
 * ```tsx
 * const { status, scopes, expiresAt, login } = useCelonisToken()
 * if (status === 'signedOut') return <button onClick={() => login()}>Sign in with Celonis</button>
 * ```
 * @throws {Error} outside `<CelonisAuthProvider>`.
 */
export function useCelonisToken(): CelonisTokenState {
  const auth = useCelonisAuth('useCelonisToken');
  // The state object is replaced on every transition, so it is a stable snapshot by reference.
  const state = useSyncExternalStore(auth.store.subscribe, auth.store.getState, () => serverSnapshot(auth));
  return useMemo(
    () => ({
      status: state.status,
      accessToken: state.accessToken,
      scopes: state.scopes,
      expiresAt: state.expiresAt,
      error: state.error,
      login: auth.login,
      logout: auth.logout,
      getAccessToken: auth.getAccessToken,
      // A new function per snapshot, so memoised children see the answer may have changed.
      hasScopes: (required, mode = 'all') => auth.hasScopes(required, mode),
    }),
    [auth, state],
  );
}

const SIGNED_OUT: AuthState = signedOutState();
// Feature-detected once at import, so rendering itself reads no global.
const HYDRATING_IN_BROWSER = typeof document !== 'undefined';

// On the server: the client's actual state. When hydrating in the browser: signed out, as the server
// saw it (it has no browser storage), so the markup matches; the stored session follows right after.
function serverSnapshot(auth: CelonisAuth): AuthState {
  return HYDRATING_IN_BROWSER ? SIGNED_OUT : auth.store.getState();
}
