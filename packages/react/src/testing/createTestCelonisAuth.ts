import {
  authenticatedState,
  CelonisAuthError,
  createAuthStore,
  createCelonisAuth,
  expiredState,
  grantsScopes,
  refreshingState,
  signedOutState,
  signingInState,
  type AuthState,
  type CelonisAuth,
  type ResolvedConfig,
  type LoginOptions,
} from '@celonis-auth/core';

/** The session a test client starts with. */
export interface TestAuthOptions {
  /** Default `'authenticated'`. */
  status?: AuthState['status'];
  /** Granted scopes. Default none. */
  scopes?: readonly string[];
  /**
   * Default `'test-access-token'` when signed in. `null` with status `'refreshing'` plays the
   * renewal of an already expired token (the core's state while a guard shows `loading`).
   */
  accessToken?: string | null;
  /** Default one hour from now when signed in. */
  expiresAt?: number;
  error?: CelonisAuthError | null;
  /** Answers `auth.fetch`; default: a 501 response, since tests should say what the API returns. */
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
}

/** A {@link CelonisAuth} for tests: no server, no storage, no timers; state set by hand. */
export interface TestCelonisAuth extends CelonisAuth<ResolvedConfig> {
  /** Replaces the session, e.g. to play a refresh or a sign-out in another tab. */
  setSession(options: TestAuthOptions): void;
  /** Every `login()` call's options, in order. */
  readonly loginCalls: LoginOptions[];
  /** How many times `logout()` was called. */
  readonly logoutCalls: number;
}

/**
 * Creates a client with a chosen session, for testing components that use
 * `useCelonisToken`, `<RequireScopes>` or `auth.fetch` without a server.
 *
 * @example
 * ```tsx
 * const auth = createTestCelonisAuth({ scopes: ['audit.log:read'] })
 * render(<CelonisAuthProvider auth={auth}><AuditPanel /></CelonisAuthProvider>)
 * ```
 */
export function createTestCelonisAuth(options: TestAuthOptions = {}): TestCelonisAuth {
  const store = createAuthStore(stateFrom(options));
  const loginCalls: LoginOptions[] = [];
  let logoutCalls = 0;
  let fetchImpl = options.fetch ?? (async () => new Response('No fetch given to createTestCelonisAuth', { status: 501 }));
  // Borrow a real, validated config so `auth.config` looks like production.
  const borrowed = createCelonisAuth({
    teamUrl: 'https://test.celonis.cloud',
    clientId: 'test-client',
    redirectUri: 'https://app.test/callback',
    scopes: ['studio'],
    storage: 'memory',
    deps: { transactionStorage: undefined, broadcast: undefined, onWake: undefined, locks: undefined },
  });

  const auth: TestCelonisAuth = {
    config: borrowed.config,
    store,
    loginCalls,
    get logoutCalls() {
      return logoutCalls;
    },
    setSession(next) {
      if (next.fetch) fetchImpl = next.fetch;
      store.setState(stateFrom(next), true);
    },
    async login(login = {}) {
      loginCalls.push(login);
      store.setState(signingInState('redirecting'), true);
    },
    handleRedirectCallback: async () => ({ returnTo: '/' }),
    isRedirectCallback: () => false,
    async getAccessToken() {
      const { accessToken } = store.getState();
      if (accessToken === null) throw new CelonisAuthError('login_required', 'The test session is signed out');
      return accessToken;
    },
    refresh() {
      return auth.getAccessToken();
    },
    logout() {
      logoutCalls += 1;
      store.setState(signedOutState(), true);
    },
    hasScopes: (required, mode = 'all') => grantsScopes(store.getState(), required, mode),
    fetch: (input, init) => fetchImpl(input, init),
    navigateInApp: (path) => borrowed.navigateInApp(path),
    start: () => () => undefined,
  };
  return auth;
}

function stateFrom(options: TestAuthOptions): AuthState {
  const status = options.status ?? 'authenticated';
  const error = options.error ?? null;
  const scopes = options.scopes ?? [];
  if (status === 'signedOut') return { ...signedOutState(error), scopes };
  if (status === 'redirecting' || status === 'handlingCallback') return { ...signingInState(status, error), scopes };
  const expiresAt = options.expiresAt ?? Date.now() + 3_600_000;
  if (status === 'expired') return expiredState(expiresAt, scopes, error);
  // Only 'refreshing' may lack a token; 'authenticated' always has one.
  if (status === 'refreshing') return refreshingState(options.accessToken === undefined ? 'test-access-token' : options.accessToken, expiresAt, scopes, error);
  return authenticatedState(options.accessToken ?? 'test-access-token', expiresAt, scopes, error);
}
