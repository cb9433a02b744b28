import { CodedTypeError, isLoopbackHost } from '@celonis-auth/core/protocol';
import type { SessionStore } from '../sessionStore/sessionStore.js';
import { DEFAULT_BFF_COOKIE_NAME } from './bffOptions.js';

/** How the BFF names and marks its cookies. */
export interface CookieSettings {
  /** The session cookie's full name, e.g. `__Host-celonis-auth`; transaction cookies are `<name>.txn.<state>`. */
  name: string;
  secure: boolean;
}

// RFC 6265 §4.1.1: a cookie name is an RFC 2616 token.
const COOKIE_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
const ROUTES = ['login', 'session', 'logout'];

/**
 * Checks `redirectUri` (default `${defaultOrigin}${basePath}/callback`): absolute, https (http only on
 * loopback), on one of the portal's origins (the callback sets the cookie the portal's pages send), no
 * credentials, query or fragment, and a path that is no other route of the BFF.
 *
 * @throws {CodedTypeError} `invalid_redirect_uri`, saying what to fix.
 */
export function checkRedirectUri(
  value: unknown,
  defaultOrigin: string,
  origins: ReadonlySet<string>,
  basePath: string,
  apiBasePath: string,
  where: string,
): URL {
  const text = value ?? `${defaultOrigin}${basePath}/callback`;
  const fail = (why: string) => new CodedTypeError(`${where}: redirectUri ${JSON.stringify(text)} ${why}`, 'invalid_redirect_uri');
  if (typeof text !== 'string' || !URL.canParse(text)) throw fail('must be an absolute URL such as "https://portal.example.com/auth/callback"');
  const url = new URL(text);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) throw fail('must use https (http only on loopback)');
  if (url.username || url.password || url.search || url.hash) throw fail('must have no credentials, query or fragment');
  if (!origins.has(url.origin)) throw fail(`must be on one of allowedOrigins (${[...origins].join(', ')}): the callback sets the portal's cookie`);
  const path = url.pathname;
  if (path === apiBasePath || path.startsWith(`${apiBasePath}/`) || ROUTES.some((route) => path === `${basePath}/${route}`)) {
    throw fail(`must not be a path of the API proxy (${apiBasePath}/...) or another route of ${basePath}`);
  }
  if (path.includes('%') || path.endsWith('/') || path.includes('//')) throw fail('must have a plain path such as /auth/callback');
  return url;
}

/**
 * Checks `cookieName` and `secure`. `secure` defaults to true, and to false only for a redirect URI on
 * http (loopback), where a browser would drop a `Secure` cookie; `__Host-` is added when secure.
 *
 * @throws {CodedTypeError} `invalid_cookie_option`.
 */
export function checkCookieOptions(options: { cookieName?: unknown; secure?: unknown }, redirectUri: URL, where: string): CookieSettings {
  const https = redirectUri.protocol === 'https:';
  const secure = options.secure ?? https;
  if (typeof secure !== 'boolean') throw new CodedTypeError(`${where}: secure must be true or false`, 'invalid_cookie_option');
  if (!secure && https)
    throw new CodedTypeError(`${where}: secure: false is only for a portal on http loopback; this one is on https`, 'invalid_cookie_option');
  const base = options.cookieName ?? DEFAULT_BFF_COOKIE_NAME;
  if (typeof base !== 'string' || !COOKIE_NAME.test(base) || /^__(host|secure)-/i.test(base)) {
    throw new CodedTypeError(
      `${where}: cookieName must be a cookie name of up to 64 letters, digits and !#$%&'*+.^_\`|~- without a __Host- or __Secure- prefix (added when secure)`,
      'invalid_cookie_option',
    );
  }
  return { name: secure ? `__Host-${base}` : base, secure };
}

/**
 * Checks a `sessionStore` option: an object with `get`, `set`, `delete` and `lock` methods.
 *
 * @throws {CodedTypeError} `invalid_session_store`.
 */
export function checkSessionStore(value: unknown, where: string): SessionStore {
  const store = value as Partial<Record<keyof SessionStore, unknown>> | null;
  if (typeof store !== 'object' || store === null || (['get', 'set', 'delete', 'lock'] as const).some((name) => typeof store[name] !== 'function')) {
    throw new CodedTypeError(
      `${where}: sessionStore must have get, set, delete and lock methods: createMemorySessionStore(), or createRedisSessionStore({ client }) from '@celonis-auth/server/redis'`,
      'invalid_session_store',
    );
  }
  return value as SessionStore;
}

/** What the `iss` of a callback must be (RFC 9207), and whether a callback without one is refused. */
export interface IssuerSettings {
  issuer: string;
  requireIssuer: boolean;
}

/**
 * Checks `issuer` (default the team URL: an absolute https URL, http only on loopback, without
 * credentials, query or fragment; kept without a trailing slash) and `requireIssuer` (default `false`).
 *
 * @throws {CodedTypeError} `invalid_issuer`, saying what to fix.
 */
export function checkIssuer(options: { issuer?: unknown; requireIssuer?: unknown }, teamUrl: string, where: string): IssuerSettings {
  const fail = (why: string) => new CodedTypeError(`${where}: ${why}`, 'invalid_issuer');
  if (options.requireIssuer !== undefined && typeof options.requireIssuer !== 'boolean') throw fail('requireIssuer must be true or false');
  const requireIssuer = options.requireIssuer === true;
  if (options.issuer === undefined) return { issuer: teamUrl, requireIssuer };
  let url: URL | undefined;
  try {
    url = typeof options.issuer === 'string' ? new URL(options.issuer) : undefined;
  } catch {
    url = undefined;
  }
  if (!url) throw fail('issuer must be an absolute URL, such as the team URL https://acme.eu-1.celonis.cloud');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) throw fail('issuer must use https (http only on loopback)');
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.href.includes('#'))
    throw fail('issuer must not contain credentials, a query or a fragment');
  return { issuer: url.href.replace(/\/$/, ''), requireIssuer };
}
