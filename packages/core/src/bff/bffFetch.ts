import type { AuthFetch } from '../http/authFetch.js';
import type { CelonisAuthDeps } from '../platform/celonisAuthDeps.js';
import type { BffResolvedConfig } from './bffConfig.js';
import { BFF_HEADER } from './bffSession.js';

/**
 * Creates `auth.fetch` of the backend-for-frontend mode: relative URLs go to the server's API proxy;
 * requests under it carry `X-Celonis-Auth: 1` and the session cookie (same-origin credentials),
 * and nothing else gets either. A 401 from the proxy (`login_required`, `session_expired`) is
 * handed to `onSignedOut` with its `error`, and returned to the caller as it is.
 */
export function createBffFetch(config: BffResolvedConfig, deps: Pick<CelonisAuthDeps, 'fetch'>, onSignedOut: (error: string | undefined) => void): AuthFetch {
  const fetchFn = deps.fetch;
  return async function bffFetch(input, init) {
    const url =
      typeof input === 'string' && !/^[a-z][a-z\d+.-]*:|^\/\//i.test(input) ? `${config.apiBaseUrl}${input.startsWith('/') ? '' : '/'}${input}` : input;
    const request = new Request(url, init);
    // Judged on the parsed URL, so a `..` out of the proxy's path goes without the header.
    if (!request.url.startsWith(`${config.apiBaseUrl}/`)) return fetchFn(request);
    const headers = new Headers(request.headers);
    headers.set(BFF_HEADER, '1');
    const response = await fetchFn(new Request(request, { headers, credentials: 'same-origin' }));
    if (response.status === 401) onSignedOut(await proxyError(response));
    return response;
  };
}

// The proxy's own 401s are JSON `{ error }`; an API's 401 passed through may be anything.
async function proxyError(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.clone().json()) as { error?: unknown } | null;
    return typeof body?.error === 'string' ? body.error : undefined;
  } catch {
    return undefined;
  }
}
