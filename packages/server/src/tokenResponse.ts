import { readTokenResponse as readProtocolTokenResponse, type TokenSet } from '@celonis-auth/core/protocol';

// The clamp of `expires_in` (one year) and its default when absent (899 s) are the protocol's, the same in browser and server.
export { DEFAULT_EXPIRES_IN_SECONDS, MAX_EXPIRES_IN_SECONDS } from '@celonis-auth/core/protocol';

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
 * Reads a successful token response body (RFC 6749 §5.1) with the validation of
 * `@celonis-auth/core/protocol`: `access_token` a non-empty header-safe string of at most
 * `MAX_TOKEN_LENGTH` (8192) characters, `token_type` `Bearer` (any case), `expires_in` a
 * non-negative number or numeric string such as `"3600"` (clamped to {@link MAX_EXPIRES_IN_SECONDS};
 * when absent, which RFC 6749 allows, {@link DEFAULT_EXPIRES_IN_SECONDS}), `scope` an optional
 * space-delimited string. The result is frozen. The token source reads whole answers (status,
 * `Content-Type`: a 2xx must be JSON) with the protocol's `readTokenAnswer`, which ends here.
 *
 * @example
 * ```ts
 * readTokenResponse('{"access_token":"eyJ...","token_type":"Bearer","expires_in":899}', ['audit.log:read'], Date.now())
 * ```
 * @throws {CelonisAuthError} `invalid_token_response` naming the field at fault (never the token).
 */
export function readTokenResponse(body: string, requestedScopes: readonly string[], sentAt: number): AccessToken {
  return toAccessToken(readProtocolTokenResponse(body, requestedScopes, sentAt));
}

/** The frozen {@link AccessToken} of a validated {@link TokenSet} (a client-credentials grant has no refresh token to keep). */
export function toAccessToken(tokens: TokenSet): AccessToken {
  return Object.freeze({
    accessToken: tokens.accessToken,
    expiresAt: tokens.expiresAt,
    scopes: Object.freeze([...tokens.scopes]),
    tokenType: 'Bearer' as const,
  });
}
