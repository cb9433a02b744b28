import type { CelonisAuthDeps } from '../platform/celonisAuthDeps.js';
import { CelonisAuthError } from '../protocol/celonisAuthError.js';
import { parseJson } from '../protocol/readTokenResponse.js';
import { authenticatedState, signedOutState, type AuthState } from '../session/authState.js';

/** The header every state-changing or proxied request to the backend-for-frontend carries: a cross-site form or link cannot send it. */
export const BFF_HEADER = 'X-Celonis-Auth';

const SESSION_TIMEOUT_MS = 15_000;

/**
 * Asks the server for the session (`GET {basePath}/session`) and turns the answer into an
 * {@link AuthState}; the answer never holds a token. Anything but a well-formed answer rejects with
 * a coded error (`network_error`, `server_unavailable`, `invalid_token_response`), and the caller keeps its state.
 */
export async function readBffSession(basePath: string, deps: Pick<CelonisAuthDeps, 'fetch' | 'timers'>): Promise<AuthState> {
  const timeout = new AbortController();
  const timer = deps.timers.setTimeout(() => timeout.abort(), SESSION_TIMEOUT_MS);
  let response: Response;
  let body: string;
  try {
    const fetchFn = deps.fetch;
    response = await fetchFn(`${basePath}/session`, {
      headers: { [BFF_HEADER]: '1', Accept: 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
      signal: timeout.signal,
    });
    body = await response.text();
  } catch (cause) {
    throw new CelonisAuthError('network_error', `The session could not be read from ${basePath}/session`, { cause });
  } finally {
    deps.timers.clearTimeout(timer);
  }
  if (response.status === 429 || response.status >= 500) {
    const retry = Number(response.headers.get('Retry-After'));
    throw new CelonisAuthError('server_unavailable', `The server answered ${response.status} for the session`, {
      status: response.status,
      ...(Number.isFinite(retry) && retry >= 0 ? { retryAfterSeconds: retry } : {}),
    });
  }
  const answer = response.ok ? parseJson(body) : undefined;
  const state = answer === undefined ? undefined : sessionState(answer);
  if (state === undefined)
    throw new CelonisAuthError('invalid_token_response', `${basePath}/session gave no session answer (HTTP ${response.status})`, { status: response.status });
  return state;
}

// { status: 'authenticated' | 'signedOut', scopes: string[], expiresAt: number | null }, and nothing looser.
function sessionState(answer: unknown): AuthState | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const { status, scopes, expiresAt } = answer as Record<string, unknown>;
  if (status === 'signedOut') return signedOutState();
  if (status !== 'authenticated' || !Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) return undefined;
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return undefined;
  return authenticatedState(null, expiresAt, scopes);
}
