import { CodedTypeError, teamEndpoints } from '@celonis-auth/core/protocol';
import { createApiProxySlots, type ApiProxySlots } from './apiProxySlots.js';
import { checkInteger } from './optionChecks.js';
import { checkAllowedOrigins } from './relayCors.js';
import { DEFAULT_BODY_TIMEOUT_MS } from './relayRequestBody.js';
import { resolveServerDeps, type FetchFunction, type ServerLogger } from './serverDeps.js';

const WHERE = 'createCelonisApiProxy';
const MIB = 1024 * 1024;
// Segments of unreserved characters only: the prefix is compared as text, so it must have one spelling.
const BASE_PATH = /^(?:\/[A-Za-z0-9._~-]+)+$/;

/** The default `maxConcurrentRequests` of {@link CelonisApiProxyOptions}. */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 256;

/** The default `basePath` of {@link CelonisApiProxyOptions}. */
export const DEFAULT_API_PROXY_BASE_PATH = '/celonis';

/** Options of `createCelonisApiProxy`. */
export interface CelonisApiProxyOptions {
  /** The team's origin, e.g. `https://acme.eu-1.celonis.cloud` (http only on loopback, e.g. the emulator); the only host ever called. */
  teamUrl: string;
  /**
   * Exact browser origins whose requests are forwarded when the browser sends `Origin`, e.g.
   * `['https://portal.example.com']`. List the origin the app itself is served from: browsers send
   * `Origin` on same-origin `POST`, `PUT`, `PATCH` and `DELETE` too. Must not be empty.
   */
  allowedOrigins: readonly string[];
  /** The path the proxy answers under: `${basePath}/x` goes to `${teamUrl}/x`. Default `'/celonis'`. */
  basePath?: string;
  /** Largest request body forwarded, in bytes; larger ones get 413. Default 1 MiB (1 048 576); 0 refuses every body. */
  maxRequestBodyBytes?: number;
  /** Largest response body passed back, in bytes; larger ones get 502 up front, or are cut when counted midway. Default 16 MiB. */
  maxResponseBodyBytes?: number;
  /** The longest the proxy waits for the team's answer headers, in ms; then 504. Default 30 000. */
  timeoutMs?: number;
  /** The longest a request body may take to arrive in full, in ms from when forwarding starts; then 408. Default 5 000. */
  bodyTimeoutMs?: number;
  /**
   * The most calls open to the team at once, each from its request until its answer's body is passed
   * on or cancelled; beyond it a call gets 503 `proxy_busy` with `Retry-After: 1`. Default 256.
   */
  maxConcurrentRequests?: number;
  /** Injected `fetch` (default `globalThis.fetch`) and `logger` (default `console`). */
  deps?: { fetch?: FetchFunction; logger?: ServerLogger };
}

/** {@link CelonisApiProxyOptions} checked, with every default filled in. */
export interface ApiProxySettings {
  teamOrigin: string;
  basePath: string;
  origins: ReadonlySet<string>;
  maxRequestBodyBytes: number;
  maxResponseBodyBytes: number;
  timeoutMs: number;
  bodyTimeoutMs: number;
  fetch: FetchFunction;
  logger: ServerLogger;
  /** The calls open to the team, and how many may be. */
  slots: ApiProxySlots;
}

/**
 * Checks the options of `createCelonisApiProxy` and fills in the defaults.
 *
 * @param where the function named in messages (the BFF passes its own).
 * @throws {CodedTypeError} `invalid_config` (no options object), `invalid_team_url`, `invalid_allowed_origins`,
 *   `invalid_base_path`, `invalid_option` (a cap or timeout out of range), `invalid_deps`.
 */
export function resolveApiProxySettings(options: CelonisApiProxyOptions, where = WHERE): ApiProxySettings {
  if (typeof options !== 'object' || options === null)
    throw new CodedTypeError(`${where}: options are required ({ teamUrl, allowedOrigins })`, 'invalid_config');
  if (Array.isArray(options.allowedOrigins) && options.allowedOrigins.length === 0) {
    throw new CodedTypeError(
      `${where}: allowedOrigins is empty; list the origin your app is served from, e.g. ['https://portal.example.com'] (browsers send Origin on same-origin POST, PUT and DELETE too)`,
      'invalid_allowed_origins',
    );
  }
  const deps = resolveServerDeps(options.deps, where);
  return {
    teamOrigin: teamEndpoints(options.teamUrl).teamUrl,
    basePath: checkBasePath(options.basePath, DEFAULT_API_PROXY_BASE_PATH, 'basePath', where),
    origins: checkAllowedOrigins(options.allowedOrigins, false, where),
    maxRequestBodyBytes: checkInteger(options.maxRequestBodyBytes, MIB, 0, 1024 * MIB, 'maxRequestBodyBytes', where),
    maxResponseBodyBytes: checkInteger(options.maxResponseBodyBytes, 16 * MIB, 1, 1024 * MIB, 'maxResponseBodyBytes', where),
    timeoutMs: checkInteger(options.timeoutMs, 30_000, 1, 600_000, 'timeoutMs', where),
    bodyTimeoutMs: checkInteger(options.bodyTimeoutMs, DEFAULT_BODY_TIMEOUT_MS, 1, 600_000, 'bodyTimeoutMs', where),
    slots: createApiProxySlots(checkInteger(options.maxConcurrentRequests, DEFAULT_MAX_CONCURRENT_REQUESTS, 1, 100_000, 'maxConcurrentRequests', where)),
    fetch: deps.fetch,
    logger: deps.logger,
  };
}

/**
 * Checks a path prefix option (the proxy's `basePath`, the BFF's `basePath` and `apiBasePath`): it is
 * compared as text, so it must have one spelling.
 *
 * @throws {CodedTypeError} `invalid_base_path`, naming the option and what to fix.
 */
export function checkBasePath(value: unknown, fallback = DEFAULT_API_PROXY_BASE_PATH, name = 'basePath', where = WHERE): string {
  if (value === undefined) return fallback;
  const segments = typeof value === 'string' ? value.split('/').slice(1) : [];
  if (typeof value !== 'string' || !BASE_PATH.test(value) || segments.some((segment) => segment === '.' || segment === '..')) {
    throw new CodedTypeError(
      `${where}: ${name} ${JSON.stringify(value)} must be a URL path like "${fallback}": starting with "/", no trailing slash, no query, no "." or ".." segments, letters, digits and "-._~" only`,
      'invalid_base_path',
    );
  }
  return value;
}
