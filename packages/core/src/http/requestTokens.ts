import type { ResolvedConfig } from '../config/resolveConfig.js';
import type { CelonisAuthDeps } from '../platform/celonisAuthDeps.js';
import { CelonisAuthError, isCelonisAuthError } from '../protocol/celonisAuthError.js';
import { readBodyWithLimit } from '../protocol/readBodyWithLimit.js';
import { readTokenAnswer } from '../protocol/readTokenAnswer.js';
import type { TokenSet } from '../protocol/readTokenResponse.js';
import { tokenRequestInit } from '../protocol/tokenRequestInit.js';
import { crossOriginPage, unreachable } from './crossOriginFailure.js';

/** How long a token request may take before it counts as a network failure. */
export const TOKEN_REQUEST_TIMEOUT_MS = 30_000;

/** A token request: the grant's parameters, and the scopes to assume when the answer names none. */
export interface TokenRequest {
  params: Record<string, string>;
  requestedScopes: readonly string[];
  signal?: AbortSignal;
}

/**
 * Posts a token request (urlencoded, as browsers and the Celonis page send it) through the injected
 * fetch, adding client authentication when a secret is configured, and turns every outcome into a
 * {@link TokenSet} or a coded {@link CelonisAuthError}. Tokens and secrets never enter error messages.
 * A page whose request to a token endpoint on another origin gets no answer sees `token_endpoint_unreachable`.
 */
export async function requestTokens(
  config: ResolvedConfig,
  deps: Pick<CelonisAuthDeps, 'fetch' | 'now' | 'timers' | 'currentUrl'>,
  request: TokenRequest,
): Promise<TokenSet> {
  const init = tokenRequestInit({
    params: Object.entries(request.params),
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authentication: config.clientAuthentication,
  });
  // A request that never answers (a laptop that slept mid-request) would hold the refresh lock of every tab.
  const timeout = new AbortController();
  const timer = deps.timers.setTimeout(() => timeout.abort(), TOKEN_REQUEST_TIMEOUT_MS);
  const cancel = () => timeout.abort();
  request.signal?.addEventListener('abort', cancel);
  let response: Response;
  let body: string;
  // expires_in counts from when the server answered; the send time is the safe side of that.
  const sentAt = deps.now();
  try {
    // redirect: 'error': the token endpoint never redirects, and a redirect would re-send codes, refresh tokens or secrets.
    response = await deps.fetch(config.tokenEndpoint, { ...init, signal: timeout.signal, credentials: 'omit', cache: 'no-store', redirect: 'error' });
    body = await readBodyWithLimit(response);
  } catch (cause) {
    if (isCelonisAuthError(cause)) throw cause;
    if (request.signal?.aborted) throw new CelonisAuthError('aborted', 'The token request was cancelled', { cause });
    if (timeout.signal.aborted)
      throw new CelonisAuthError('network_error', `The token endpoint did not answer within ${TOKEN_REQUEST_TIMEOUT_MS / 1000} s`, { cause });
    const page = crossOriginPage(config.tokenEndpoint, deps.currentUrl());
    if (page !== undefined) throw unreachable('token_endpoint_unreachable', config.tokenEndpoint, page, cause);
    throw new CelonisAuthError('network_error', 'The token endpoint could not be reached', { cause });
  } finally {
    deps.timers.clearTimeout(timer);
    request.signal?.removeEventListener('abort', cancel);
  }
  return readTokenAnswer(
    { status: response.status, contentType: response.headers.get('Content-Type'), body, retryAfter: response.headers.get('Retry-After') },
    request.requestedScopes,
    sentAt,
  );
}
