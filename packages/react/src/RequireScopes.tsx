import { useEffect, useRef, useState, type ReactNode } from 'react';
import {
  grantsScopes,
  hasSession,
  isAwaitingToken,
  isSignedOut,
  isSigningIn,
  type AuthState,
  type CelonisAuthError,
  type CelonisScope,
  type ScopeMatchMode,
} from '@celonis-auth/core';
import { useCelonisAuth } from './useCelonisAuth.js';
import { useCelonisToken } from './useCelonisToken.js';

/** What a {@link RequireScopes} fallback gets to explain and fix the situation. */
export interface RequireScopesFallbackProps {
  /** Required scopes the session lacks (empty when signed out with an error). */
  missingScopes: string[];
  /** Why the user is signed out, when a failure ended the session. */
  error: CelonisAuthError | null;
  /** Signs in again asking for the missing scopes too (incremental consent), back to this page. */
  requestAccess: () => Promise<void>;
}

/** Props of {@link RequireScopes}. */
export interface RequireScopesProps {
  /** Scopes the children need. */
  scopes: readonly CelonisScope[];
  /** `'all'` (default) or `'any'` of `scopes`. */
  mode?: ScopeMatchMode;
  /** Shown while signing in, handling the callback, or renewing an expired token. */
  loading?: ReactNode;
  /** Shown when signed in without the scopes, signed out by an error, or signed out while shown. Never redirects by itself. */
  fallback?: ReactNode | ((props: RequireScopesFallbackProps) => ReactNode);
  children?: ReactNode;
}

/**
 * Renders `children` only for a session that has `scopes`.
 * - signed out on arrival: one login redirect, coming back to the current page;
 * - signing in, or the token expired and is being renewed: `loading`
 *   (a background refresh of a still-valid token keeps the children);
 * - signed in without the scopes, signed out by an error, or signed out while shown (logout here
 *   or in another tab): `fallback`, never a redirect, so there is no loop and no surprise sign-in;
 *   the fallback can call `requestAccess()`.
 *
 * @example
 * ```tsx
 * <RequireScopes scopes={['audit.log:read']} fallback={({ requestAccess }) => <button onClick={() => void requestAccess()}>Request access</button>}>
 *   <AuditLog />
 * </RequireScopes>
 * ```
 */
export function RequireScopes({ scopes, mode = 'all', loading = null, fallback = null, children }: RequireScopesProps): ReactNode {
  const auth = useCelonisAuth('RequireScopes');
  const state: AuthState = useCelonisToken(selectState);
  const { error, scopes: granted } = state;
  const signedOut = isSignedOut(state);
  const redirected = useRef(false);
  // A session that ends while the page is shown (logout here or in another tab) is not a request
  // to sign in again: only a visit that starts signed out redirects. Remembered from earlier renders.
  const [hadSession, setHadSession] = useState(false);
  if (!hadSession && hasSession(state)) setHadSession(true);
  const mustSignIn = signedOut && error === null && !hadSession && !hasSession(state);

  // Signing in asks for this guard's scopes too, so a page that needs more than the configured ones takes one round trip.
  const extraScopes = scopes.filter((s) => !auth.config.scopes.includes(s));
  // An automatic redirect replaces this history entry, so Back leaves the guarded page instead of redirecting again.
  const signIn = (replace: boolean) => auth.login({ ...(extraScopes.length > 0 ? { scopes: extraScopes } : {}), ...(replace ? { replace } : {}) });

  useEffect(() => {
    // One redirect per mount; login() also moves the store to 'redirecting' at once.
    if (!mustSignIn || redirected.current) return;
    // The render may be stale (hydration, or a callback handled by a child effect just now): ask the store.
    const live = auth.store.getState();
    if (!isSignedOut(live) || live.error !== null || auth.isRedirectCallback()) return;
    redirected.current = true;
    signIn(true).catch(() => undefined);
    // signIn only reads props of this render; the redirect happens once per mount whatever they become.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [auth, mustSignIn]);

  if (mustSignIn || isSigningIn(state) || isAwaitingToken(state)) return loading;
  if (grantsScopes(state, scopes, mode)) return children;
  const missingScopes = signedOut ? [] : scopes.filter((s) => !granted.includes(s));
  const props: RequireScopesFallbackProps = {
    missingScopes,
    error: signedOut ? error : null,
    requestAccess: () => (missingScopes.length > 0 ? auth.login({ scopes: missingScopes }) : signIn(false)),
  };
  return typeof fallback === 'function' ? fallback(props) : fallback;
}

const selectState = (state: AuthState) => state;
