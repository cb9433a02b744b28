import {
  CelonisAuthError,
  isCelonisAuthError,
  readBodyWithLimit,
  tokenRequestInit,
  type ClientAuthentication,
  type TokenAnswer,
  type TokenBodyEncoding,
} from '@celonis-auth/core/protocol';
import { redactCause, secretForms } from './secretRedaction.js';
import type { FetchFunction } from './serverDeps.js';

// How a token request is authenticated and encoded, and how much of its answer is read, is the protocol's, shared with the browser core.
export { CLIENT_AUTHENTICATIONS, MAX_TOKEN_RESPONSE_BYTES, TOKEN_BODY_ENCODINGS } from '@celonis-auth/core/protocol';
export type { ClientAuthentication, TokenBodyEncoding } from '@celonis-auth/core/protocol';

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

/** A token endpoint's answer, its body read in full (at most `MAX_TOKEN_RESPONSE_BYTES`). */
export interface TokenHttpResponse {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * Sends a token request, built by the protocol's `tokenRequestInit`, and reads the answer with
 * the protocol's `readBodyWithLimit`: at most `MAX_TOKEN_RESPONSE_BYTES` (64 KiB), whatever the
 * status; past that the rest is not read and the connection is cancelled. Any HTTP status is
 * returned, not thrown.
 *
 * @throws {CelonisAuthError} `invalid_token_response` (with `status`) when the answer is larger than
 *   the cap; `network_error` when no complete answer arrived (its `cause` is kept, redacted if it
 *   shows the secret).
 */
export async function sendTokenRequest(request: TokenRequest): Promise<TokenHttpResponse> {
  const { params, clientId, clientSecret, authentication, bodyEncoding } = request;
  const init = tokenRequestInit({ params, clientId, clientSecret, authentication, bodyEncoding });
  try {
    const response = await request.fetch(request.tokenEndpoint, { ...init, signal: AbortSignal.timeout(request.timeoutMs), redirect: 'error' });
    // A hostile or broken endpoint could stream without end: only a token response's worth is read.
    return { status: response.status, headers: response.headers, body: await readBodyWithLimit(response) };
  } catch (error) {
    if (isCelonisAuthError(error, 'invalid_token_response')) throw error;
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    const message = timedOut
      ? `the token endpoint ${request.tokenEndpoint} did not answer within ${request.timeoutMs} ms`
      : `the token endpoint ${request.tokenEndpoint} could not be reached`;
    throw new CelonisAuthError('network_error', message, { cause: redactCause(error, secretForms(request.clientId, request.clientSecret)) });
  }
}

/** The {@link TokenHttpResponse} as the protocol's `readTokenAnswer` takes it. */
export function tokenAnswer(response: TokenHttpResponse): TokenAnswer {
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: response.body,
    retryAfter: response.headers.get('retry-after'),
  };
}
