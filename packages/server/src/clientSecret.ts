import { CodedTypeError } from '@celonis-auth/core/protocol';

/**
 * A client secret, or a function that returns the current one. A function is called on every
 * token request, so a secret regenerated in Celonis ("Regenerate Secret") takes effect without a
 * restart, e.g. `() => readFile('/run/secrets/celonis', 'utf8').then((s) => s.trim())`.
 */
export type ClientSecretSource = string | (() => string | Promise<string>);

/**
 * Checks a {@link ClientSecretSource} option. Messages never repeat the value.
 *
 * @throws {CodedTypeError} `invalid_client_secret` when it is neither a non-empty string nor a function.
 */
export function checkClientSecretSource(value: unknown, where: string): ClientSecretSource {
  if (typeof value === 'function') return value as () => string | Promise<string>;
  if (typeof value !== 'string' || value === '') {
    throw new CodedTypeError(
      `${where}: clientSecret is required: the OAuth client's secret as a non-empty string, or a function returning it`,
      'invalid_client_secret',
    );
  }
  return value;
}

/**
 * The secret in force now: the string, or what the function returns.
 *
 * @throws {CodedTypeError} `invalid_client_secret` when the function returns something other than a non-empty string.
 */
export async function readClientSecret(source: ClientSecretSource): Promise<string> {
  if (typeof source === 'string') return source;
  const secret: unknown = await source();
  if (typeof secret !== 'string' || secret === '')
    throw new CodedTypeError('the clientSecret function must return a non-empty string', 'invalid_client_secret');
  return secret;
}
