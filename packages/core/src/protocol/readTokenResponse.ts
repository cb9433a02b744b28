import { CelonisAuthError } from './celonisAuthError.js';
import { splitScopeString } from './scopeTokens.js';

/** A validated token endpoint answer. */
export interface TokenSet {
  /** For `Authorization: Bearer <accessToken>`. */
  accessToken: string;
  /** Absent when the server did not rotate (RFC 6749 §6): keep the one you have. */
  refreshToken: string | undefined;
  /** ms since the epoch: the request's send time plus `expires_in`. */
  expiresAt: number;
  /** What was granted; the requested scopes when the server did not say (RFC 6749 §5.1). */
  scopes: string[];
}

/**
 * The longest `expires_in` taken at face value, a year: longer lifetimes are clamped so expiry
 * arithmetic and timers stay in range.
 */
export const MAX_EXPIRES_IN_SECONDS = 365 * 24 * 3600;

/**
 * The lifetime assumed when a token response has no `expires_in` (RFC 6749 §5.1 only recommends
 * it): 899 s, what Celonis issues. A shorter real lifetime costs one 401 `invalid_token`, which
 * renews the token and retries once.
 */
export const DEFAULT_EXPIRES_IN_SECONDS = 899;

/** The longest access or refresh token accepted (characters): far above a Celonis JWT, far below what would fill storage or a header. */
export const MAX_TOKEN_LENGTH = 8_192;

// RFC 6750 §2.1 b64token and the other visible ASCII characters: the token must fit a header value.
const HEADER_SAFE = /^[\x21-\x7E]+$/;

/** Whether `token` can travel as `Authorization: Bearer <token>` and is of a sane length. */
export function isHeaderSafeToken(token: unknown): token is string {
  return typeof token === 'string' && token.length <= MAX_TOKEN_LENGTH && HEADER_SAFE.test(token);
}

/**
 * Validates a successful token response body (RFC 6749 §5.1): JSON with `access_token` a
 * non-empty header-safe string of at most {@link MAX_TOKEN_LENGTH} characters, `token_type` Bearer
 * in any case, `expires_in` a non-negative number or numeric string (clamped to
 * {@link MAX_EXPIRES_IN_SECONDS}; {@link DEFAULT_EXPIRES_IN_SECONDS} when absent), `scope` a string
 * and `refresh_token` a header-safe string when present.
 *
 * @param body the response text, or its JSON already parsed.
 * @param requestedScopes assumed granted when the response has no `scope`.
 * @param sentAt when the request was sent, ms since the epoch.
 * @example
 * ```ts
 * readTokenResponse('{"access_token":"eyJ...","token_type":"Bearer","expires_in":899}', ['studio'], Date.now())
 * ```
 * @throws {CelonisAuthError} `invalid_token_response`, naming the field at fault (never its value).
 */
export function readTokenResponse(body: unknown, requestedScopes: readonly string[], sentAt: number): TokenSet {
  const json = typeof body === 'string' ? parseJson(body) : body;
  if (json === undefined) throw invalid('is not JSON');
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid('is not a JSON object');
  const r = json as Record<string, unknown>;
  if (typeof r.access_token !== 'string' || r.access_token === '') throw invalid('has no access_token');
  // It goes into an Authorization header: line breaks or other controls would break every API call.
  if (!isHeaderSafeToken(r.access_token)) throw invalid('has an access_token an Authorization header cannot carry, or one too long');
  if (typeof r.token_type !== 'string' || r.token_type.toLowerCase() !== 'bearer') throw invalid('has a token_type other than Bearer');
  const expiresIn = readExpiresIn(r.expires_in);
  if (expiresIn === undefined) throw invalid('has no expires_in as a non-negative number');
  if (r.scope !== undefined && typeof r.scope !== 'string') throw invalid('has a scope that is not a string');
  if (r.refresh_token !== undefined && (typeof r.refresh_token !== 'string' || r.refresh_token === ''))
    throw invalid('has a refresh_token that is not a string');
  if (r.refresh_token !== undefined && !isHeaderSafeToken(r.refresh_token)) throw invalid('has a refresh_token with control characters, or one too long');
  return {
    accessToken: r.access_token,
    refreshToken: r.refresh_token,
    expiresAt: sentAt + Math.min(expiresIn, MAX_EXPIRES_IN_SECONDS) * 1000,
    scopes: r.scope === undefined ? [...requestedScopes] : splitScopeString(r.scope),
  };
}

// A number of seconds, also as a numeric string ("3600", as some servers send it); absent means the default.
function readExpiresIn(value: unknown): number | undefined {
  if (value === undefined) return DEFAULT_EXPIRES_IN_SECONDS;
  const seconds = typeof value === 'string' && /^\d{1,12}$/.test(value.trim()) ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** `text` parsed as JSON, or `undefined` when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The parser's message quotes the text, which may hold a token: it is not kept.
    return undefined;
  }
}

function invalid(what: string): CelonisAuthError {
  return new CelonisAuthError('invalid_token_response', `The token response ${what}`);
}
