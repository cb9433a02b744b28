import type { ClientAuthentication } from '../protocol/tokenRequestInit.js';
import type { CelonisScope } from '../protocol/celonisScopes.js';
import type { CelonisAuthDeps, StorageLike } from '../platform/celonisAuthDeps.js';
import { checkScopeList } from '../protocol/scopeTokens.js';
import { isLoopbackHost, teamEndpoints } from '../protocol/teamEndpoints.js';

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
  /** Override endpoints, e.g. a token relay that adds the client secret server-side. */
  endpoints?: { authorizationEndpoint?: string; tokenEndpoint?: string };
  /** Further origins (besides the team URL) that `auth.fetch` may send the access token to. */
  apiOrigins?: readonly string[];
  /** A client secret. Refused in a browser unless {@link dangerouslyAllowClientSecretInBrowser} is set: use a token relay instead. */
  clientSecret?: string;
  /** How the client secret is sent. Default `'client_secret_basic'`. */
  clientAuthentication?: ClientAuthentication;
  /** Opt-in to ship a client secret to browsers, where anyone can read it. Only for trusted, non-public deployments. */
  dangerouslyAllowClientSecretInBrowser?: boolean;
  /** Platform access, injected for tests; each field defaults to the browser's. */
  deps?: Partial<CelonisAuthDeps>;
}

/** A validated configuration. */
export interface ResolvedConfig {
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
  clientSecret: string | undefined;
  clientAuthentication: ClientAuthentication;
}

/**
 * Validates a {@link CelonisAuthConfig} up front.
 *
 * @throws {TypeError} saying which field to fix.
 */
export function resolveConfig(config: CelonisAuthConfig, inBrowser: boolean): ResolvedConfig {
  if (typeof config !== 'object' || config === null) throw new TypeError('createCelonisAuth needs a config object');
  const { teamUrl, authorizationEndpoint, tokenEndpoint } = teamEndpoints(config.teamUrl);
  if (typeof config.clientId !== 'string' || config.clientId.trim() === '') throw new TypeError('clientId is required: the OAuth client id from Admin & Settings → Applications');
  const redirectUri = absoluteUrl(config.redirectUri, 'redirectUri');
  // href, not hash: an empty fragment ("/callback#") has hash '' but would still be sent.
  if (redirectUri.href.includes('#')) throw new TypeError('redirectUri must not contain a fragment (RFC 6749 §3.1.2)');
  const scopes = checkScopeList(config.scopes, 'scopes');
  if (scopes.length === 0) throw new TypeError("scopes must name at least one scope, e.g. ['studio']");
  const storage = config.storage ?? 'session';
  if (!(storage === 'session' || storage === 'local' || storage === 'memory' || isStorageLike(storage))) {
    throw new TypeError("storage must be 'session', 'local', 'memory' or an object with getItem, setItem and removeItem");
  }
  const leeway = config.refreshLeewaySeconds ?? 60;
  if (typeof leeway !== 'number' || !Number.isFinite(leeway) || leeway < 0 || leeway > 3600) {
    throw new TypeError('refreshLeewaySeconds must be a number of seconds from 0 to 3600');
  }
  const clientAuthentication = config.clientAuthentication ?? 'client_secret_basic';
  if (clientAuthentication !== 'client_secret_basic' && clientAuthentication !== 'client_secret_post') {
    throw new TypeError("clientAuthentication must be 'client_secret_basic' or 'client_secret_post'");
  }
  if (config.clientSecret !== undefined) {
    if (typeof config.clientSecret !== 'string' || config.clientSecret === '') throw new TypeError('clientSecret, when given, must be a non-empty string');
    if (inBrowser && config.dangerouslyAllowClientSecretInBrowser !== true) {
      throw new TypeError(
        'clientSecret in a browser would be readable by anyone who loads the page. Keep it on a server behind a token relay (@celonis-auth/server createTokenRelay) and set endpoints.tokenEndpoint, or set dangerouslyAllowClientSecretInBrowser: true if you accept the risk.',
      );
    }
  }
  const endpoints = config.endpoints ?? {};
  const apiOrigins = (config.apiOrigins ?? []).map((o, i) => secureOrigin(o, `apiOrigins[${i}]`));
  return {
    teamUrl,
    clientId: config.clientId,
    redirectUri: redirectUri.href,
    scopes,
    storage,
    refreshLeewaySeconds: leeway,
    authorizationEndpoint: endpoints.authorizationEndpoint === undefined ? authorizationEndpoint : endpoint(endpoints.authorizationEndpoint, 'endpoints.authorizationEndpoint'),
    tokenEndpoint: endpoints.tokenEndpoint === undefined ? tokenEndpoint : endpoint(endpoints.tokenEndpoint, 'endpoints.tokenEndpoint'),
    tokenOrigins: Object.freeze([teamUrl, ...apiOrigins]),
    clientSecret: config.clientSecret,
    clientAuthentication,
  };
}

function absoluteUrl(value: unknown, field: string): URL {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${field} is required: an absolute URL`);
  try {
    return new URL(value);
  } catch {
    throw new TypeError(`${field} "${value}" is not an absolute URL`);
  }
}

function secure(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

function endpoint(value: string, field: string): string {
  const url = absoluteUrl(value, field);
  if (!secure(url)) throw new TypeError(`${field} must use https (http only on loopback)`);
  return url.href;
}

function secureOrigin(value: string, field: string): string {
  const url = absoluteUrl(value, field);
  if (!secure(url)) throw new TypeError(`${field} must use https (http only on loopback)`);
  return url.origin;
}

function isStorageLike(value: unknown): value is StorageLike {
  const s = value as Partial<StorageLike> | null;
  return typeof s === 'object' && s !== null && typeof s.getItem === 'function' && typeof s.setItem === 'function' && typeof s.removeItem === 'function';
}
