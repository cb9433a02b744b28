import { CodedTypeError } from '../protocol/codedTypeError.js';

/**
 * Resolves where to send the user after login: a same-origin location, kept as path, query and
 * fragment so it can never point elsewhere (no open redirect, RFC 9700 §4.11).
 *
 * @throws {CodedTypeError} `invalid_return_to` when `returnTo` is not a string or resolves to another origin.
 */
export function resolveReturnTo(returnTo: string | undefined, pageUrl: string, fallbackOrigin: string): string {
  let page: URL;
  try {
    page = new URL(pageUrl);
  } catch {
    page = new URL('/', fallbackOrigin);
  }
  if (returnTo === undefined) return pathOf(page);
  if (typeof returnTo !== 'string') throw new CodedTypeError('returnTo must be a string such as "/reports?id=1"', 'invalid_return_to');
  let target: URL;
  try {
    target = new URL(returnTo, page);
  } catch {
    throw new CodedTypeError(`returnTo "${returnTo}" is not a valid URL`, 'invalid_return_to');
  }
  if (target.origin !== page.origin) throw new CodedTypeError(`returnTo must be on this origin (${page.origin}); got "${returnTo}"`, 'invalid_return_to');
  return pathOf(target);
}

function pathOf(url: URL): string {
  // "/.//evil.example" parses to the path "//evil.example", which a router would read as another host.
  // A literal backslash stays in a query or fragment as parsed; encoded, the path passes isOwnPath when read back.
  return `${url.pathname.replace(/^\/{2,}/, '/')}${url.search.replace(/\\/g, '%5C')}${url.hash.replace(/\\/g, '%5C')}`;
}

/**
 * Whether a `returnTo` read back from storage is still a path on this origin (as {@link resolveReturnTo}
 * makes them): stored values are checked again, since anything with access to storage could have changed them.
 */
export function isOwnPath(path: unknown): path is string {
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || /[\\\t\n\r]/.test(path)) return false;
  try {
    return new URL(path, 'https://own.invalid').origin === 'https://own.invalid';
  } catch {
    return false;
  }
}
