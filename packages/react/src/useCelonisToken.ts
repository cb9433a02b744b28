import { useMemo } from 'react';
import { useStore } from 'zustand';
import type { AuthState, CelonisAuth, CelonisScope, ScopeMatchMode } from '@celonis-auth/core';
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
 * It reads the core's store (zustand `useStore`, i.e. `useSyncExternalStore`); nothing is copied
 * into React state.
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
  const state = useStore(auth.store);
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
