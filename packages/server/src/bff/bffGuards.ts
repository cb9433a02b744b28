import { siteRefusal } from '../apiProxyGuard.js';
import type { BffFailure } from './bffResponses.js';

/** The header every proxied request and the logout must carry: a cross-site form, link or image cannot send it. */
export const BFF_CSRF_HEADER = 'X-Celonis-Auth';

/**
 * Refuses a request that may come from another site, before anything else is done: an `Origin`
 * outside `origins` (403 `origin_not_allowed`), a `Sec-Fetch-Site` other than `same-origin` or
 * `none` (403 `cross_site_request`; stricter than the relay-mode proxy, which lets `same-site`
 * through with an allowed Origin), or no `X-Celonis-Auth: 1` (403 `csrf_header_required`).
 * Browsers that send neither `Origin` nor `Sec-Fetch-Site` are judged by the header alone, which a
 * cross-site page can only send after a CORS preflight the BFF never approves.
 */
export function crossSiteRefusal(request: Request, origins: ReadonlySet<string>): BffFailure | undefined {
  const site = siteRefusal(request, origins);
  if (site) return { status: 403, error: site.error, description: site.description };
  if (request.headers.get('sec-fetch-site') === 'same-site') {
    return { status: 403, error: 'cross_site_request', description: 'requests from another site are refused: serve the portal and the BFF from one origin' };
  }
  if (request.headers.get(BFF_CSRF_HEADER) !== '1') {
    return { status: 403, error: 'csrf_header_required', description: `send the header "${BFF_CSRF_HEADER}: 1" (auth.fetch of createCelonisBffAuth does)` };
  }
  return undefined;
}

/**
 * Refuses a browser's own `Authorization` header with 400 `invalid_authorization`: in this mode the
 * BFF sends the session's token, and forwarding a page's credentials would make it a proxy for
 * any token (and silently dropping them would hide a misconfigured client).
 */
export function browserAuthorizationRefusal(request: Request): BffFailure | undefined {
  if (!request.headers.has('authorization')) return undefined;
  return {
    status: 400,
    error: 'invalid_authorization',
    description: 'do not send Authorization: in backend-for-frontend mode the server adds the session’s token',
  };
}
