import {
  grantsScopes,
  hasSession,
  isCelonisAuthError,
  isSignedOut,
  isSigningIn,
  type AuthState,
  type CelonisAuth,
  type CelonisAuthError,
  type CelonisScope,
  type ScopeMatchMode,
} from '@celonis-auth/core';

/**
 * What a route guard found:
 * - `'granted'`: the session has the route's scopes;
 * - `'missingScopes'`: signed in without some of them (`missingScopes` says which);
 * - `'signedOut'`: no session and no automatic sign-in: a failure ended the session (`error`), the
 *   login could not start, the user came back from the login page without signing in, or the
 *   session ended while the route was shown;
 * - `'callback'`: the URL is the redirect URI, where `<CelonisCallback>` finishes signing in; never guarded.
 */
export type CelonisRouteAccessStatus = 'granted' | 'missingScopes' | 'signedOut' | 'callback';

/** The data a guard returns (the loader data, or the route context's `celonisAccess`). */
export interface CelonisRouteAccess {
  status: CelonisRouteAccessStatus;
  /** Required scopes the session lacks; empty unless `status` is `'missingScopes'`. */
  missingScopes: CelonisScope[];
  /** Why there is no session, when a failure says so (`'signedOut'` only). */
  error: CelonisAuthError | null;
  /**
   * Signs in again, back to this route: asking for `missingScopes` (incremental consent), or, signed
   * out, for the route's scopes beyond the configured ones. As `<RequireScopes>`' `requestAccess`.
   */
  requestAccess: () => Promise<void>;
}

/** Options of a route guard: the same rules as `<RequireScopes>`. */
export interface CelonisGuardOptions {
  /** Scopes the route needs. Default none: any session will do. */
  scopes?: readonly CelonisScope[];
  /** `'all'` (default) or `'any'` of `scopes`. */
  mode?: ScopeMatchMode;
}

/** Options of {@link checkCelonisRouteAccess}: the visit a router is about to make. */
export interface CelonisRouteVisit extends CelonisGuardOptions {
  /** The URL being visited, absolute or a path: it becomes the login's `returnTo` (path, query and fragment). */
  url: string | URL;
  /** Aborts the wait for a sign-in under way (a router cancelling the navigation); the promise then rejects with its reason. */
  signal?: AbortSignal;
  /** Whether a signed-out visit may start a login. Default `true`; `false` for preloads and revalidations. */
  signIn?: boolean;
}

// The login a guard started, per client: guards of nested routes run in parallel and must not start two.
const loginsUnderWay = new WeakMap<CelonisAuth, Promise<void>>();

/**
 * The rule behind the router guards (`requireCelonisAuth`, `celonisBeforeLoad`), for any router:
 * waits while a sign-in is under way (`redirecting`, `handlingCallback`), then
 * - signed out on arrival, without an error: starts one `auth.login({ returnTo: visit, replace: true })`
 *   and waits (the page leaves); if the page comes back without leaving (Back from the login page),
 *   `'signedOut'`, never a second login, so there is no redirect loop;
 * - a visit that finds a sign-in under way never starts another: it waits and reports what it ended in;
 * - with a session: `'granted'`, or `'missingScopes'` with the ones lacking (`grantsScopes`, as `<RequireScopes>`);
 * - on the redirect URI's path: `'callback'` at once, so `<CelonisCallback>` can run.
 *
 * @throws {CodedTypeError} `invalid_return_to` (from `login`) for a location the core refuses as `returnTo`.
 * @example
 * ```ts
 * const access = await checkCelonisRouteAccess(auth, { url: location.href, scopes: ['audit.log:read'] })
 * if (access.status === 'missingScopes') await access.requestAccess()
 * ```
 */
export async function checkCelonisRouteAccess(auth: CelonisAuth, visit: CelonisRouteVisit): Promise<CelonisRouteAccess> {
  const { scopes = [], mode = 'all', signal, signIn = true } = visit;
  const parsed = new URL(visit.url, 'http://localhost');
  const returnTo = `${parsed.pathname}${parsed.search}${parsed.hash}`;
  const extraScopes = scopes.filter((s) => !auth.config.scopes.includes(s));
  const login = (missing: readonly CelonisScope[], replace: boolean) => {
    const asked = missing.length > 0 ? missing : extraScopes;
    return auth.login({ returnTo, ...(asked.length > 0 ? { scopes: asked } : {}), ...(replace ? { replace } : {}) });
  };
  const result = (status: CelonisRouteAccessStatus, missingScopes: CelonisScope[] = [], error: CelonisAuthError | null = null): CelonisRouteAccess => ({
    status,
    missingScopes,
    error,
    requestAccess: () => login(missingScopes, false),
  });

  if (isCallbackPath(auth, parsed.pathname)) return result('callback');
  const arrival = auth.store.getState();
  let state = await settled(auth, signal);
  // Only a visit that finds the store signed out signs in; one that waited through a sign-in reports how it ended.
  if (signIn && isSignedOut(arrival) && arrival.error === null && isSignedOut(state) && state.error === null) {
    try {
      await startLogin(auth, () => login([], true));
    } catch (error) {
      if (isCelonisAuthError(error)) return result('signedOut', [], error);
      throw error;
    }
    state = await settled(auth, signal);
  }
  if (grantsScopes(state, scopes, mode)) return result('granted');
  if (hasSession(state))
    return result(
      'missingScopes',
      scopes.filter((s) => !state.scopes.includes(s)),
    );
  return result('signedOut', [], state.error);
}

function isCallbackPath(auth: CelonisAuth, pathname: string): boolean {
  // A backend-for-frontend client has no redirect URI: its callback is the server's route, never the app's.
  return 'redirectUri' in auth.config && new URL(auth.config.redirectUri).pathname === pathname;
}

function startLogin(auth: CelonisAuth, login: () => Promise<void>): Promise<void> {
  const underWay = loginsUnderWay.get(auth);
  if (underWay) return underWay;
  const started = login().finally(() => loginsUnderWay.delete(auth));
  loginsUnderWay.set(auth, started);
  return started;
}

/** The store's state once no sign-in is under way. */
function settled(auth: CelonisAuth, signal: AbortSignal | undefined): Promise<AuthState> {
  const now = auth.store.getState();
  if (!isSigningIn(now)) return Promise.resolve(now);
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const unsubscribe = auth.store.subscribe((state) => {
      if (isSigningIn(state)) return;
      stop();
      resolve(state);
    });
    const onAbort = () => {
      stop();
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    function stop() {
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
    }
  });
}
