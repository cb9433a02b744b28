import type { CelonisAuth, LoginOptions } from '../celonisAuth.js';
import { resolveReturnTo } from '../login/resolveReturnTo.js';
import type { BroadcastLike, CelonisAuthDeps } from '../platform/celonisAuthDeps.js';
import { defaultDeps } from '../platform/defaultDeps.js';
import { CelonisAuthError, isCelonisAuthError } from '../protocol/celonisAuthError.js';
import { checkScopeList } from '../protocol/scopeTokens.js';
import { signedOutState, signingInState, type AuthState } from '../session/authState.js';
import { grantsScopes } from '../session/authSelectors.js';
import { createAuthStore } from '../session/authStore.js';
import { resolveBffConfig, type BffResolvedConfig, type CelonisBffAuthConfig } from './bffConfig.js';
import { createBffFetch } from './bffFetch.js';
import { BFF_HEADER, readBffSession } from './bffSession.js';

const TOKENS_ON_SERVER = 'In the backend-for-frontend mode the tokens stay on the server: call the APIs with auth.fetch, which goes through its proxy';

/**
 * Creates the browser side of the backend-for-frontend mode (`createCelonisBff` of
 * `@celonis-auth/server`): the same {@link CelonisAuth} as `createCelonisAuth`, so
 * `<CelonisAuthProvider>`, `useCelonisToken()`, `<RequireScopes>` and `requestAccess` work unchanged,
 * but the browser never holds a token (`accessToken` is `null`; only an HttpOnly cookie).
 *
 * - `start()` asks `{basePath}/session` (status `handlingCallback` until it answers), again when the
 *   page wakes (focus, visibility, online) and after the proxy answers 401; tabs tell each other of a sign-out.
 * - `login()` navigates to `{basePath}/login?returnTo=…&scopes=…`; the server does `state`, PKCE and the callback.
 * - `fetch()` sends relative URLs to `{apiBasePath}` with `X-Celonis-Auth: 1` and the cookie.
 * - `logout()` posts `{basePath}/logout` and signs out every tab.
 * - `getAccessToken()` and `refresh()` reject with `tokens_on_server`; `handleRedirectCallback()` with `invalid_callback`.
 *
 * @example
 * ```ts
 * import { createCelonisBffAuth } from '@celonis-auth/core/bff';
 * const auth = createCelonisBffAuth({ basePath: '/auth', apiBasePath: '/celonis' });
 * ```
 * @throws {CodedTypeError} `invalid_config`, `invalid_endpoint`, `invalid_api_base_url`, `invalid_team_url`, `invalid_scopes`.
 */
export function createCelonisBffAuth(config: CelonisBffAuthConfig = {}): CelonisAuth<BffResolvedConfig> {
  const deps: CelonisAuthDeps = { ...defaultDeps(), ...(config as Partial<CelonisBffAuthConfig> | null)?.deps };
  const resolved = resolveBffConfig(config, deps.currentUrl());
  // Until the server has answered, the app waits (guards show loading) instead of sending a signed-in user to login.
  const store = createAuthStore(signingInState('handlingCallback'));
  const set = (state: AuthState) => store.setState(state, true);
  let starts = 0;
  let stopAll: (() => void) | undefined;
  let channel: BroadcastLike | undefined;
  let reading: Promise<void> | undefined;

  // One read at a time; a failure keeps the session as it was, with the error (signed out if there was none yet).
  function reload(): Promise<void> {
    reading ??= readBffSession(resolved.basePath, deps)
      .then(set, (error: unknown) => {
        const failure = isCelonisAuthError(error) ? error : new CelonisAuthError('network_error', 'The session could not be read', { cause: error });
        const current = store.getState();
        set(current.status === 'handlingCallback' || current.status === 'redirecting' ? signedOutState(failure) : { ...current, error: failure });
      })
      .finally(() => (reading = undefined));
    return reading;
  }

  function signOutHere(error: CelonisAuthError | null): void {
    set(signedOutState(error));
    channel?.postMessage({ type: 'celonis-auth:bff', event: 'signedOut', expired: error !== null });
  }

  function login(options: LoginOptions = {}): Promise<void> {
    const returnTo = resolveReturnTo(options.returnTo, deps.currentUrl(), resolved.basePath);
    const scopes = checkScopeList(options.scopes ?? [], 'login({ scopes })');
    const query = new URLSearchParams({ returnTo });
    if (scopes.length > 0) query.set('scopes', scopes.join(' '));
    set(signingInState('redirecting'));
    const url = `${resolved.authorizationEndpoint}?${query}`;
    if (options.replace === true) deps.navigate(url, { replace: true });
    else deps.navigate(url);
    return Promise.resolve();
  }

  return {
    config: resolved,
    store,
    login,
    handleRedirectCallback: () =>
      Promise.reject(
        new CelonisAuthError('invalid_callback', `In the backend-for-frontend mode the server finishes sign-ins at ${resolved.basePath}/callback`),
      ),
    isRedirectCallback: () => false,
    getAccessToken: () => Promise.reject(new CelonisAuthError('tokens_on_server', TOKENS_ON_SERVER)),
    refresh: () => Promise.reject(new CelonisAuthError('tokens_on_server', TOKENS_ON_SERVER)),
    logout(options = {}) {
      // Signed out here at once; keepalive lets the request outlive a navigation to returnTo.
      const returnTo = options.returnTo === undefined ? undefined : resolveReturnTo(options.returnTo, deps.currentUrl(), resolved.basePath);
      signOutHere(null);
      const fetchFn = deps.fetch;
      void fetchFn(`${resolved.basePath}/logout`, { method: 'POST', headers: { [BFF_HEADER]: '1' }, credentials: 'same-origin', keepalive: true }).catch(
        () => undefined,
      );
      if (returnTo !== undefined) deps.navigate(returnTo);
    },
    hasScopes: (required, mode = 'all') => grantsScopes(store.getState(), required, mode),
    fetch: createBffFetch(resolved, deps, (error) => {
      // The server ended the session (its refresh token was refused): every tab hears why.
      if (error === 'session_expired') signOutHere(new CelonisAuthError('session_expired', 'The server ended the session: sign in again'));
      else void reload();
    }),
    navigateInApp: (path) => deps.navigateInApp(path),
    start() {
      starts += 1;
      if (starts === 1) {
        void reload();
        const unwake = deps.onWake?.(() => void reload());
        channel = deps.broadcast?.(`celonis-auth:bff:${resolved.basePath}`);
        // Another tab signed out: no read now, which could still find the session the server is ending.
        const unlisten = channel?.subscribe((message) => {
          const m = message as { type?: unknown; event?: unknown; expired?: unknown } | null;
          if (m?.type !== 'celonis-auth:bff' || m.event !== 'signedOut') return;
          set(signedOutState(m.expired === true ? new CelonisAuthError('session_expired', 'The server ended the session: sign in again') : null));
        });
        stopAll = () => {
          unwake?.();
          unlisten?.();
          channel?.close();
          channel = undefined;
        };
      }
      let stopped = false;
      return () => {
        if (stopped) return;
        stopped = true;
        starts -= 1;
        if (starts === 0) stopAll?.();
      };
    },
  };
}
