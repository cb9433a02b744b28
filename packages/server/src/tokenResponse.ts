import { CelonisAuthError } from '@celonis-auth/core';

/** A validated access token. */
export interface AccessToken {
  /** The access token, for `Authorization: Bearer <accessToken>`. */
  readonly accessToken: string;
  /** When it expires, ms since the epoch (the request's send time plus `expires_in`). */
  readonly expiresAt: number;
  /** The granted scopes: the response's `scope`, or the requested ones when it has none (RFC 6749 §5.1). */
  readonly scopes: readonly string[];
  /** Always `Bearer` (the only type Celonis issues and this package accepts). */
  readonly tokenType: 'Bearer';
}

/**
 * The longest `expires_in` taken at face value: one day. Larger values are clamped so a server's
 * mistake (or a huge number) cannot pin a token in a cache for years.
 */
export const MAX_EXPIRES_IN_SECONDS = 86_400;

// RFC 6750 §2.1 b64token plus the other visible characters: the token must fit a header value.
const HEADER_SAFE = /^[\x21-\x7E]+$/;

/**
 * Reads a successful token response (RFC 6749 §5.1): `access_token` a non-empty header-safe
 * string, `token_type` `Bearer` (any case), `expires_in` a non-negative finite number (clamped to
 * {@link MAX_EXPIRES_IN_SECONDS}), `scope` an optional space-delimited string.
 *
 * @example
 * ```ts
 * readTokenResponse('{"access_token":"eyJ...","token_type":"Bearer","expires_in":899}', ['audit.log:read'], Date.now())
 * ```
 * @throws {CelonisAuthError} `invalid_token_response` naming the field at fault (never the token).
 */
export function readTokenResponse(body: string, requestedScopes: readonly string[], sentAt: number): AccessToken {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw invalid('is not JSON', error);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid('is not a JSON object');
  const fields = json as Record<string, unknown>;
  const { access_token: accessToken, token_type: tokenType, expires_in: expiresIn, scope } = fields;
  if (typeof accessToken !== 'string' || accessToken === '') throw invalid('has no access_token');
  if (!HEADER_SAFE.test(accessToken)) throw invalid('has an access_token with characters that cannot go in an Authorization header');
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') throw invalid('has a token_type other than Bearer');
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn < 0) throw invalid('has no expires_in as a non-negative number of seconds');
  if (scope !== undefined && typeof scope !== 'string') throw invalid('has a scope that is not a string');
  const lifetime = Math.min(expiresIn, MAX_EXPIRES_IN_SECONDS);
  const scopes = scope === undefined ? [...requestedScopes] : scope.split(' ').filter((s) => s !== '');
  return Object.freeze({ accessToken, expiresAt: sentAt + lifetime * 1000, scopes: Object.freeze(scopes), tokenType: 'Bearer' as const });
}

function invalid(what: string, cause?: unknown): CelonisAuthError {
  // The JSON parser's message quotes the body, which may hold a token: keep only its kind.
  const details = cause instanceof Error ? { cause: new Error(cause.name) } : {};
  return new CelonisAuthError('invalid_token_response', `the token response ${what}`, details);
}
