import type { CelonisAuth, LoginOptions } from './celonisAuth.js';
import type { ResolvedConfig } from './config/resolveConfig.js';
import { resolveConfig, type CelonisAuthConfig } from './config/resolveConfig.js';
import { createAuthFetch } from './http/authFetch.js';
import { createLoginRequest } from './login/loginRequest.js';
import { LoginTransactionStore } from './login/loginTransactionStore.js';
import { hasCallbackParams } from './protocol/authorizationResponse.js';
import { createRedirectCallbackHandler } from './login/redirectCallback.js';
import { resolveReturnTo } from './login/resolveReturnTo.js';
import type { CelonisAuthDeps } from './platform/celonisAuthDeps.js';
import { defaultDeps } from './platform/defaultDeps.js';
import { CelonisAuthError, isCelonisAuthError } from './protocol/celonisAuthError.js';
import { CodedTypeError } from './protocol/codedTypeError.js';
import { checkScopeList } from './protocol/scopeTokens.js';
import { grantsScopes } from './session/authSelectors.js';
import { RefreshScheduler } from './session/refreshScheduler.js';
import { SessionManager } from './session/sessionManager.js';
import { storageKeyPrefix } from './session/sessionRecordStore.js';
import { usableToken, type TokenNeed } from './session/tokenFreshness.js';

/**
 * Creates a Celonis auth client. Nothing starts here: call `start()` (the React provider does).
 *
 * @example
 * ```ts
 * const auth = createCelonisAuth({
 *   teamUrl: 'https://acme.eu-1.celonis.cloud',
 *   clientId: 'my-portal',
 *   redirectUri: `${location.origin}/callback`,
 *   scopes: ['studio', 'intelligence.knowledge-models:read'],
 * })
 * ```
 * @throws {CodedTypeError} for any invalid configuration field, saying what to fix.
 * @see https://www.rfc-editor.org/rfc/rfc6749 and https://www.rfc-editor.org/rfc/rfc7636
 */
export function createCelonisAuth(config: CelonisAuthConfig): CelonisAuth<ResolvedConfig> {
  // Anything but Node (a page, a worker, a service worker) is a browser: a secret there is public.
  const inBrowser = typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node !== 'string';
  const deps: CelonisAuthDeps = { ...defaultDeps(), ...config?.deps };
  // Paths (a relay, an API proxy) resolve against the page the client is made in.
  const resolved = resolveConfig(config, inBrowser, deps.currentUrl());
  const keyPrefix = storageKeyPrefix(resolved.teamUrl, resolved.clientId);
  const manager = new SessionManager(resolved, deps, keyPrefix);
  const transactions = deps.transactionStorage ? new LoginTransactionStore(deps.transactionStorage, keyPrefix) : undefined;
  const scheduler = new RefreshScheduler(manager, deps, resolved.refreshLeewaySeconds);
  let starts = 0;
  let stopAll: (() => void) | undefined;

  const handleRedirectCallback = transactions
    ? createRedirectCallbackHandler(resolved, deps, transactions, manager)
    : () => Promise.reject(new CelonisAuthError('storage_unavailable', 'No storage for login transactions: pass deps.transactionStorage'));

  // The token if it meets `need`, after another look at shared storage; else one single-flight refresh.
  async function validAccessToken(need: TokenNeed): Promise<string> {
    const token = usableToken(manager.session, deps.now(), need);
    if (token) return token;
    manager.syncFromStorage();
    const synced = usableToken(manager.session, deps.now(), need);
    if (synced) return synced;
    if (!manager.session) throw new CelonisAuthError('login_required', 'There is no session: sign in first');
    return (await manager.refresh()).accessToken;
  }

  // A login that cannot even start says why in the store too: a guard waiting for it (e.g.
  // <RequireScopes>) would otherwise show `loading` forever.
  function refuseLogin(failure: CelonisAuthError): CelonisAuthError {
    manager.restore(failure);
    return failure;
  }

  function login(options: LoginOptions = {}): Promise<void> {
    const returnTo = resolveReturnTo(options.returnTo, deps.currentUrl(), resolved.redirectUri);
    const extra = checkScopeList(options.scopes ?? [], 'login({ scopes })');
    const scopes = [...new Set([...resolved.scopes, ...extra])];
    return (async () => {
      if (!deps.crypto?.subtle || typeof deps.crypto.getRandomValues !== 'function') {
        throw refuseLogin(new CelonisAuthError('crypto_unavailable', 'Web Crypto is unavailable (an insecure http origin?); state and PKCE need it'));
      }
      if (!transactions) throw refuseLogin(new CelonisAuthError('storage_unavailable', 'No storage for login transactions: is localStorage disabled?'));
      manager.showSigningIn('redirecting');
      try {
        const { url } = await createLoginRequest(resolved, deps, transactions, { scopes, returnTo });
        if (options.replace === true) deps.navigate(url, { replace: true });
        else deps.navigate(url);
      } catch (error) {
        const failure = isCelonisAuthError(error) ? error : new CelonisAuthError('storage_unavailable', 'The login could not be prepared', { cause: error });
        // Back to what the session says; the error field holds the latest failure, this one.
        throw refuseLogin(failure);
      }
    })();
  }

  function stopOnce(): void {
    starts -= 1;
    if (starts === 0) stopAll?.();
  }

  return {
    config: resolved,
    store: manager.store,
    login,
    handleRedirectCallback,
    isRedirectCallback(url) {
      try {
        const parsed = new URL(url ?? deps.currentUrl());
        const redirect = new URL(resolved.redirectUri);
        return parsed.origin === redirect.origin && parsed.pathname === redirect.pathname && hasCallbackParams(parsed);
      } catch {
        return false;
      }
    },
    getAccessToken(options = {}) {
      const minValiditySeconds = options.minValiditySeconds ?? undefined;
      if (minValiditySeconds !== undefined && (typeof minValiditySeconds !== 'number' || !Number.isFinite(minValiditySeconds) || minValiditySeconds < 0)) {
        throw new CodedTypeError('getAccessToken({ minValiditySeconds }) must be a finite number of seconds, 0 or more', 'invalid_argument');
      }
      return validAccessToken({ ...(minValiditySeconds === undefined ? {} : { minValiditySeconds }), forceRefresh: options.forceRefresh === true });
    },
    refresh: async () => (await manager.refresh()).accessToken,
    logout(options = {}) {
      // Signed out first, whatever returnTo is: a bad one must not leave the user signed in while they think they are not.
      // The scheduler follows the store: a signed-out session has no timers.
      manager.signOut(null);
      try {
        transactions?.clear();
      } catch {
        // Storage that cannot remove cannot resume a login either; the session is gone already.
      }
      if (options.returnTo !== undefined) deps.navigate(logoutTarget(options.returnTo, deps.currentUrl(), resolved));
    },
    hasScopes: (required, mode = 'all') => grantsScopes(manager.store.getState(), required, mode),
    // After a 401 invalid_token: refresh unless the current token is already another one.
    fetch: createAuthFetch(
      resolved,
      deps,
      () => validAccessToken({}),
      (rejected) => validAccessToken({ rejected }),
    ),
    navigateInApp: (path) => deps.navigateInApp(path),
    start() {
      starts += 1;
      if (starts === 1) {
        const disconnect = manager.connect();
        const stopScheduler = scheduler.start();
        stopAll = () => {
          stopScheduler();
          disconnect();
        };
      }
      let stopped = false;
      // Not `this`: the returned function must work however `start` was called (e.g. destructured).
      return () => {
        if (stopped) return;
        stopped = true;
        stopOnce();
      };
    },
  };
}

// After sign-out: a path of this app, or a page of the team (its logout page); nowhere else.
function logoutTarget(returnTo: string, pageUrl: string, config: ResolvedConfig): string {
  const teamPage = absoluteOn(config.teamUrl, returnTo);
  if (teamPage) return teamPage;
  // Otherwise the app's own: resolveReturnTo keeps it on the page's origin, or refuses it.
  const page = absoluteOn(pageUrl, pageUrl) ?? config.redirectUri;
  return new URL(resolveReturnTo(returnTo, page, config.redirectUri), page).href;
}

// `url` as an absolute URL when it is one on `origin`'s origin, else undefined.
function absoluteOn(origin: string, url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.origin === new URL(origin).origin ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
