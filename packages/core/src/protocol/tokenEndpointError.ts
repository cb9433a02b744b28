import { CelonisAuthError } from './celonisAuthError.js';
import { parseRetryAfter } from './parseRetryAfter.js';

/** An RFC 6749 §5.2 error response body. */
export interface OAuthErrorBody {
  error: string;
  error_description?: string;
}

// RFC 6749 §5.2: error = 1*( %x20-21 / %x23-5B / %x5D-7E )
const ERROR_CODE = /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/;
const MAX_DESCRIPTION_LENGTH = 1_000;

/**
 * Reads an RFC 6749 §5.2 error body (`{ "error": "...", "error_description": "..." }`), or
 * `undefined` when `body` is not one. Long descriptions are cut; they are plain text to show as text.
 *
 * @example
 * ```ts
 * readOAuthErrorBody('{"error":"invalid_client"}') // { error: 'invalid_client' }
 * ```
 */
export function readOAuthErrorBody(body: string): OAuthErrorBody | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const { error, error_description: description } = json as Record<string, unknown>;
  if (typeof error !== 'string' || !ERROR_CODE.test(error)) return undefined;
  return typeof description === 'string' ? { error, error_description: description.slice(0, MAX_DESCRIPTION_LENGTH) } : { error };
}

/** Whether a token endpoint status is worth another try later: 429 and any 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** A token endpoint's non-2xx answer, as read from the wire. */
export interface TokenErrorAnswer {
  status: number;
  body: string;
  /** The `Retry-After` header, if any. */
  retryAfter: string | null;
}

/**
 * Maps a token endpoint's error answer to its code, the same rule in browser and server:
 * - 429 or 5xx: `server_unavailable`, with `retryAfterSeconds` from `Retry-After`;
 * - an RFC 6749 §5.2 body: `token_error` with `oauthError` and `oauthErrorDescription`;
 * - anything else: `invalid_token_response`.
 *
 * @param redact applied to server-sent text before it enters the error (a server may quote a secret back).
 */
export function tokenEndpointError(answer: TokenErrorAnswer, now: number, redact: (text: string) => string = (text) => text): CelonisAuthError {
  const { status } = answer;
  const body = readOAuthErrorBody(answer.body);
  const details = {
    status,
    ...(body ? { oauthError: redact(body.error) } : {}),
    ...(body?.error_description === undefined ? {} : { oauthErrorDescription: redact(body.error_description) }),
  };
  if (isRetryableStatus(status)) {
    const retryAfterSeconds = parseRetryAfter(answer.retryAfter, now);
    return new CelonisAuthError('server_unavailable', `The token endpoint is unavailable (HTTP ${status})`, {
      ...details,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }
  if (details.oauthError !== undefined) return new CelonisAuthError('token_error', `The token endpoint refused the request: ${details.oauthError}`, details);
  return new CelonisAuthError('invalid_token_response', `The token endpoint answered HTTP ${status} without an OAuth error`, details);
}
