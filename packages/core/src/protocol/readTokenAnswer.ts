import { CelonisAuthError } from './celonisAuthError.js';
import { parseJson, readTokenResponse, type TokenSet } from './readTokenResponse.js';
import { tokenEndpointError } from './tokenEndpointError.js';

/** A token endpoint's answer as read from the wire (the body already read, within a size cap). */
export interface TokenAnswer {
  status: number;
  /** The `Content-Type` header. */
  contentType: string | null;
  body: string;
  /** The `Retry-After` header. */
  retryAfter: string | null;
}

/** Whether a `Content-Type` is JSON (`application/json`, or `application/<x>+json`), whatever its parameters. */
export function isJsonContentType(contentType: string | null): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type);
}

/**
 * The one reading of a token endpoint answer, in browser and server alike: a 2xx must be JSON
 * (`Content-Type` and body) and a valid token response; anything else is mapped by
 * {@link tokenEndpointError}.
 *
 * @param redact applied to server-sent text before it enters an error.
 * @throws {CelonisAuthError} `invalid_token_response`, `token_error`, `server_unavailable`.
 */
export function readTokenAnswer(answer: TokenAnswer, requestedScopes: readonly string[], sentAt: number, redact?: (text: string) => string): TokenSet {
  if (answer.status < 200 || answer.status > 299) throw tokenEndpointError(answer, sentAt, redact);
  // A text/plain body that happens to parse is still not a token response (RFC 6749 §5.1).
  const json = isJsonContentType(answer.contentType) ? parseJson(answer.body) : undefined;
  if (json === undefined) throw new CelonisAuthError('invalid_token_response', 'The token response is not JSON', { status: answer.status });
  return readTokenResponse(json, requestedScopes, sentAt);
}
