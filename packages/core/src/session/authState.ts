import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CelonisAuthError } from '../protocol/celonisAuthError.js';

/** Fields every {@link AuthState} carries, so selectors work on any variant. */
interface AuthStateFields {
  /** The current access token, when one is usable. */
  accessToken: string | null;
  /** Scopes granted with the current session (may be narrower than requested). */
  scopes: readonly string[];
  /** When the access token expires, ms since the epoch. */
  expiresAt: number | null;
  /** The last failure, kept until the next success. */
  error: CelonisAuthError | null;
}

/**
 * The session as the app sees it; a union on `status`:
 * - `signedOut`: no session (`error` says why, if a failure ended it);
 * - `redirecting`: `login()` is leaving for the authorization server;
 * - `handlingCallback`: a redirect callback is being exchanged for tokens;
 * - `authenticated`: a valid access token is available;
 * - `refreshing`: a refresh is under way; the current token stays usable until it expires;
 * - `expired`: the access token expired and could not be renewed yet (e.g. offline); a refresh
 *   will be tried again.
 *
 * Refresh tokens are never in the state.
 */
export type AuthState =
  | (AuthStateFields & { status: 'signedOut'; accessToken: null; expiresAt: null })
  | (AuthStateFields & { status: 'redirecting'; accessToken: null; expiresAt: null })
  | (AuthStateFields & { status: 'handlingCallback'; accessToken: null; expiresAt: null })
  | (AuthStateFields & { status: 'authenticated'; accessToken: string; expiresAt: number })
  | (AuthStateFields & { status: 'refreshing'; accessToken: string | null; expiresAt: number })
  | (AuthStateFields & { status: 'expired'; accessToken: null; expiresAt: number });

/** The `status` values of {@link AuthState}. */
export type AuthStatus = AuthState['status'];

/** A read-only zustand store: subscribe and read, never set (only the core writes). */
export type ReadonlyAuthStore = Pick<StoreApi<AuthState>, 'getState' | 'getInitialState' | 'subscribe'>;

/** The signed-out state, optionally with the error that ended the session. */
export function signedOutState(error: CelonisAuthError | null = null): AuthState {
  return { status: 'signedOut', accessToken: null, scopes: [], expiresAt: null, error };
}

/** Creates the one store of an auth client, with its writable API kept inside the core. */
export function createAuthStore(initial: AuthState): StoreApi<AuthState> {
  return createStore<AuthState>()(() => initial);
}
