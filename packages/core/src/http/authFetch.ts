import type { ResolvedConfig } from '../config/resolveConfig.js';
import { bearerChallenge } from '../protocol/bearerChallenge.js';

/** `fetch` with the access token attached for the team's origins. */
export type AuthFetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * Creates `auth.fetch`: relative URLs resolve against the team URL; `Authorization: Bearer` is
 * added only for the team URL and the configured `apiOrigins`, never for anyone else. A 401
 * `invalid_token` renews the token once and retries once; a 403 is returned to the caller
 * (see `insufficientScopeError`).
 */
export function createAuthFetch(
  config: ResolvedConfig,
  fetchFn: typeof fetch,
  getAccessToken: () => Promise<string>,
  renewRejected: (rejected: string) => Promise<string>,
): AuthFetch {
  return async function authFetch(input, init) {
    const request = new Request(typeof input === 'string' ? new URL(input, config.teamUrl) : input, init);
    if (!config.tokenOrigins.includes(new URL(request.url).origin)) return fetchFn(request);
    const retry = request.clone();
    const token = await getAccessToken();
    const response = await fetchFn(withToken(request, token));
    if (response.status !== 401 || bearerChallenge(response).error !== 'invalid_token') return response;
    const renewed = await renewRejected(token);
    return fetchFn(withToken(retry, renewed));
  };
}

function withToken(request: Request, token: string): Request {
  const headers = new Headers(request.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}
