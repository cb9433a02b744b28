import type { ResolvedConfig } from '../config/resolveConfig.js';
import type { CelonisAuthDeps } from '../platform/celonisAuthDeps.js';
import { bearerChallenge } from '../protocol/bearerChallenge.js';
import { crossOriginPage, unreachable } from './crossOriginFailure.js';

/** `fetch` with the access token attached for the team's origins. */
export type AuthFetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * Creates `auth.fetch`: relative URLs resolve against `apiBaseUrl` when set (a same-origin API
 * proxy), else the team URL; `Authorization: Bearer` is added only for the team URL, the
 * configured `apiOrigins` and URLs under `apiBaseUrl`, never for anyone else. A 401 `invalid_token`
 * renews the token once and retries once; a 403 is returned to the caller (see
 * `insufficientScopeError`). A token-bearing call to another origin than the page's that gets no
 * answer rejects with `api_unreachable` (what a CORS refusal looks like from script).
 */
export function createAuthFetch(
  config: ResolvedConfig,
  deps: Pick<CelonisAuthDeps, 'fetch' | 'currentUrl'>,
  getAccessToken: () => Promise<string>,
  renewRejected: (rejected: string) => Promise<string>,
): AuthFetch {
  // Called unbound: a `window.fetch` passed in deps throws "Illegal invocation" when called as deps.fetch().
  const { fetch: fetchFn, currentUrl } = deps;
  const send = async (request: Request): Promise<Response> => {
    try {
      return await fetchFn(request);
    } catch (error) {
      const page = request.signal.aborted ? undefined : crossOriginPage(request.url, currentUrl());
      throw page === undefined ? error : unreachable('api_unreachable', request.url, page, error);
    }
  };
  return async function authFetch(input, init) {
    const request = new Request(typeof input === 'string' ? resolveUrl(config, input) : input, init);
    if (!carriesToken(config, request.url)) return fetchFn(request);
    const retry = request.clone();
    const token = await getAccessToken();
    const response = await send(withToken(request, token));
    if (response.status !== 401 || bearerChallenge(response).error !== 'invalid_token') return response;
    const renewed = await renewRejected(token);
    return send(withToken(retry, renewed));
  };
}

// A path goes under the API proxy (appended, so its own path is kept), else the team; anything absolute stays.
function resolveUrl(config: ResolvedConfig, input: string): URL {
  if (config.apiBaseUrl === undefined || /^[a-z][a-z\d+.-]*:|^\/\//i.test(input)) return new URL(input, config.teamUrl);
  return new URL(`${config.apiBaseUrl}${input.startsWith('/') ? '' : '/'}${input}`);
}

// Judged on the parsed URL, so a `..` that climbs out of the proxy's path leaves the token behind.
function carriesToken(config: ResolvedConfig, url: string): boolean {
  if (config.tokenOrigins.includes(new URL(url).origin)) return true;
  return config.apiBaseUrl !== undefined && url.startsWith(`${config.apiBaseUrl}/`);
}

function withToken(request: Request, token: string): Request {
  const headers = new Headers(request.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}
