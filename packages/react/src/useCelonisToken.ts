import { useMemo, useSyncExternalStore } from 'react';
import type { AuthState, CelonisAuth, CelonisScope, ScopeMatchMode } from '@celonis-auth/core';
import { useCelonisAuth } from './useCelonisAuth.js';

/** What {@link useCelonisToken} returns without a selector: the live session and the verbs to change it. */
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

const identity = (state: AuthState): AuthState => state;

/**
 * The session, live: re-renders when the token is refreshed, expires, or another tab signs out.
 * It reads the core's zustand store through `useSyncExternalStore`; nothing is copied into React
 * state. The server snapshot is the core's initial state (`store.getInitialState()`).
 *
 * With a `selector` (zustand-style), it returns the selected value and re-renders only when that
 * value changes (`Object.is`); select primitives or stored references, not new objects.
 *
 * @example
 * ```tsx
 * const { status, scopes, expiresAt, login } = useCelonisToken()
 * const status = useCelonisToken((s) => s.status)
 * const signedIn = useCelonisToken(hasSession)
 * ```
 * @throws {Error} outside `<CelonisAuthProvider>`.
 */
export function useCelonisToken<T>(selector: (state: AuthState) => T): T;
export function useCelonisToken(): CelonisTokenState;
export function useCelonisToken<T>(selector?: (state: AuthState) => T): T | CelonisTokenState {
  const auth = useCelonisAuth('useCelonisToken');
  const { store } = auth;
  const select: (state: AuthState) => unknown = selector ?? identity;
  const selected = useSyncExternalStore(
    store.subscribe,
    () => select(store.getState()),
    () => select(store.getInitialState()),
  );
  // Without a selector the snapshot is the state object, replaced on every transition: one result per snapshot.
  const state = selector ? undefined : (selected as AuthState);
  const tokenState = useMemo(
    (): CelonisTokenState | undefined =>
      state && {
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
      },
    [auth, state],
  );
  return selector ? (selected as T) : tokenState!;
}
