import { CelonisAuthError } from '@celonis-auth/core';
import { basicCredentials } from './basicCredentials.js';
import { redactCause, secretForms } from './secretRedaction.js';
import type { FetchFunction } from './serverDeps.js';

/** How the client authenticates at the token endpoint (the Celonis page's two methods). */
export type ClientAuthentication = 'client_secret_basic' | 'client_secret_post';

/** How the token request body is encoded: the page shows both. */
export type TokenBodyEncoding = 'urlencoded' | 'multipart';

/** The allowed {@link ClientAuthentication} values. */
export const CLIENT_AUTHENTICATIONS: readonly ClientAuthentication[] = ['client_secret_basic', 'client_secret_post'];

/** The allowed {@link TokenBodyEncoding} values. */
export const TOKEN_BODY_ENCODINGS: readonly TokenBodyEncoding[] = ['urlencoded', 'multipart'];

/** One token request: the grant's parameters plus how to authenticate and encode them. */
export interface TokenRequest {
  tokenEndpoint: string;
  /** Grant parameters without client credentials, e.g. `{ grant_type: 'client_credentials', scope }`. */
  params: Iterable<readonly [string, string]>;
  clientId: string;
  clientSecret: string;
  authentication: ClientAuthentication;
  bodyEncoding: TokenBodyEncoding;
  fetch: FetchFunction;
  /** Abort when the endpoint has not answered (headers and body) within this time. */
  timeoutMs: number;
}

/** A token endpoint's answer, read in full. */
export interface TokenHttpResponse {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * The `fetch` arguments of a token request: `client_secret_basic` puts the credentials in the
 * `Authorization` header, `client_secret_post` puts `client_id` and `client_secret` in the body;
 * the body is `application/x-www-form-urlencoded` or `multipart/form-data` (RFC 6749 §2.3.1, §4.4).
 */
export function tokenRequestInit(request: Omit<TokenRequest, 'fetch' | 'timeoutMs' | 'tokenEndpoint'>): RequestInit {
  const fields: [string, string][] = [...request.params].map(([name, value]) => [name, value]);
  const headers = new Headers({ Accept: 'application/json' });
  if (request.authentication === 'client_secret_basic') {
    headers.set('Authorization', `Basic ${basicCredentials(request.clientId, request.clientSecret)}`);
  } else {
    fields.push(['client_id', request.clientId], ['client_secret', request.clientSecret]);
  }
  if (request.bodyEncoding === 'multipart') {
    const form = new FormData();
    for (const [name, value] of fields) form.append(name, value);
    // fetch sets multipart/form-data with its boundary itself.
    return { method: 'POST', headers, body: form };
  }
  headers.set('Content-Type', 'application/x-www-form-urlencoded;charset=UTF-8');
  return { method: 'POST', headers, body: new URLSearchParams(fields).toString() };
}

/**
 * Sends a token request and reads the answer in full. Any HTTP status is returned, not thrown.
 *
 * @throws {CelonisAuthError} `network_error` when no complete answer arrived (its `cause` is kept,
 *   redacted if it shows the secret).
 */
export async function sendTokenRequest(request: TokenRequest): Promise<TokenHttpResponse> {
  const init = tokenRequestInit(request);
  try {
    const response = await request.fetch(request.tokenEndpoint, { ...init, signal: AbortSignal.timeout(request.timeoutMs), redirect: 'error' });
    return { status: response.status, headers: response.headers, body: await response.text() };
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    const message = timedOut
      ? `the token endpoint ${request.tokenEndpoint} did not answer within ${request.timeoutMs} ms`
      : `the token endpoint ${request.tokenEndpoint} could not be reached`;
    throw new CelonisAuthError('network_error', message, { cause: redactCause(error, secretForms(request.clientId, request.clientSecret)) });
  }
}
