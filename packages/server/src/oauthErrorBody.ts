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
