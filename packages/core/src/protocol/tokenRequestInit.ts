import { basicCredentials } from './basicCredentials.js';

/** How a confidential client authenticates at the token endpoint (the Celonis page's two methods). */
export type ClientAuthentication = 'client_secret_basic' | 'client_secret_post';

/** How a token request body is encoded: the Celonis page shows both. */
export type TokenBodyEncoding = 'urlencoded' | 'multipart';

/** The allowed {@link ClientAuthentication} values. */
export const CLIENT_AUTHENTICATIONS: readonly ClientAuthentication[] = ['client_secret_basic', 'client_secret_post'];

/** The allowed {@link TokenBodyEncoding} values. */
export const TOKEN_BODY_ENCODINGS: readonly TokenBodyEncoding[] = ['urlencoded', 'multipart'];

/** What a token request is made of, before it is put on the wire. */
export interface TokenRequestParts {
  /** The grant's parameters without client credentials, e.g. `[['grant_type', 'client_credentials']]`. */
  params: Iterable<readonly [string, string]>;
  clientId: string;
  /** Absent for a public client, which sends `client_id` in the body. */
  clientSecret?: string | undefined;
  /** Default `'client_secret_basic'`. */
  authentication?: ClientAuthentication;
  /** Default `'urlencoded'`. */
  bodyEncoding?: TokenBodyEncoding;
}

/**
 * The method, headers and body of a token request (RFC 6749 §2.3.1, §4.1.3, §4.4, §6):
 * `client_secret_basic` puts the credentials in `Authorization`, `client_secret_post` puts
 * `client_id` and `client_secret` in the body, a public client sends its `client_id` alone;
 * the body is `application/x-www-form-urlencoded` or `multipart/form-data`.
 *
 * @example
 * ```ts
 * fetch(tokenEndpoint, tokenRequestInit({ params: [['grant_type', 'client_credentials']], clientId, clientSecret }))
 * ```
 */
export function tokenRequestInit(parts: TokenRequestParts): { method: 'POST'; headers: Headers; body: string | FormData } {
  const fields: [string, string][] = [...parts.params].map(([name, value]) => [name, value]);
  const headers = new Headers({ Accept: 'application/json' });
  if (parts.clientSecret === undefined) fields.push(['client_id', parts.clientId]);
  else if (parts.authentication === 'client_secret_post') fields.push(['client_id', parts.clientId], ['client_secret', parts.clientSecret]);
  else headers.set('Authorization', `Basic ${basicCredentials(parts.clientId, parts.clientSecret)}`);
  if (parts.bodyEncoding === 'multipart') {
    const form = new FormData();
    for (const [name, value] of fields) form.append(name, value);
    // fetch sets multipart/form-data with its boundary itself.
    return { method: 'POST', headers, body: form };
  }
  headers.set('Content-Type', 'application/x-www-form-urlencoded');
  return { method: 'POST', headers, body: new URLSearchParams(fields).toString() };
}
