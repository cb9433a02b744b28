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

// RFC 6750 §2.1 b64token and the other visible ASCII characters: the token must fit a header value.
const HEADER_SAFE = /^[\x21-\x7E]+$/;

/**
 * Validates a successful token response body (RFC 6749 §5.1): JSON with `access_token` a
 * non-empty header-safe string, `token_type` Bearer in any case, `expires_in` a non-negative
 * number (clamped to {@link MAX_EXPIRES_IN_SECONDS}), `scope` and `refresh_token` strings when present.
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
  if (!HEADER_SAFE.test(r.access_token)) throw invalid('has an access_token an Authorization header cannot carry');
  if (typeof r.token_type !== 'string' || r.token_type.toLowerCase() !== 'bearer') throw invalid('has a token_type other than Bearer');
  if (typeof r.expires_in !== 'number' || !Number.isFinite(r.expires_in) || r.expires_in < 0) throw invalid('has no expires_in as a non-negative number');
  if (r.scope !== undefined && typeof r.scope !== 'string') throw invalid('has a scope that is not a string');
  if (r.refresh_token !== undefined && (typeof r.refresh_token !== 'string' || r.refresh_token === ''))
    throw invalid('has a refresh_token that is not a string');
  return {
    accessToken: r.access_token,
    refreshToken: r.refresh_token,
    expiresAt: sentAt + Math.min(r.expires_in, MAX_EXPIRES_IN_SECONDS) * 1000,
    scopes: r.scope === undefined ? [...requestedScopes] : splitScopeString(r.scope),
  };
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
