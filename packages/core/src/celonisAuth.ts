import type { BffResolvedConfig } from './bff/bffConfig.js';
import type { ResolvedConfig } from './config/resolveConfig.js';
import type { AuthFetch } from './http/authFetch.js';
import type { RedirectCallbackResult } from './login/redirectCallback.js';
import type { CelonisScope } from './protocol/celonisScopes.js';
import type { ScopeMatchMode } from './protocol/scopeTokens.js';
import type { ReadonlyAuthStore } from './session/authStore.js';

/** Options of {@link CelonisAuth.login}. */
export interface LoginOptions {
  /** Same-origin path to land on after sign-in. Default: the current page. */
  returnTo?: string;
  /** Scopes to ask for on top of the configured ones (incremental consent). */
  scopes?: readonly CelonisScope[];
  /**
   * Replace the current history entry instead of adding one. For redirects nobody clicked (a guard
   * on a signed-out visit), so Back leaves the guarded page instead of redirecting again. Default `false`.
   */
  replace?: boolean;
}

/** Options of {@link CelonisAuth.logout}. */
export interface LogoutOptions {
  /** Where to go after signing out: a same-origin path, or a URL on the team's origin. Default: stay. */
  returnTo?: string;
}

/** Options of {@link CelonisAuth.getAccessToken}. */
export interface GetAccessTokenOptions {
  /** Refresh when the token is valid for fewer seconds than this. Default 5. */
  minValiditySeconds?: number;
  /** Refresh even if the token is still valid. */
  forceRefresh?: boolean;
}

/**
 * A "Sign in with Celonis" client for the browser. Create one per app with {@link createCelonisAuth}.
 * Every method works detached (`const { login } = auth`).
 */
export interface CelonisAuth<Config extends ResolvedConfig | BffResolvedConfig = ResolvedConfig | BffResolvedConfig> {
  /**
   * The validated configuration; `mode` says where the tokens live (`'browser'`, or `'bff'` for the
   * backend-for-frontend). `createCelonisAuth` gives the browser's, so its fields need no narrowing.
   */
  readonly config: Readonly<Config>;
  /** A read-only zustand store of `AuthState`; every transition is visible here. Ask it through the selectors (`hasSession`, ...). */
  readonly store: ReadonlyAuthStore;
  /**
   * Leaves for the Celonis login with `state` and PKCE S256; resolves once navigation was asked for.
   * @throws {CodedTypeError} `invalid_return_to`, `invalid_scopes` (synchronously).
   * @throws {CelonisAuthError} `crypto_unavailable`, `storage_unavailable` (before navigating; also written to the store's `error`).
   */
  login(this: void, options?: LoginOptions): Promise<void>;
  /**
   * Finishes a login on the redirect URI: checks `state`, exchanges the code, stores the session,
   * and cleans the URL. Idempotent per `state`.
   * @throws {CelonisAuthError} `invalid_callback`, `state_mismatch`, `missing_transaction`,
   *   `authorization_error`, `token_error`, `invalid_token_response`, `network_error`, `server_unavailable`.
   */
  handleRedirectCallback(this: void, url?: string): Promise<RedirectCallbackResult>;
  /** Whether `url` (default: the current page) is an authorization callback for this client's redirect URI. */
  isRedirectCallback(this: void, url?: string): boolean;
  /**
   * A valid access token, without network when possible; otherwise one single-flight refresh.
   * @throws {CodedTypeError} `invalid_argument` for a `minValiditySeconds` that is not a finite number ≥ 0 (synchronously).
   * @throws {CelonisAuthError} `login_required`, `session_expired`, `network_error`, `server_unavailable`, `aborted`.
   */
  getAccessToken(this: void, options?: GetAccessTokenOptions): Promise<string>;
  /** Refreshes now (single-flight with any refresh under way) and returns the new access token. */
  refresh(this: void): Promise<string>;
  /**
   * Signs out in every tab: clears what the library stored, aborts a refresh. No network: the
   * team's own session (single sign-on) lives on, so a new sign-in may not ask for a password.
   * With `returnTo`, then leaves for that page: a same-origin path, or a page on the team's origin
   * (a logout page of the team, if it has one).
   * @throws {CodedTypeError} `invalid_return_to` for any other `returnTo` (synchronously, after signing out: a bad
   *   `returnTo` never keeps a session).
   */
  logout(this: void, options?: LogoutOptions): void;
  /** Whether the session grants `required` scopes: all of them (default) or any. */
  hasScopes(this: void, required: readonly CelonisScope[], mode?: ScopeMatchMode): boolean;
  /** `fetch` with the access token for the team URL (relative URLs resolve against it). */
  fetch: AuthFetch;
  /** Goes to a same-origin path without a reload (as `<CelonisCallback>` does after sign-in), through `deps.navigateInApp`. */
  navigateInApp(this: void, path: string): void;
  /**
   * Starts the refresh scheduler and cross-tab listeners, reference-counted (StrictMode-safe).
   * Returns the one way to stop: call it once; the last one stops timers and listeners.
   */
  start(this: void): () => void;
}
