import type { ResolvedConfig } from '../config/resolveConfig.js';
import type { CelonisAuthDeps } from '../platform/celonisAuthDeps.js';
import { CelonisAuthError } from '../protocol/celonisAuthError.js';
import { readTokenResponse, type TokenSet } from '../protocol/readTokenResponse.js';

/** How long a token request may take before it counts as a network failure. */
export const TOKEN_REQUEST_TIMEOUT_MS = 30_000;

/** A token request: the grant's parameters, and the scopes to assume when the answer names none. */
export interface TokenRequest {
  params: Record<string, string>;
  requestedScopes: readonly string[];
  signal?: AbortSignal;
}

/**
 * Posts a token request (urlencoded, as browsers and the Celonis page send it), adding client
 * authentication when a secret is configured, and turns every outcome into a {@link TokenSet} or
 * a coded {@link CelonisAuthError}. Tokens and secrets never enter error messages.
 */
export async function requestTokens(config: ResolvedConfig, deps: Pick<CelonisAuthDeps, 'fetch' | 'now' | 'timers'>, request: TokenRequest): Promise<TokenSet> {
  const body = new URLSearchParams({ ...request.params, client_id: config.clientId });
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
  if (config.clientSecret !== undefined) {
    if (config.clientAuthentication === 'client_secret_post') body.set('client_secret', config.clientSecret);
    else {
      body.delete('client_id');
      // As the Celonis page says: base64 of client_id:client_secret, not form-encoded first.
      headers.Authorization = `Basic ${base64(`${config.clientId}:${config.clientSecret}`)}`;
    }
  }
  // A request that never answers (a laptop that slept mid-request) would hold the refresh lock of every tab.
  const timeout = new AbortController();
  const timer = deps.timers.setTimeout(() => timeout.abort(), TOKEN_REQUEST_TIMEOUT_MS);
  const cancel = () => timeout.abort();
  request.signal?.addEventListener('abort', cancel);
  let response: Response;
  let json: unknown;
  try {
    // redirect: 'error': the token endpoint never redirects, and a redirect would re-send codes, refresh tokens or secrets.
    response = await deps.fetch(config.tokenEndpoint, { method: 'POST', headers, body, signal: timeout.signal, credentials: 'omit', cache: 'no-store', redirect: 'error' });
    json = await response.json().catch(() => undefined as unknown);
  } catch (cause) {
    if (request.signal?.aborted) throw new CelonisAuthError('aborted', 'The token request was cancelled', { cause });
    if (timeout.signal.aborted) throw new CelonisAuthError('network_error', `The token endpoint did not answer within ${TOKEN_REQUEST_TIMEOUT_MS / 1000} s`, { cause });
    throw new CelonisAuthError('network_error', 'The token endpoint could not be reached', { cause });
  } finally {
    deps.timers.clearTimeout(timer);
    request.signal?.removeEventListener('abort', cancel);
  }
  const now = deps.now;
  if (response.ok) {
    if (json === undefined) throw new CelonisAuthError('invalid_token_response', 'The token response is not JSON', { status: response.status });
    return readTokenResponse(json, request.requestedScopes, now());
  }
  const error = json as { error?: unknown; error_description?: unknown } | undefined;
  const details = {
    status: response.status,
    ...(typeof error?.error === 'string' ? { oauthError: error.error } : {}),
    ...(typeof error?.error_description === 'string' ? { oauthErrorDescription: error.error_description } : {}),
  };
  if (response.status >= 500 || response.status === 429) {
    const retryAfterSeconds = parseRetryAfter(response.headers.get('Retry-After'), now());
    throw new CelonisAuthError('server_unavailable', `The token endpoint is unavailable (HTTP ${response.status})`, {
      ...details,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }
  if (details.oauthError !== undefined) {
    throw new CelonisAuthError('token_error', `The token endpoint refused the request: ${details.oauthError}`, details);
  }
  throw new CelonisAuthError('invalid_token_response', `The token endpoint answered HTTP ${response.status} without an OAuth error`, details);
}

/**
 * Seconds to wait from a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP date;
 * `undefined` when absent or unreadable (a bare number like "2026" is no date).
 *
 * @example
 * ```ts
 * parseRetryAfter('120', Date.now()) // 120
 * ```
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (!/[a-z]/i.test(text) || Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}

function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}
