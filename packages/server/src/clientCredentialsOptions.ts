import type { ClientSecretSource } from './clientSecret.js';
import type { RetryOptions } from './retryPolicy.js';
import type { ServerDeps } from './serverDeps.js';
import type { ClientAuthentication, TokenBodyEncoding } from './tokenRequest.js';
import type { AccessToken } from './tokenResponse.js';

/** Options of `createClientCredentialsTokenSource`. */
export interface ClientCredentialsTokenSourceOptions {
  /** The team's origin, e.g. `https://acme.eu-1.celonis.cloud` (http only on loopback, e.g. the emulator). */
  teamUrl: string;
  /** The OAuth client's id (Admin & Settings → Applications). */
  clientId: string;
  /** The client secret, or a function returning the current one, read on every token request. */
  clientSecret: ClientSecretSource;
  /** Scopes to request, e.g. `['intelligence.knowledge-models:read']`. Default none: no `scope` parameter is sent. */
  scopes?: readonly string[];
  /** Default `'client_secret_basic'`. */
  authentication?: ClientAuthentication;
  /** Default `'urlencoded'`; `'multipart'` is what the Celonis page's curl example sends. */
  bodyEncoding?: TokenBodyEncoding;
  /**
   * Fetch a new token this many seconds before the current one expires (at most half its lifetime,
   * and never sooner than 5 s after it arrived, even for `expires_in: 0`). Default 60.
   */
  refreshLeewaySeconds?: number;
  /** Retries on 5xx, 429 and network failures. Default `{ maxAttempts: 3, maxDelayMs: 10000, baseDelayMs: 250 }`. */
  retry?: RetryOptions;
  /** Per-request timeout in ms. Default 30 000. */
  timeoutMs?: number;
  /** Injected platform access (fetch, clock, sleep, jitter, logger). */
  deps?: ServerDeps;
}

/** A cached, single-flight source of client-credentials access tokens. */
export interface ClientCredentialsTokenSource {
  /**
   * A valid access token: the cached one while it is not due, else a new one. Concurrent callers
   * share one token request. A token is reused for at least 5 s after it arrived, whatever its
   * `expires_in` (a server answering `expires_in: 0` gets one request per 5 s, not one per call).
   *
   * @throws {CelonisAuthError} `token_error` (with `oauthError`, e.g. `invalid_client`, `invalid_scope`),
   *   `invalid_token_response` (also for a non-2xx answer without an OAuth error body, a 2xx that is
   *   not `application/json`, or any answer over 64 KiB, which is not read further), `network_error`,
   *   `server_unavailable` (with `retryAfterSeconds`); mapped by the protocol's `tokenEndpointError`, as in the browser core.
   * @throws {CodedTypeError} `invalid_client_secret` when a clientSecret function returns no non-empty string.
   */
  getAccessToken(): Promise<string>;
  /** Like {@link getAccessToken}, with expiry, granted scopes and type. */
  getToken(): Promise<AccessToken>;
  /** Forgets the cached token (and detaches any request in flight), so the next call fetches a new one. */
  invalidate(): void;
  /**
   * Replaces the client secret (after "Regenerate Secret"). It is used from the next token
   * request on; the cached token stays valid until due (call {@link invalidate} to fetch at once).
   *
   * @throws {CodedTypeError} `invalid_client_secret` when `secret` is not a non-empty string or a function.
   */
  setClientSecret(secret: ClientSecretSource): void;
}
