import { requestTarget } from './requestTarget.js';

/** Where the API proxy forwards a request: the upstream URL (team origin, path after `basePath`, query) and the path to log. */
export interface ApiProxyDestination {
  ok: true;
  url: string;
  /** The path without the query: the only part of the URL a log line shows. */
  logPath: string;
}

/** Why the API proxy does not forward a request's path. */
export interface ApiProxyPathRefusal {
  ok: false;
  status: 400 | 404;
  error: 'invalid_path' | 'not_found';
  description: string;
}

/** Where the API proxy forwards a request, or why it does not. */
export type ApiProxyTarget = ApiProxyDestination | ApiProxyPathRefusal;

// A segment may be decoded this often before it is refused: enough for any honest double encoding.
const MAX_DECODINGS = 3;
// Backslashes, slashes hidden in a segment, and control characters: servers disagree on what they mean.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const FORBIDDEN_IN_SEGMENT = /[\\/\u0000-\u001f\u007f]/;

/**
 * The upstream URL for `request`, built as text: `teamOrigin` + the path after `basePath` + the
 * query, so no request can name another host. Checked on the raw request target when a Node adapter
 * of this package built the request (a `Request`'s URL is already normalized) and on the URL:
 * - outside `basePath/` (including `basePath` itself): 404 `not_found`;
 * - a target that is not a path (`http://host/...`), empty segments (`//host`, `https://...`), `.`
 *   or `..` segments raw or percent-encoded at any depth (`%2e%2e`, `%252E.`, `..;x` as Java servers
 *   read it), backslashes (`\`, `%5c`), encoded slashes (`%2f`), control characters (`%00`) or
 *   malformed percent-encoding: 400 `invalid_path`.
 */
export function apiProxyTarget(request: Request, teamOrigin: string, basePath: string): ApiProxyTarget {
  const raw = requestTarget(request);
  if (raw !== undefined) {
    if (!raw.startsWith('/') || raw.includes('#')) return invalidPath('the request target must be a path, like /celonis/intelligence/api/...');
    const rawPath = raw.split('?', 1)[0]!;
    if (!rawPath.startsWith(`${basePath}/`)) return notFound(basePath);
    const problem = pathProblem(rawPath.slice(basePath.length));
    if (problem) return invalidPath(problem);
  }
  const url = new URL(request.url);
  if (!url.pathname.startsWith(`${basePath}/`)) return notFound(basePath);
  const rest = url.pathname.slice(basePath.length);
  const problem = pathProblem(rest);
  if (problem) return invalidPath(problem);
  const target = `${teamOrigin}${rest}${url.search}`;
  // Defence in depth: the text must parse back to the team's origin and to the very path checked.
  const parsed = new URL(target);
  if (parsed.origin !== teamOrigin || parsed.pathname !== rest) return invalidPath('the path does not stay on the team');
  return { ok: true, url: target, logPath: `${basePath}${rest}` };
}

// Why `path` (starting with "/", after basePath) is refused, or undefined.
function pathProblem(path: string): string | undefined {
  const segments = path.slice(1).split('/');
  for (const [index, segment] of segments.entries()) {
    // A trailing slash is fine; an empty segment elsewhere is how "//evil.example" and "https://" begin.
    if (segment === '' && index < segments.length - 1) return 'empty path segments ("//") are not forwarded';
    let text = segment;
    for (let decodings = 0; ; decodings++) {
      const bare = text.split(';', 1)[0]!;
      if (bare === '.' || bare === '..') return 'dot segments ("." and "..", also percent-encoded) are not forwarded';
      if (FORBIDDEN_IN_SEGMENT.test(text)) return 'backslashes, encoded slashes and control characters are not forwarded';
      const decoded = decodeOnce(text);
      // Malformed as sent is refused; deeper down it is just text ("100%25" is "100%").
      if (decoded === undefined && decodings === 0) return 'the path has malformed percent-encoding';
      if (decoded === undefined || decoded === text) break;
      if (decodings === MAX_DECODINGS) return 'the path is percent-encoded too many times';
      text = decoded;
    }
  }
  return undefined;
}

function decodeOnce(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function invalidPath(description: string): ApiProxyTarget {
  return { ok: false, status: 400, error: 'invalid_path', description };
}

function notFound(basePath: string): ApiProxyTarget {
  return { ok: false, status: 404, error: 'not_found', description: `this proxy forwards only paths under ${basePath}/` };
}
