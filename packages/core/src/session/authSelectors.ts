import { scopesSatisfy, type ScopeMatchMode } from '../protocol/scopeTokens.js';
import type { AuthState } from './authState.js';

/**
 * Whether there is a session (signed in, renewing, or expired and about to be renewed): the one
 * rule behind `hasScopes`, `<RequireScopes>` and the testing helpers.
 *
 * @example
 * ```ts
 * const signedIn = useCelonisToken(hasSession)
 * ```
 */
export function hasSession(state: AuthState): boolean {
  return state.status === 'authenticated' || state.status === 'refreshing' || state.status === 'expired';
}

/** Whether there is no session and no sign-in under way (`error` may say why). */
export function isSignedOut(state: AuthState): boolean {
  return state.status === 'signedOut';
}

/** Whether a sign-in is under way: leaving for the login page, or exchanging the callback's code. */
export function isSigningIn(state: AuthState): boolean {
  return state.status === 'redirecting' || state.status === 'handlingCallback';
}

/** Whether a session has no usable token right now but is getting one (expired, or renewing an expired token). */
export function isAwaitingToken(state: AuthState): boolean {
  return state.status === 'expired' || (state.status === 'refreshing' && state.accessToken === null);
}

/** Whether the session grants `required` scopes: all of them (default) or, with `'any'`, one. */
export function grantsScopes(state: AuthState, required: readonly string[], mode: ScopeMatchMode = 'all'): boolean {
  return hasSession(state) && scopesSatisfy(state.scopes, required, mode);
}
