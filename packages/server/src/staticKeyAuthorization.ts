import { CodedTypeError } from '@celonis-auth/core/protocol';
import type { ServerLogger } from './serverDeps.js';

/** Options of {@link staticKeyAuthorization}. */
export interface StaticKeyOptions {
  /** `'api-key'` for a user API key (`Bearer`), `'app-key'` for an application key (`AppKey`). */
  kind: 'api-key' | 'app-key';
  /** The key as copied from the Celonis Platform. */
  key: string;
  /** Where the one-time deprecation warning goes. Default `console`. */
  logger?: ServerLogger;
}

const SCHEMES = { 'api-key': 'Bearer', 'app-key': 'AppKey' } as const;
// Visible ASCII only: whitespace or control characters would split or corrupt the header.
const KEY = /^[\x21-\x7E]+$/;

/** The deprecation notice; it never includes the key. */
export const STATIC_KEY_DEPRECATION =
  'celonis-auth: Celonis API keys and application keys are to be discontinued (sunsetting milestones will be announced). ' +
  'Migrate to an OAuth 2.0 client with scopes (client credentials for machine-to-machine): ' +
  'https://developer.celonis.com/celonis-apis/getting-started/authentication/';

let warned = false;

/**
 * The `Authorization` header value for a static Celonis key: `Bearer <key>` for a user API key,
 * `AppKey <key>` for an application key. Warns once per process that static keys are being
 * retired; prefer `createClientCredentialsTokenSource`.
 *
 * @example
 * ```ts
 * fetch(url, { headers: { Authorization: staticKeyAuthorization({ kind: 'app-key', key: process.env.CELONIS_APP_KEY! }) } })
 * ```
 * @throws {CodedTypeError} `invalid_static_key` when `kind` is unknown, or `key` is empty or holds whitespace or control characters.
 */
export function staticKeyAuthorization(options: StaticKeyOptions): string {
  const kind = options?.kind;
  if (kind !== 'api-key' && kind !== 'app-key')
    throw new CodedTypeError("staticKeyAuthorization: kind must be 'api-key' (Bearer) or 'app-key' (AppKey)", 'invalid_static_key');
  const key: unknown = options.key;
  if (typeof key !== 'string' || key === '') throw new CodedTypeError('staticKeyAuthorization: key is required as a non-empty string', 'invalid_static_key');
  if (!KEY.test(key)) {
    throw new CodedTypeError(
      'staticKeyAuthorization: key must be printable ASCII without spaces, tabs, newlines or control characters (check for a trailing newline)',
      'invalid_static_key',
    );
  }
  if (!warned) {
    warned = true;
    (options.logger ?? console).warn(STATIC_KEY_DEPRECATION);
  }
  return `${SCHEMES[kind]} ${key}`;
}
