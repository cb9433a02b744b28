import type { ClientAuthentication } from '../protocol/tokenRequestInit.js';
import type { CelonisScope } from '../protocol/celonisScopes.js';
import type { CelonisAuthDeps, StorageLike } from '../platform/celonisAuthDeps.js';
import { CodedTypeError } from '../protocol/codedTypeError.js';
import { checkScopeList } from '../protocol/scopeTokens.js';
import { teamEndpoints } from '../protocol/teamEndpoints.js';
import { absoluteUrl, apiBase, onPage, secureOrigin } from './configUrls.js';

/** Where the session is kept: per tab (`session`), shared by tabs (`local`), the page only (`memory`), or your own storage. */
export type StorageChoice = 'session' | 'local' | 'memory' | StorageLike;

/** Configuration of {@link createCelonisAuth}. */
export interface CelonisAuthConfig {
  /** The team URL, e.g. `https://acme.eu-1.celonis.cloud` (https; http only on loopback, e.g. the emulator). */
  teamUrl: string;
  /** The OAuth client id from Admin & Settings → Applications. */
  clientId: string;
  /** The absolute redirect URI registered for the client, e.g. `${location.origin}/callback`. */
  redirectUri: string;
  /** Scopes to ask for at login, e.g. `['studio', 'audit.log:read']`. */
  scopes: readonly CelonisScope[];
  /** Where the session lives. Default `'session'`. */
  storage?: StorageChoice;
  /** Refresh this many seconds before the access token expires. Default 60. */
  refreshLeewaySeconds?: number;
  /**
   * Override endpoints, e.g. a token relay that adds the client secret server-side. An absolute URL,
   * or in a page a path on its own origin such as `'/api/celonis/token'`.
   */
  endpoints?: { authorizationEndpoint?: string; tokenEndpoint?: string };
  /** Further origins (besides the team URL) that `auth.fetch` may send the access token to. */
  apiOrigins?: readonly string[];
  /**
   * Where `auth.fetch` sends relative URLs instead of the team URL: a same-origin API proxy
   * (`createCelonisApiProxy` of `@celonis-auth/server`) for a team that allows no CORS. An absolute
   * URL, or in a page a path such as `'/celonis'`; `auth.fetch('/intelligence/api/x')` then calls
   * `/celonis/intelligence/api/x` with the token, which is sent under this path and the team URL only.
   */
  apiBaseUrl?: string;
  /** A client secret. Refused in a browser unless {@link dangerouslyAllowClientSecretInBrowser} is set: use a token relay instead. */
  clientSecret?: string;
  /** How the client secret is sent. Default `'client_secret_basic'`. */
  clientAuthentication?: ClientAuthentication;
  /** Opt-in to ship a client secret to browsers, where anyone can read it. Only for trusted, non-public deployments. */
  dangerouslyAllowClientSecretInBrowser?: boolean;
  /**
   * The issuer an authorization response's `iss` must name (RFC 9207, mix-up defence); a callback
   * with another `iss` is refused before any token request. Default: the team URL.
   */
  issuer?: string;
  /** Refuse callbacks that carry no `iss` at all. Default `false` (Celonis does not document `iss`). */
  requireIssuer?: boolean;
  /** Platform access, injected for tests; each field defaults to the browser's. */
  deps?: Partial<CelonisAuthDeps>;
}

/** A validated configuration of {@link createCelonisAuth}: tokens live in the browser (direct or relay mode). */
export interface ResolvedConfig {
  /** Where the tokens live: here, in the browser (`'bff'` is the backend-for-frontend's, see `@celonis-auth/core/bff`). */
  mode: 'browser';
  teamUrl: string;
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  storage: StorageChoice;
  refreshLeewaySeconds: number;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** Origins `auth.fetch` attaches the token for. */
  tokenOrigins: readonly string[];
  /** The API proxy relative `auth.fetch` URLs go to, without a trailing slash; the token goes to URLs under it too. */
  apiBaseUrl: string | undefined;
  clientSecret: string | undefined;
  clientAuthentication: ClientAuthentication;
  /** What `iss` must be (RFC 9207). */
  issuer: string;
  /** Whether a callback without `iss` is refused. */
  requireIssuer: boolean;
}

/**
 * Validates a {@link CelonisAuthConfig} up front.
 *
 * @throws {CodedTypeError} saying which field to fix (`invalid_team_url`, `invalid_client_id`, `invalid_redirect_uri`,
 *   `invalid_scopes`, `invalid_storage`, `invalid_refresh_leeway`, `invalid_client_authentication`, `invalid_client_secret`,
 *   `client_secret_in_browser`, `invalid_endpoint`, `invalid_api_origin`, `invalid_api_base_url`, `invalid_config`).
 */
export function resolveConfig(config: CelonisAuthConfig, inBrowser: boolean, pageUrl = ''): ResolvedConfig {
  if (typeof config !== 'object' || config === null) throw new CodedTypeError('createCelonisAuth needs a config object', 'invalid_config');
  const { teamUrl, authorizationEndpoint, tokenEndpoint } = teamEndpoints(config.teamUrl);
  if (typeof config.clientId !== 'string' || config.clientId.trim() === '')
    throw new CodedTypeError('clientId is required: the OAuth client id from Admin & Settings → Applications', 'invalid_client_id');
  const redirectUri = absoluteUrl(config.redirectUri, 'redirectUri', 'invalid_redirect_uri');
  // href, not hash: an empty fragment ("/callback#") has hash '' but would still be sent.
  if (redirectUri.href.includes('#')) throw new CodedTypeError('redirectUri must not contain a fragment (RFC 6749 §3.1.2)', 'invalid_redirect_uri');
  const scopes = checkScopeList(config.scopes, 'scopes');
  if (scopes.length === 0) throw new CodedTypeError("scopes must name at least one scope, e.g. ['studio']", 'invalid_scopes');
  const storage = config.storage ?? 'session';
  if (!(storage === 'session' || storage === 'local' || storage === 'memory' || isStorageLike(storage))) {
    throw new CodedTypeError("storage must be 'session', 'local', 'memory' or an object with getItem, setItem and removeItem", 'invalid_storage');
  }
  const leeway = config.refreshLeewaySeconds ?? 60;
  if (typeof leeway !== 'number' || !Number.isFinite(leeway) || leeway < 0 || leeway > 3600) {
    throw new CodedTypeError('refreshLeewaySeconds must be a number of seconds from 0 to 3600', 'invalid_refresh_leeway');
  }
  const clientAuthentication = config.clientAuthentication ?? 'client_secret_basic';
  if (clientAuthentication !== 'client_secret_basic' && clientAuthentication !== 'client_secret_post') {
    throw new CodedTypeError("clientAuthentication must be 'client_secret_basic' or 'client_secret_post'", 'invalid_client_authentication');
  }
  if (config.clientSecret !== undefined) {
    if (typeof config.clientSecret !== 'string' || config.clientSecret === '')
      throw new CodedTypeError('clientSecret, when given, must be a non-empty string', 'invalid_client_secret');
    // client_secret_basic joins id and secret with a colon, unencoded, as the Celonis page does: an id with one cannot be split back.
    if (clientAuthentication === 'client_secret_basic' && config.clientId.includes(':'))
      throw new CodedTypeError(
        "clientId contains ':', which client_secret_basic cannot carry; use clientAuthentication: 'client_secret_post'",
        'invalid_client_id',
      );
    if (inBrowser && config.dangerouslyAllowClientSecretInBrowser !== true) {
      throw new CodedTypeError(
        'clientSecret in a browser would be readable by anyone who loads the page. Keep it on a server behind a token relay (@celonis-auth/server createTokenRelay) and set endpoints.tokenEndpoint, or set dangerouslyAllowClientSecretInBrowser: true if you accept the risk.',
        'client_secret_in_browser',
      );
    }
  }
  if (config.requireIssuer !== undefined && typeof config.requireIssuer !== 'boolean')
    throw new CodedTypeError('requireIssuer must be true or false', 'invalid_issuer');
  const issuer = config.issuer === undefined ? teamUrl : secureOrigin(config.issuer, 'issuer', 'invalid_issuer').href.replace(/\/$/, '');
  const endpoints = config.endpoints ?? {};
  const apiOrigins = (config.apiOrigins ?? []).map((o, i) => secureOrigin(o, `apiOrigins[${i}]`, 'invalid_api_origin').origin);
  const endpoint = (value: string, field: string) => secureOrigin(onPage(value, pageUrl), field, 'invalid_endpoint').href;
  return {
    mode: 'browser',
    teamUrl,
    clientId: config.clientId,
    redirectUri: redirectUri.href,
    scopes,
    storage,
    refreshLeewaySeconds: leeway,
    authorizationEndpoint:
      endpoints.authorizationEndpoint === undefined ? authorizationEndpoint : endpoint(endpoints.authorizationEndpoint, 'endpoints.authorizationEndpoint'),
    tokenEndpoint: endpoints.tokenEndpoint === undefined ? tokenEndpoint : endpoint(endpoints.tokenEndpoint, 'endpoints.tokenEndpoint'),
    tokenOrigins: Object.freeze([teamUrl, ...apiOrigins]),
    apiBaseUrl: config.apiBaseUrl === undefined ? undefined : apiBase(config.apiBaseUrl, pageUrl),
    clientSecret: config.clientSecret,
    clientAuthentication,
    issuer,
    requireIssuer: config.requireIssuer === true,
  };
}

function isStorageLike(value: unknown): value is StorageLike {
  const s = value as Partial<StorageLike> | null;
  return typeof s === 'object' && s !== null && typeof s.getItem === 'function' && typeof s.setItem === 'function' && typeof s.removeItem === 'function';
}
