import {
  CLIENT_AUTHENTICATIONS,
  CodedTypeError,
  TOKEN_BODY_ENCODINGS,
  type ArgumentErrorCode,
  type ClientAuthentication,
  type TokenBodyEncoding,
} from '@celonis-auth/core/protocol';

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Checks a `clientId` option; with `client_secret_basic` it must not contain `:`, because the
 * Celonis encoding does not escape it and the server splits on the first colon.
 *
 * @throws {CodedTypeError} `invalid_client_id`, saying what to fix.
 */
export function checkClientId(value: unknown, authentication: ClientAuthentication, where: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new CodedTypeError(`${where}: clientId is required: the OAuth client's id as a non-empty string`, 'invalid_client_id');
  if (authentication === 'client_secret_basic' && value.includes(':')) {
    throw new CodedTypeError(
      `${where}: clientId contains ":", which client_secret_basic cannot carry; use authentication: 'client_secret_post'`,
      'invalid_client_id',
    );
  }
  return value;
}

/**
 * Checks an `authentication` option; default `'client_secret_basic'`.
 *
 * @throws {CodedTypeError} `invalid_client_authentication` when `value` is given and not a {@link ClientAuthentication}.
 */
export function checkAuthentication(value: unknown, where: string): ClientAuthentication {
  return oneOf(value, CLIENT_AUTHENTICATIONS, 'client_secret_basic', 'authentication', where, 'invalid_client_authentication');
}

/**
 * Checks a `bodyEncoding` option; default `'urlencoded'`.
 *
 * @throws {CodedTypeError} `invalid_body_encoding` when `value` is given and not a {@link TokenBodyEncoding}.
 */
export function checkBodyEncoding(value: unknown, where: string): TokenBodyEncoding {
  return oneOf(value, TOKEN_BODY_ENCODINGS, 'urlencoded', 'bodyEncoding', where, 'invalid_body_encoding');
}

/**
 * Checks a `scopes` option: an array of distinct RFC 6749 §3.3 scope tokens (no spaces inside one).
 *
 * @throws {CodedTypeError} `invalid_scopes`, naming the offending entry.
 */
export function checkScopes(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new CodedTypeError(`${where}: scopes must be an array of scope strings, e.g. ['intelligence.knowledge-models:read']`, 'invalid_scopes');
  const scopes: string[] = [];
  for (const [index, scope] of value.entries()) {
    if (typeof scope !== 'string' || !SCOPE_TOKEN.test(scope)) {
      throw new CodedTypeError(
        `${where}: scopes[${index}] ${JSON.stringify(scope)} is not a scope token (RFC 6749 §3.3: no spaces, quotes or backslashes; pass each scope as its own entry)`,
        'invalid_scopes',
      );
    }
    if (scopes.includes(scope)) throw new CodedTypeError(`${where}: scopes[${index}] "${scope}" is listed twice`, 'invalid_scopes');
    scopes.push(scope);
  }
  return scopes;
}

/**
 * Checks an optional whole-number option, returning `fallback` when it is absent.
 *
 * @param code the code of the error, `invalid_option` unless the option has its own.
 * @throws {CodedTypeError} with `code` when `value` is given and not a whole number from `min` to `max`.
 */
export function checkInteger(
  value: unknown,
  fallback: number,
  min: number,
  max: number,
  name: string,
  where: string,
  code: ArgumentErrorCode = 'invalid_option',
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new CodedTypeError(`${where}: ${name} must be a whole number from ${min} to ${max}`, code);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, name: string, where: string, code: ArgumentErrorCode): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new CodedTypeError(`${where}: ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`, code);
  }
  return value as T;
}
