import { ALLOWED_METHODS, authorizationRefusal, methodRefusal, navigationRefusal, siteRefusal, type ApiProxyRefusal } from './apiProxyGuard.js';
import { resolveApiProxySettings, type ApiProxySettings, type CelonisApiProxyOptions } from './apiProxyOptions.js';
import { apiProxyTarget } from './apiProxyTarget.js';
import { forwardToTeam } from './apiProxyUpstream.js';
import type { WebRequestHandler } from './nodeAdapters.js';
import { preflightResponse } from './relayCors.js';
import { oauthErrorResponse as proxyError } from './relayErrorResponse.js';

/** A web-standard handler forwarding `basePath/*` to the team; `basePath` is what `apiProxyMiddleware` mounts it on. */
export type CelonisApiProxy = WebRequestHandler & { readonly basePath: string };

const PREFLIGHT = { methods: 'GET, HEAD, POST, PUT, PATCH, DELETE', headers: 'Authorization, Content-Type' };

/**
 * Creates a same-origin API proxy for a single-page app whose Celonis team answers no CORS (relay
 * mode): the browser calls `${basePath}/intelligence/api/...` on its own origin with its
 * `Authorization: Bearer` token, and the proxy forwards it to `${teamUrl}/intelligence/api/...`,
 * streaming both bodies, and streams the answer back. It adds no credentials of its own.
 *
 * - Only the team's origin is ever called: the target is the team origin + the path after
 *   `basePath` + the query, as text; `Host` and `X-Forwarded-Host` are never read. Paths outside
 *   `basePath/`: 404 `not_found`; absolute targets, `//`, `.`/`..` (also percent-encoded), `\`,
 *   `%2f`, control characters: 400 `invalid_path`.
 * - Cross-site requests are refused before anything is sent: an `Origin` not in `allowedOrigins` 403
 *   `origin_not_allowed`; `Sec-Fetch-Site: cross-site` (or `same-site` without an allowed `Origin`) 403
 *   `cross_site_request`. Requests without `Origin` and `Sec-Fetch-Site` (curl, a same-origin GET) pass.
 *   Preflights from an allowed origin are answered (204), never forwarded. Page loads are refused:
 *   `Sec-Fetch-Mode: navigate` or a `Sec-Fetch-Dest` other than `empty`: 403 `navigation_refused`.
 * - `Authorization: Bearer <token>` passes unchanged; any other scheme: 400 `invalid_authorization`.
 *   Methods other than GET, HEAD, POST, PUT, PATCH, DELETE: 405 `method_not_allowed`.
 * - A request body over `maxRequestBodyBytes`: 413 `request_too_large` (by `Content-Length` before
 *   anything is sent, else counted: the upstream stream is aborted). A response over
 *   `maxResponseBodyBytes`: 502 `upstream_response_too_large` by `Content-Length`, else cut midway.
 * - `Cookie`, `Set-Cookie`, hop-by-hop headers, `Origin`, `Referer`, `Sec-Fetch-*` and upstream
 *   `Access-Control-*` are stripped; status, `WWW-Authenticate`, `Retry-After`, `Content-Type` and
 *   caching headers come back. Redirects are not followed; a `Location` on the team is rewritten
 *   to `basePath` + its path, any other is dropped. Every answer gets `Content-Security-Policy:
 *   sandbox; default-src 'none'`, `X-Content-Type-Options: nosniff` and `X-Frame-Options: DENY`
 *   (the team's replaced), and team headers that would act on the portal's origin (`Service-Worker-Allowed`,
 *   `NEL`, `Report-To`, `Permissions-Policy`, `Link`, `Cross-Origin-*-Policy`, ...) are dropped.
 * - An upstream status outside 200-599: 502 `upstream_invalid_response`. No response body chunk
 *   within `timeoutMs` once the headers came: the body is cut and the upstream call aborted.
 * - Upstream unreachable: 502 `upstream_unreachable`; no answer headers within `timeoutMs`: 504
 *   `upstream_timeout`. Methods fetch cannot carry (`TRACE`, `CONNECT`) and targets that do not
 *   parse (`//[`) are answered by the Node adapter: 405 `method_not_allowed`, 400 `invalid_path`. Refusals and failures are JSON `{ error, error_description }` with
 *   `Cache-Control: no-store`; failures log one line (method, path without query, status, error
 *   name), never a header, token or query string.
 *
 * @example
 * ```ts
 * const proxy = createCelonisApiProxy({ teamUrl: 'https://acme.eu-1.celonis.cloud', allowedOrigins: ['https://portal.example.com'] });
 * // The browser: auth.fetch('/intelligence/api/knowledge-models') with apiBaseUrl '/celonis'
 * http.createServer(toNodeHandler(proxy)).listen(8080, '127.0.0.1');
 * ```
 * @throws {CodedTypeError} synchronously: `invalid_config`, `invalid_team_url`, `invalid_allowed_origins`,
 *   `invalid_base_path`, `invalid_option` (a cap or timeout out of range) or `invalid_deps`; the message says what to fix.
 */
export function createCelonisApiProxy(options: CelonisApiProxyOptions): CelonisApiProxy {
  const settings = resolveApiProxySettings(options);
  const proxy = async (request: Request): Promise<Response> => {
    try {
      return await handle(settings, request);
    } catch (error) {
      // A handler that throws would leave the adapter to improvise; answer like the proxy's other failures.
      settings.logger.warn(`celonis-auth API proxy: unexpected failure (${error instanceof Error ? error.name : typeof error})`);
      return proxyError(500, 'proxy_error', 'the API proxy failed', null);
    }
  };
  return Object.assign(proxy, { basePath: settings.basePath });
}

async function handle(settings: ApiProxySettings, request: Request): Promise<Response> {
  const site = siteRefusal(request, settings.origins);
  if (site) return refuse(site, null);
  // Past the site check an Origin is an allowed one: it gets CORS headers on every answer.
  const origin = request.headers.get('origin');
  const navigation = navigationRefusal(request);
  if (navigation) return refuse(navigation, origin);
  const target = apiProxyTarget(request, settings.teamOrigin, settings.basePath);
  if (!target.ok) return proxyError(target.status, target.error, target.description, origin);
  if (request.method === 'OPTIONS') {
    if (origin !== null && request.headers.has('access-control-request-method')) return preflightResponse(origin, PREFLIGHT);
    return new Response(null, { status: 204, headers: { Allow: ALLOWED_METHODS, Vary: 'Origin' } });
  }
  const refusal = methodRefusal(request) ?? authorizationRefusal(request);
  if (refusal) return refuse(refusal, origin);
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > settings.maxRequestBodyBytes) {
    // The body is not read: nothing of it goes upstream, and the adapter discards the rest.
    return proxyError(413, 'request_too_large', `the request body is larger than ${settings.maxRequestBodyBytes} bytes`, origin);
  }
  return forwardToTeam(settings, { request, url: target.url, logPath: target.logPath, origin });
}

function refuse(refusal: ApiProxyRefusal, origin: string | null): Response {
  return proxyError(refusal.status, refusal.error, refusal.description, origin, refusal.headers);
}
