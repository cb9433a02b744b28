// The URL rules of the configuration: absolute or page-relative, secure, and on the page's origin.
import { CodedTypeError, type ArgumentErrorCode } from '../protocol/codedTypeError.js';
import { isLoopbackHost } from '../protocol/teamEndpoints.js';

/** `value` as an absolute URL; a clear error naming `field` otherwise (a bare path needs a page). */
export function absoluteUrl(value: unknown, field: string, code: ArgumentErrorCode): URL {
  if (typeof value !== 'string' || value === '') throw new CodedTypeError(`${field} is required: an absolute URL`, code);
  try {
    return new URL(value);
  } catch {
    if (value.startsWith('/')) throw new CodedTypeError(`${field} "${value}" is a path, which needs a page to resolve against: give an absolute URL`, code);
    throw new CodedTypeError(`${field} "${value}" is not an absolute URL`, code);
  }
}

/** An endpoint or API origin: https, or http on loopback only (RFC 9700 §2.6), without credentials. */
export function secureOrigin(value: string, field: string, code: ArgumentErrorCode): URL {
  const url = absoluteUrl(value, field, code);
  // Credentials in a URL would reach error messages, and fetch refuses them anyway.
  if (url.username !== '' || url.password !== '') throw new CodedTypeError(`${field} must not contain a user name or password`, code);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname)))
    throw new CodedTypeError(`${field} must use https (http only on loopback)`, code);
  return url;
}

/** A path such as `'/api/celonis/token'` means the page's own origin; without a page it stays as given, to be refused. */
export function onPage(value: unknown, pageUrl: string): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return value as string;
  let page: string;
  try {
    page = new URL(pageUrl).origin;
  } catch {
    return value;
  }
  // '/\\evil.example' or '/\t/evil.example' parse as another host: a path must stay on the page's origin.
  let url: URL | undefined;
  try {
    url = new URL(value, page);
  } catch {
    url = undefined;
  }
  if (url?.origin !== page) throw new CodedTypeError(`"${value}" is no path on this page's origin (${page})`, 'invalid_endpoint');
  return url.href;
}

/** The API proxy's base: a secure URL without query or fragment, kept without its trailing slash so paths append. */
export function apiBase(value: string, pageUrl: string): string {
  let resolved: string;
  try {
    resolved = onPage(value, pageUrl);
  } catch (error) {
    throw new CodedTypeError(`apiBaseUrl: ${(error as Error).message}`, 'invalid_api_base_url');
  }
  const url = secureOrigin(resolved, 'apiBaseUrl', 'invalid_api_base_url');
  if (url.search !== '' || url.href.includes('#')) throw new CodedTypeError('apiBaseUrl must not have a query or a fragment', 'invalid_api_base_url');
  // The token goes to every URL under it: the origin's root would be every path of the origin.
  if (url.pathname === '/') throw new CodedTypeError("apiBaseUrl must name the proxy's path, such as '/celonis'", 'invalid_api_base_url');
  return url.href.replace(/\/+$/, '');
}
