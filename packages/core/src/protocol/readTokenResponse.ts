import { CelonisAuthError } from './celonisAuthError.js';
import { splitScopeString } from './scopeTokens.js';

/** A validated token endpoint answer. */
export interface TokenSet {
  accessToken: string;
  /** Absent when the server did not rotate (RFC 6749 §6): keep the one you have. */
  refreshToken: string | undefined;
  /** ms since the epoch. */
  expiresAt: number;
  /** What was granted; the requested scopes when the server did not say (RFC 6749 §5.1). */
  scopes: string[];
}

// RFC 6750 §2.1 b64token and the other visible ASCII characters.
const HEADER_SAFE = /^[\x21-\x7E]+$/;

// A year: longer lifetimes are clamped so expiry arithmetic and timers stay in range.
const MAX_EXPIRES_IN = 365 * 24 * 3600;

/**
 * Validates a token response (RFC 6749 §5.1): `access_token` a non-empty string, `token_type`
 * Bearer in any case, `expires_in` a non-negative number, `scope` and `refresh_token` strings when present.
 *
 * @throws {CelonisAuthError} `invalid_token_response`, naming the field (never its value).
 */
export function readTokenResponse(body: unknown, requestedScopes: readonly string[], now: number): TokenSet {
  const invalid = (what: string) => new CelonisAuthError('invalid_token_response', `The token response is invalid: ${what}`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('it is not a JSON object');
  const r = body as Record<string, unknown>;
  if (typeof r.access_token !== 'string' || r.access_token === '') throw invalid('access_token is missing');
  // It goes into an Authorization header: line breaks or other controls would break every API call.
  if (!HEADER_SAFE.test(r.access_token)) throw invalid('access_token has characters an Authorization header cannot carry');
  if (typeof r.token_type !== 'string' || r.token_type.toLowerCase() !== 'bearer') throw invalid('token_type is not Bearer');
  if (typeof r.expires_in !== 'number' || !Number.isFinite(r.expires_in) || r.expires_in < 0) throw invalid('expires_in is not a non-negative number');
  if (r.scope !== undefined && typeof r.scope !== 'string') throw invalid('scope is not a string');
  if (r.refresh_token !== undefined && (typeof r.refresh_token !== 'string' || r.refresh_token === '')) throw invalid('refresh_token is not a string');
  return {
    accessToken: r.access_token,
    refreshToken: r.refresh_token as string | undefined,
    expiresAt: now + Math.min(r.expires_in, MAX_EXPIRES_IN) * 1000,
    scopes: r.scope === undefined ? [...requestedScopes] : splitScopeString(r.scope as string),
  };
}
