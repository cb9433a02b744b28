import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { CLIENT_AUTHENTICATIONS, CodedTypeError, teamEndpoints, type ClientAuthentication } from '@celonis-auth/core/protocol';
import { checkBasePath, resolveApiProxySettings, type ApiProxySettings } from '../apiProxyOptions.js';
import { checkClientSecretSource, type ClientSecretSource } from '../clientSecret.js';
import { checkBodyEncoding, checkClientId, checkInteger, checkScopes } from '../optionChecks.js';
import { resolveServerDeps, type FetchFunction, type ServerLogger } from '../serverDeps.js';
import { createMemorySessionStore } from '../sessionStore/memorySessionStore.js';
import type { TokenBodyEncoding } from '../tokenRequest.js';
import { checkCookieOptions, checkIssuer, checkRedirectUri, checkSessionStore, type CookieSettings, type IssuerSettings } from './bffOptionChecks.js';
import { DEFAULT_BFF_API_BASE_PATH, DEFAULT_BFF_BASE_PATH, type CelonisBffOptions } from './bffOptions.js';
import { guardSessionStore, type GuardedSessionStore } from './guardedSessionStore.js';
import { checkEncryptionKeys, createRecordSealer, type RecordSealer } from './sealedRecord.js';

const WHERE = 'createCelonisBff';

/** {@link CelonisBffOptions} checked, with every default filled in. */
export interface BffSettings {
  teamOrigin: string;
  /** What a callback's `iss` must be (RFC 9207). */
  issuer: IssuerSettings;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  clientId: string;
  clientSecret: ClientSecretSource;
  clientAuthentication: ClientAuthentication;
  tokenBodyEncoding: TokenBodyEncoding;
  redirectUri: string;
  callbackPath: string;
  scopes: readonly string[];
  store: GuardedSessionStore;
  sealer: RecordSealer;
  basePath: string;
  apiBasePath: string;
  origins: ReadonlySet<string>;
  cookie: CookieSettings;
  idleMs: number;
  absoluteMs: number;
  leewayMs: number;
  timeoutMs: number;
  /** The API proxy's settings, for the modules `/celonis/*` reuses. */
  proxy: ApiProxySettings;
  fetch: FetchFunction;
  logger: ServerLogger;
  now: () => number;
  randomBytes: (size: number) => Uint8Array;
}

/**
 * Checks the options of `createCelonisBff` and fills in the defaults, synchronously.
 *
 * @throws {CodedTypeError} `invalid_config`, `invalid_team_url`, `invalid_client_id`, `invalid_client_secret`,
 *   `invalid_client_authentication`, `invalid_body_encoding`, `invalid_allowed_origins`, `invalid_redirect_uri`,
 *   `invalid_scopes`, `invalid_encryption_keys`, `invalid_session_store`, `invalid_base_path`, `invalid_cookie_option`,
 *   `invalid_refresh_leeway`, `invalid_issuer`, `invalid_option` (a lifetime, cap or timeout out of range), `invalid_deps`.
 */
export function resolveBffSettings(options: CelonisBffOptions): BffSettings {
  if (typeof options !== 'object' || options === null) {
    throw new CodedTypeError(`${WHERE}: options are required ({ teamUrl, clientId, clientSecret, allowedOrigins, scopes, encryptionKeys })`, 'invalid_config');
  }
  const endpoints = teamEndpoints(options.teamUrl);
  const clientAuthentication = checkClientAuthentication(options.clientAuthentication);
  const clientId = checkClientId(options.clientId, clientAuthentication, WHERE);
  const clientSecret = checkClientSecretSource(options.clientSecret, WHERE);
  const basePath = checkBasePath(options.basePath, DEFAULT_BFF_BASE_PATH, 'basePath', WHERE);
  const apiBasePath = checkBasePath(options.apiBasePath, DEFAULT_BFF_API_BASE_PATH, 'apiBasePath', WHERE);
  if (basePath === apiBasePath || basePath.startsWith(`${apiBasePath}/`) || apiBasePath.startsWith(`${basePath}/`)) {
    throw new CodedTypeError(`${WHERE}: basePath "${basePath}" and apiBasePath "${apiBasePath}" must not contain one another`, 'invalid_base_path');
  }
  const deps = resolveServerDeps(options.deps, WHERE);
  const randomBytes = options.deps?.randomBytes ?? nodeRandomBytes;
  if (typeof randomBytes !== 'function') throw new CodedTypeError(`${WHERE}: deps.randomBytes must be a function (size) => Uint8Array`, 'invalid_deps');
  const proxy = resolveApiProxySettings(
    {
      teamUrl: endpoints.teamUrl,
      allowedOrigins: options.allowedOrigins,
      basePath: apiBasePath,
      ...pick(options, ['maxRequestBodyBytes', 'maxResponseBodyBytes', 'timeoutMs', 'bodyTimeoutMs', 'maxConcurrentRequests']),
      deps: { fetch: deps.fetch, logger: deps.logger },
    },
    WHERE,
  );
  const redirectUri = checkRedirectUri(options.redirectUri, [...proxy.origins][0]!, proxy.origins, basePath, apiBasePath, WHERE);
  const scopes = checkScopes(options.scopes, WHERE);
  if (scopes.length === 0) throw new CodedTypeError(`${WHERE}: scopes must list at least one scope, e.g. ['studio']`, 'invalid_scopes');
  const idleSeconds = checkInteger(options.idleTimeoutSeconds, 1_800, 60, 30 * 86_400, 'idleTimeoutSeconds', WHERE);
  const absoluteSeconds = checkInteger(options.absoluteTimeoutSeconds, 43_200, 60, 365 * 86_400, 'absoluteTimeoutSeconds', WHERE);
  const storeTimeoutMs = checkInteger(options.sessionStoreTimeoutMs, 5_000, 1, 60_000, 'sessionStoreTimeoutMs', WHERE);
  const store = options.sessionStore === undefined ? createMemorySessionStore({ now: deps.now }) : checkSessionStore(options.sessionStore, WHERE);
  return {
    teamOrigin: endpoints.teamUrl,
    issuer: checkIssuer(options, endpoints.teamUrl, WHERE),
    authorizationEndpoint: endpoints.authorizationEndpoint,
    tokenEndpoint: endpoints.tokenEndpoint,
    clientId,
    clientSecret,
    clientAuthentication,
    tokenBodyEncoding: checkBodyEncoding(options.tokenBodyEncoding, WHERE),
    redirectUri: redirectUri.href,
    callbackPath: redirectUri.pathname,
    scopes,
    store: guardSessionStore(store, storeTimeoutMs),
    sealer: createRecordSealer(checkEncryptionKeys(options.encryptionKeys, WHERE), randomBytes),
    basePath,
    apiBasePath,
    origins: proxy.origins,
    cookie: checkCookieOptions(options, redirectUri, WHERE),
    idleMs: idleSeconds * 1000,
    absoluteMs: absoluteSeconds * 1000,
    leewayMs: checkInteger(options.refreshLeewaySeconds, 60, 0, 3_600, 'refreshLeewaySeconds', WHERE, 'invalid_refresh_leeway') * 1000,
    timeoutMs: proxy.timeoutMs,
    proxy,
    fetch: deps.fetch,
    logger: deps.logger,
    now: deps.now,
    randomBytes,
  };
}

function checkClientAuthentication(value: unknown): ClientAuthentication {
  if (value === undefined) return 'client_secret_basic';
  if (typeof value === 'string' && (CLIENT_AUTHENTICATIONS as readonly string[]).includes(value)) return value as ClientAuthentication;
  throw new CodedTypeError(`${WHERE}: clientAuthentication must be 'client_secret_basic' or 'client_secret_post'`, 'invalid_client_authentication');
}

function pick<T extends object, K extends keyof T>(object: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) if (object[key] !== undefined) picked[key] = object[key];
  return picked;
}
