import type { CelonisAuthError } from '../protocol/celonisAuthError.js';
import type { StoredSession } from './sessionRecordStore.js';
import { isUnexpired } from './tokenFreshness.js';

/** Fields every {@link AuthState} carries, so selectors work on any variant. */
export interface AuthStateFields {
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
 * - `handlingCallback`: a redirect callback is being exchanged for tokens (in the backend-for-frontend
 *   mode also: the session is being asked of the server, at start);
 * - `authenticated`: a valid access token is available (in the backend-for-frontend mode, on the
 *   server: `accessToken` is then `null`);
 * - `refreshing`: a refresh is under way; the current token stays usable until it expires;
 * - `expired`: the access token expired and could not be renewed yet (e.g. offline); a refresh
 *   will be tried again.
 *
 * Refresh tokens are never in the state. Build states with the constructors below, never by hand.
 */
export type AuthState =
  | (AuthStateFields & { status: 'signedOut'; accessToken: null; expiresAt: null })
  | (AuthStateFields & { status: 'redirecting'; accessToken: null; expiresAt: null })
  | (AuthStateFields & { status: 'handlingCallback'; accessToken: null; expiresAt: null })
  // accessToken is null only in the backend-for-frontend mode, where tokens never reach the browser.
  | (AuthStateFields & { status: 'authenticated'; accessToken: string | null; expiresAt: number })
  | (AuthStateFields & { status: 'refreshing'; accessToken: string | null; expiresAt: number })
  | (AuthStateFields & { status: 'expired'; accessToken: null; expiresAt: number });

/** The `status` values of {@link AuthState}. */
export type AuthStatus = AuthState['status'];

/** The signed-out state, optionally with the error that ended the session. */
export function signedOutState(error: CelonisAuthError | null = null): AuthState {
  return { status: 'signedOut', accessToken: null, scopes: [], expiresAt: null, error };
}

/** A sign-in under way: leaving for the authorization server, or exchanging the callback's code. */
export function signingInState(status: 'redirecting' | 'handlingCallback', error: CelonisAuthError | null = null): AuthState {
  return { status, accessToken: null, scopes: [], expiresAt: null, error };
}

/** A session with a usable access token (`null`: it stays on the backend-for-frontend). */
export function authenticatedState(accessToken: string | null, expiresAt: number, scopes: readonly string[], error: CelonisAuthError | null = null): AuthState {
  return { status: 'authenticated', accessToken, expiresAt, scopes, error };
}

/** A refresh under way; `accessToken` is the current one while it is still valid, else `null`. */
export function refreshingState(accessToken: string | null, expiresAt: number, scopes: readonly string[], error: CelonisAuthError | null = null): AuthState {
  return { status: 'refreshing', accessToken, expiresAt, scopes, error };
}

/** A session whose access token expired and is to be renewed. */
export function expiredState(expiresAt: number, scopes: readonly string[], error: CelonisAuthError | null = null): AuthState {
  return { status: 'expired', accessToken: null, expiresAt, scopes, error };
}

/**
 * The state a stored session shows at `now`: `authenticated` while its access token is valid,
 * `expired` once it is not but a refresh token can renew it, else signed out.
 */
export function stateForSession(session: StoredSession | undefined, now: number, error: CelonisAuthError | null = null): AuthState {
  if (session && isUnexpired(session, now)) return authenticatedState(session.accessToken, session.expiresAt, session.scopes, error);
  if (session?.refreshToken) return expiredState(session.expiresAt, session.scopes, error);
  return signedOutState(error);
}
