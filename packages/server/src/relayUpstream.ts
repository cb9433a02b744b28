import { isCelonisAuthError, readOAuthErrorBody, readTokenAnswer } from '@celonis-auth/core/protocol';
import { corsHeaders } from './relayCors.js';
import { oauthErrorResponse } from './relayErrorResponse.js';
import { containsSecret, jsonContainsSecret, redactSecret, secretForms } from './secretRedaction.js';
import type { FetchFunction, ServerLogger } from './serverDeps.js';
import { sendTokenRequest, tokenAnswer, type ClientAuthentication, type TokenBodyEncoding, type TokenHttpResponse } from './tokenRequest.js';

const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/** What the relay needs to forward a grant upstream. */
export interface UpstreamSettings {
  tokenEndpoint: string;
  clientId: string;
  authentication: ClientAuthentication;
  bodyEncoding: TokenBodyEncoding;
  timeoutMs: number;
  fetch: FetchFunction;
  logger: ServerLogger;
}

/**
 * Sends a browser's grant upstream with the client credentials and turns the answer into the
 * browser's: the upstream status, JSON body and `Retry-After` unchanged, with `Cache-Control: no-store`.
 * A 2xx is first read with the protocol's `readTokenAnswer` (JSON by `Content-Type` and body, a
 * valid token response; a missing `expires_in` is fine, the browser core applies its default).
 * Answers as 502 `server_error`, with a warning, when upstream cannot be reached, answers more than
 * `MAX_TOKEN_RESPONSE_BYTES` (the rest is not read), answers a 2xx that is no token response, or
 * shows the client secret. The browser never gets a partial or unchecked body.
 */
export async function forwardGrant(settings: UpstreamSettings, clientSecret: string, params: Map<string, string>, origin: string | null): Promise<Response> {
  const forms = secretForms(settings.clientId, clientSecret);
  let upstream: TokenHttpResponse;
  try {
    upstream = await sendTokenRequest({ ...settings, params, clientSecret });
  } catch (error) {
    if (!isCelonisAuthError(error, 'network_error', 'invalid_token_response')) throw error;
    settings.logger.warn(`celonis-auth token relay: ${redactSecret(error.message, forms)}`);
    return error.code === 'network_error'
      ? oauthErrorResponse(502, 'server_error', 'the authorization server could not be reached', origin)
      : oauthErrorResponse(502, 'server_error', 'the authorization server answered unusably', origin);
  }
  // Defence in depth: whatever upstream says, the secret does not go to the browser, escaped or not.
  const passedHeaders = [upstream.headers.get('retry-after') ?? '', upstream.headers.get('content-type') ?? ''];
  if (containsSecret(upstream.body, forms) || jsonContainsSecret(upstream.body, forms) || passedHeaders.some((value) => containsSecret(value, forms))) {
    settings.logger.warn('celonis-auth token relay: the upstream response contained the client secret; replaced it with server_error');
    return oauthErrorResponse(502, 'server_error', 'the authorization server answered unusably', origin);
  }
  const unusable = unusableSuccess(upstream);
  if (unusable !== undefined) {
    settings.logger.warn(`celonis-auth token relay: ${unusable}; replaced it with server_error`);
    return oauthErrorResponse(502, 'server_error', 'the authorization server answered unusably', origin);
  }
  if (upstream.status === 401 && readOAuthErrorBody(upstream.body)?.error === 'invalid_client') {
    settings.logger.warn(
      "celonis-auth token relay: the token endpoint refused the relay's client credentials (invalid_client); check clientId and clientSecret",
    );
  }
  const headers: Record<string, string> = {
    ...corsHeaders(origin),
    'Content-Type': upstream.headers.get('content-type') ?? 'application/json',
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
  };
  const retryAfter = upstream.headers.get('retry-after');
  if (retryAfter !== null) headers['Retry-After'] = retryAfter;
  // WWW-Authenticate is not passed on: a Basic challenge would make a browser prompt for a password.
  return new Response(NULL_BODY_STATUSES.has(upstream.status) ? null : upstream.body, { status: upstream.status, headers });
}

// Why a 2xx is not a token response the browser could use (the protocol's message names the field, never a value), or undefined.
function unusableSuccess(upstream: TokenHttpResponse): string | undefined {
  if (upstream.status < 200 || upstream.status > 299) return undefined;
  try {
    readTokenAnswer(tokenAnswer(upstream), [], Date.now());
    return undefined;
  } catch (error) {
    if (!isCelonisAuthError(error)) throw error;
    return `${error.message} (HTTP ${upstream.status})`;
  }
}
