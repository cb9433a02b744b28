import type { CelonisAuthDeps } from '../platform/celonisAuthDeps.js';
import type { CelonisScope } from '../protocol/celonisScopes.js';
import { CodedTypeError } from '../protocol/codedTypeError.js';
import { checkScopeList } from '../protocol/scopeTokens.js';

/** Configuration of `createCelonisBffAuth` (from `@celonis-auth/core/bff`). */
export interface CelonisBffAuthConfig {
  /** Where the backend-for-frontend serves `/login`, `/session` and `/logout` on this origin. Default `'/auth'`. */
  basePath?: string;
  /** Where it proxies the team's APIs; `auth.fetch('/intelligence/api/x')` goes to `${apiBasePath}/intelligence/api/x`. Default `'/celonis'`. */
  apiBasePath?: string;
  /** The Celonis team the server signs in to, for what the app shows (`auth.config.teamUrl`). Default: this page's origin. */
  teamUrl?: string;
  /**
   * The scopes the server asks for at login (its `scopes` option), so `<RequireScopes>` asks only
   * for the ones beyond them. Default none: every required scope is asked for explicitly.
   */
  scopes?: readonly CelonisScope[];
  /** Platform access, injected for tests; each field defaults to the browser's. */
  deps?: Partial<CelonisAuthDeps>;
}

/** The validated configuration of a backend-for-frontend client: tokens live on the server. */
export interface BffResolvedConfig {
  /** Where the tokens live: on the server. */
  mode: 'bff';
  /** The team, for display. */
  teamUrl: string;
  /** The scopes the server asks for at login. */
  scopes: readonly string[];
  /** The server renews tokens; this is the lead the browser assumes when it shows a countdown. */
  refreshLeewaySeconds: number;
  /** Where `login()` goes: the server's login route. */
  authorizationEndpoint: string;
  /** The server's auth routes, absolute, without a trailing slash. */
  basePath: string;
  /** The server's API proxy, absolute, without a trailing slash. */
  apiBaseUrl: string;
}

/**
 * Validates a {@link CelonisBffAuthConfig} against the page's URL.
 *
 * @throws {CodedTypeError} `invalid_config`, `invalid_endpoint` (basePath), `invalid_api_base_url`, `invalid_team_url`, `invalid_scopes`.
 */
export function resolveBffConfig(config: CelonisBffAuthConfig | undefined, pageUrl: string): BffResolvedConfig {
  if (config !== undefined && (typeof config !== 'object' || config === null))
    throw new CodedTypeError('createCelonisBffAuth takes an options object', 'invalid_config');
  let origin: string;
  try {
    origin = new URL(pageUrl).origin;
  } catch {
    throw new CodedTypeError('createCelonisBffAuth runs in a page: its routes are paths on the page’s own origin', 'invalid_config');
  }
  const basePath = `${origin}${routePath(config?.basePath ?? '/auth', 'basePath', 'invalid_endpoint')}`;
  const teamUrl = config?.teamUrl ?? origin;
  let team: string;
  try {
    team = new URL(teamUrl).origin;
  } catch {
    throw new CodedTypeError('teamUrl, when given, must be an absolute URL', 'invalid_team_url');
  }
  return {
    mode: 'bff',
    teamUrl: team,
    scopes: checkScopeList(config?.scopes ?? [], 'scopes'),
    refreshLeewaySeconds: 60,
    authorizationEndpoint: `${basePath}/login`,
    basePath,
    apiBaseUrl: `${origin}${routePath(config?.apiBasePath ?? '/celonis', 'apiBasePath', 'invalid_api_base_url')}`,
  };
}

// A same-origin path without query, fragment or trailing slash: the server's routes hang below it.
function routePath(value: unknown, field: string, code: 'invalid_endpoint' | 'invalid_api_base_url'): string {
  if (typeof value !== 'string' || !/^(\/[A-Za-z0-9._~-]+)+$/.test(value) || value.split('/').some((s) => s === '.' || s === '..'))
    throw new CodedTypeError(`${field} must be a path on this origin such as '/auth', without a trailing slash, query or '..'`, code);
  return value;
}
