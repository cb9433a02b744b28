/**
 * The stable codes of {@link CelonisAuthError}. Switch on these, never on messages.
 *
 * - `login_required`: there is no session (never signed in, signed out, or the refresh token is gone).
 * - `missing_transaction`: a callback arrived with no login transaction for its `state` (replayed, stale, or another browser).
 * - `state_mismatch`: the callback's `state` is absent or does not match (CSRF defence, RFC 9700 §4.7).
 * - `invalid_callback`: the callback URL is malformed, carries neither `code` nor `error`, repeats a
 *   parameter, carries a parameter an authorization-code response never has (`access_token`, ...),
 *   or a value out of bounds.
 * - `issuer_mismatch`: the callback's `iss` is not the configured issuer, or is missing where it is
 *   required (RFC 9207 mix-up defence).
 * - `login_interrupted`: the page reloaded (or closed) while the code was exchanged, so the sign-in
 *   could not finish; `returnTo` says where it was going, `retried` whether a new sign-in was already
 *   tried for it.
 * - `authorization_error`: the authorization server redirected with an `error` (e.g. `access_denied`).
 * - `token_error`: the token endpoint answered with an OAuth error (`invalid_client`, `invalid_scope`, ...).
 * - `invalid_token_response`: the token endpoint answered, but not with a usable token response.
 * - `network_error`: the request did not complete (offline, DNS, CORS, dropped connection).
 * - `token_endpoint_unreachable`: a browser's token request to another origin got no answer it may
 *   read: offline, or (the likely case against Celonis) no CORS for the page. Celonis clients are
 *   confidential: use the token relay or the backend-for-frontend mode.
 * - `api_unreachable`: the same for an `auth.fetch` call to an API on another origin: serve the APIs
 *   same-origin (`apiBaseUrl` and the API proxy) or use the backend-for-frontend mode.
 * - `server_unavailable`: the token endpoint kept answering 5xx or 429; `retryAfterSeconds` says when to try again.
 * - `session_expired`: the refresh token was rejected (`invalid_grant`); the session is gone everywhere.
 * - `storage_unavailable`: the login transaction or session could not be stored.
 * - `crypto_unavailable`: Web Crypto (needed for `state` and PKCE) is missing, e.g. on an insecure origin.
 * - `aborted`: the operation was cancelled, e.g. by `logout()` during a refresh.
 * - `tokens_on_server`: the backend-for-frontend mode keeps the tokens on the server; call the
 *   APIs with `auth.fetch`, which goes through its proxy.
 * - `insufficient_scope`: an API answered 403 `insufficient_scope`; `requiredScopes` names what it wants.
 */
export type CelonisAuthErrorCode =
  | 'login_required'
  | 'missing_transaction'
  | 'state_mismatch'
  | 'invalid_callback'
  | 'issuer_mismatch'
  | 'login_interrupted'
  | 'authorization_error'
  | 'token_error'
  | 'invalid_token_response'
  | 'network_error'
  | 'token_endpoint_unreachable'
  | 'api_unreachable'
  | 'server_unavailable'
  | 'session_expired'
  | 'storage_unavailable'
  | 'crypto_unavailable'
  | 'aborted'
  | 'tokens_on_server'
  | 'insufficient_scope';

/** Details carried by a {@link CelonisAuthError}. */
export interface CelonisAuthErrorDetails {
  /** The OAuth `error` the server sent (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1). */
  oauthError?: string;
  /** The server's `error_description`: plain text from the server, to be rendered as text only. */
  oauthErrorDescription?: string;
  /** The HTTP status, when a response arrived. */
  status?: number;
  /** Seconds the server asked to wait (`Retry-After`). */
  retryAfterSeconds?: number;
  /** For `insufficient_scope`: the scopes the API asked for. */
  requiredScopes?: string[];
  /** For `login_interrupted`: the same-origin path the interrupted sign-in was going to. */
  returnTo?: string;
  /** For `login_interrupted`: an automatic new sign-in was already tried for this interruption. */
  retried?: boolean;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The one error type of celonis-auth. Messages never contain tokens, codes or secrets.
 *
 * @example
 * ```ts
 * try { await auth.handleRedirectCallback() }
 * catch (e) { if (isCelonisAuthError(e, 'authorization_error') && e.oauthError === 'access_denied') showDenied() }
 * ```
 */
export class CelonisAuthError extends Error {
  override readonly name = 'CelonisAuthError';
  readonly code: CelonisAuthErrorCode;
  readonly oauthError: string | undefined;
  readonly oauthErrorDescription: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly requiredScopes: string[] | undefined;
  readonly returnTo: string | undefined;
  readonly retried: boolean | undefined;

  constructor(code: CelonisAuthErrorCode, message: string, details: CelonisAuthErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.oauthError = details.oauthError;
    this.oauthErrorDescription = details.oauthErrorDescription;
    this.status = details.status;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.requiredScopes = details.requiredScopes;
    this.returnTo = details.returnTo;
    this.retried = details.retried;
  }
}

/** Whether `error` is a {@link CelonisAuthError}, optionally with one of the given codes. */
export function isCelonisAuthError(error: unknown, ...codes: CelonisAuthErrorCode[]): error is CelonisAuthError {
  return error instanceof CelonisAuthError && (codes.length === 0 || codes.includes(error.code));
}
