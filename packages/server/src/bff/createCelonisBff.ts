import type { WebRequestHandler } from '../nodeAdapters.js';
import { requestTarget } from '../requestTarget.js';
import { SessionStoreUnavailableError } from '../sessionStore/sessionStore.js';
import { handleCallback } from './bffCallback.js';
import { handleLogin } from './bffLogin.js';
import type { CelonisBffOptions } from './bffOptions.js';
import { signInPage } from './bffPage.js';
import { handleApiCall } from './bffProxy.js';
import { createSessionRefresher, type SessionRefresher } from './bffRefresh.js';
import { bffJsonError, storeUnavailable, type BffFailure } from './bffResponses.js';
import { handleLogout, handleSession } from './bffSessionRoutes.js';
import { resolveBffSettings, type BffSettings } from './bffSettings.js';

/** A backend-for-frontend handler; `bffMiddleware` mounts it on `basePath/`, `apiBasePath/` and `callbackPath`. */
export type CelonisBff = WebRequestHandler & {
  readonly basePath: string;
  readonly apiBasePath: string;
  /** The path of `redirectUri`, where the team sends the browser back. */
  readonly callbackPath: string;
};

/**
 * Creates a backend-for-frontend (BFF) for a Celonis portal: the server runs the authorization-code
 * flow as the confidential client, keeps the tokens in a session store (sealed with AES-256-GCM), gives
 * the browser only an HttpOnly session cookie, and forwards API calls with the session's token.
 *
 * Routes (defaults): `GET /auth/login?returnTo=&scopes=` (302 to the team), `GET /auth/callback` (checks,
 * code exchange, session cookie, 302 to `returnTo`; failures are pages), `GET /auth/session`
 * (`{ status, scopes, expiresAt }`), `POST /auth/logout` (204), `/celonis/*` (the API proxy; 401
 * `login_required` or `session_expired` without a usable session). Proxied calls and the logout need
 * `X-Celonis-Auth: 1` and a same-origin `Origin`/`Sec-Fetch-Site` (403 otherwise). A store failure is
 * 503 `session_store_unavailable` with `Retry-After`; an unreadable or tampered record is signed out.
 * Log lines never hold a token, cookie, code or query string.
 *
 * @example
 * ```ts
 * const bff = createCelonisBff({
 *   teamUrl: 'https://acme.eu-1.celonis.cloud', clientId: 'portal', clientSecret: () => readSecret(),
 *   allowedOrigins: ['https://portal.example.com'], scopes: ['studio', 'intelligence.knowledge-models:read'],
 *   encryptionKeys: [process.env.SESSION_KEY!],
 * });
 * http.createServer(toNodeHandler(bff)).listen(8080, '127.0.0.1');
 * // The browser: createCelonisBffAuth({ basePath: '/auth', apiBasePath: '/celonis' }) from '@celonis-auth/core/bff'
 * ```
 * @throws {CodedTypeError} synchronously, for a missing or malformed option: `invalid_config`, `invalid_team_url`,
 *   `invalid_client_id`, `invalid_client_secret`, `invalid_client_authentication`, `invalid_body_encoding`,
 *   `invalid_allowed_origins`, `invalid_redirect_uri`, `invalid_scopes`, `invalid_encryption_keys`,
 *   `invalid_session_store`, `invalid_base_path`, `invalid_cookie_option`, `invalid_refresh_leeway`, `invalid_issuer`,
 *   `invalid_option`, `invalid_deps`; the message says what to fix.
 */
export function createCelonisBff(options: CelonisBffOptions): CelonisBff {
  const settings = resolveBffSettings(options);
  const refresher = createSessionRefresher(settings);
  const bff = async (request: Request): Promise<Response> => {
    const route = routeOf(settings, request);
    try {
      return await serve(settings, refresher, route, request);
    } catch (error) {
      return failed(settings, route, error);
    }
  };
  return Object.assign(bff, { basePath: settings.basePath, apiBasePath: settings.apiBasePath, callbackPath: settings.callbackPath });
}

type Route = 'login' | 'callback' | 'session' | 'logout' | 'api' | 'unknown';

function routeOf(settings: BffSettings, request: Request): Route {
  const path = new URL(request.url).pathname;
  // Routed on the target as sent when a Node adapter gave it: "/celonis/../auth/session" goes to the proxy, which refuses it.
  const raw = requestTarget(request)?.split('?', 1)[0];
  if ((raw ?? path).startsWith(`${settings.apiBasePath}/`)) return 'api';
  if (raw !== undefined && raw !== path) return 'unknown';
  if (path === settings.callbackPath) return 'callback';
  if (path === `${settings.basePath}/login`) return 'login';
  if (path === `${settings.basePath}/session`) return 'session';
  if (path === `${settings.basePath}/logout`) return 'logout';
  return 'unknown';
}

const METHODS: Record<Exclude<Route, 'api' | 'unknown'>, string> = { login: 'GET', callback: 'GET', session: 'GET', logout: 'POST' };

async function serve(settings: BffSettings, refresher: SessionRefresher, route: Route, request: Request): Promise<Response> {
  if (route === 'api') return handleApiCall(settings, refresher, request);
  if (route === 'unknown') return bffJsonError({ status: 404, error: 'not_found', description: 'no such route of the backend-for-frontend' });
  if (request.method !== METHODS[route]) {
    const failure = { status: 405, error: 'method_not_allowed', description: `this route takes ${METHODS[route]}`, headers: { Allow: METHODS[route] } };
    return bffJsonError(failure);
  }
  if (route === 'login') return handleLogin(settings, request);
  if (route === 'callback') return handleCallback(settings, request);
  if (route === 'session') return handleSession(settings, refresher, request);
  return handleLogout(settings, request);
}

// Navigations (login, callback) get a page; the rest JSON. Never a stack, message or token.
function failed(settings: BffSettings, route: Route, error: unknown): Response {
  let failure: BffFailure;
  if (error instanceof SessionStoreUnavailableError) {
    settings.logger.warn(`celonis-auth BFF: the session store is unavailable (${causeName(error)})`);
    failure = storeUnavailable(error);
  } else {
    settings.logger.warn(`celonis-auth BFF: unexpected failure (${error instanceof Error ? error.name : typeof error})`);
    failure = { status: 500, error: 'bff_error', description: 'the backend-for-frontend failed' };
  }
  if (route !== 'login' && route !== 'callback') return bffJsonError(failure);
  const description = failure.status === 503 ? 'Sign-in is not available right now. Try again in a moment.' : 'Sign-in failed on the portal’s server.';
  return signInPage({ ...failure, description }, { basePath: settings.basePath, returnTo: '/' });
}

function causeName(error: SessionStoreUnavailableError): string {
  const cause: unknown = error.cause;
  return cause instanceof Error ? `${error.name}: ${cause.name}` : error.name;
}
