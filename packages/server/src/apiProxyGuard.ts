/** Why the API proxy refuses a request before sending anything upstream. */
export interface ApiProxyRefusal {
  status: 400 | 403 | 405;
  error: 'origin_not_allowed' | 'cross_site_request' | 'navigation_refused' | 'invalid_authorization' | 'method_not_allowed';
  description: string;
  headers?: Record<string, string>;
}

/** The methods the proxy forwards; `OPTIONS` it answers itself (CORS preflight). */
export const FORWARDED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** The `Allow` value of the proxy (405 answers, and an `OPTIONS` request that is no preflight). */
export const ALLOWED_METHODS = [...FORWARDED_METHODS, 'OPTIONS'].join(', ');
// RFC 6750 §2.1: "Bearer" 1*SP b64token; the scheme is case-insensitive (RFC 9110 §11.1).
const BEARER = /^bearer +[A-Za-z0-9\-._~+/]+=*$/i;

/**
 * Refuses requests from another site, read only from headers a page cannot set (`Origin`,
 * `Sec-Fetch-Site`); `Host` and `X-Forwarded-Host` are never read, a client can send any value:
 * - an `Origin` not in `origins` (an opaque `null` too): 403 `origin_not_allowed`;
 * - `Sec-Fetch-Site: cross-site`, `same-site` without an allowed `Origin`, or an unknown value: 403 `cross_site_request`.
 * No `Origin` with `Sec-Fetch-Site` absent, `same-origin` or `none` (curl, a same-origin GET, a typed URL) passes.
 */
export function siteRefusal(request: Request, origins: ReadonlySet<string>): ApiProxyRefusal | undefined {
  const origin = request.headers.get('origin');
  if (origin !== null && !origins.has(origin)) {
    return { status: 403, error: 'origin_not_allowed', description: 'this origin is not allowed: list the app origin in allowedOrigins' };
  }
  const site = request.headers.get('sec-fetch-site');
  if (site === null || site === 'same-origin' || site === 'none' || (site === 'same-site' && origin !== null)) return undefined;
  return { status: 403, error: 'cross_site_request', description: 'cross-site requests are refused: serve the app and the proxy from the same site' };
}

/**
 * Refuses what a browser sends to load a page, not to call an API: `Sec-Fetch-Mode: navigate`, or a
 * `Sec-Fetch-Dest` other than `empty` (a document, frame, script, style, image, worker...), with 403
 * `navigation_refused`. A team page must never load as a page of the portal's origin; `fetch()` and
 * XHR send `Sec-Fetch-Dest: empty`, and clients without `Sec-Fetch-*` (curl, servers) pass.
 */
export function navigationRefusal(request: Request): ApiProxyRefusal | undefined {
  const mode = request.headers.get('sec-fetch-mode');
  const dest = request.headers.get('sec-fetch-dest');
  if (mode?.trim().toLowerCase() !== 'navigate' && (dest === null || dest.trim().toLowerCase() === 'empty')) return undefined;
  return {
    status: 403,
    error: 'navigation_refused',
    description: 'this proxy answers API calls (fetch, XHR), not page loads: navigations and Sec-Fetch-Dest other than "empty" are refused',
  };
}

/**
 * Refuses an `Authorization` header other than `Bearer <token>` (Basic, `AppKey`, a malformed or
 * repeated one) with 400 `invalid_authorization`: a static key belongs on a server
 * (`staticKeyAuthorization`), never in a browser. No header at all passes (the API answers 401).
 */
export function authorizationRefusal(request: Request): ApiProxyRefusal | undefined {
  const authorization = request.headers.get('authorization');
  if (authorization === null || BEARER.test(authorization)) return undefined;
  return {
    status: 400,
    error: 'invalid_authorization',
    description: 'only "Authorization: Bearer <access token>" is forwarded; static keys (AppKey) belong on a server, not in a browser',
  };
}

/** Refuses a method the proxy does not forward (`TRACE`, a custom one) with 405 `method_not_allowed` and `Allow`. */
export function methodRefusal(request: Request): ApiProxyRefusal | undefined {
  if ((FORWARDED_METHODS as readonly string[]).includes(request.method)) return undefined;
  return { status: 405, error: 'method_not_allowed', description: `this proxy forwards ${FORWARDED_METHODS.join(', ')}`, headers: { Allow: ALLOWED_METHODS } };
}
