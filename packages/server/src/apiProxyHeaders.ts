import { corsHeaders } from './relayCors.js';

// RFC 9110 §7.6.1: meaningful for one connection only (Proxy-Connection is the legacy spelling).
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/**
 * Request headers the team never sees: hop-by-hop ones; `Cookie` (the portal's, not the team's);
 * `Host` (fetch sets the team's); `Origin`, `Referer` and `Sec-Fetch-*` (they describe the
 * browser's page, which the team needs not know); `Expect` (Node answers 100-continue itself);
 * forwarding headers a client can forge (`Forwarded`, `X-Forwarded-*`, `X-Real-IP`); and
 * `Accept-Encoding`, replaced by `identity` so bodies arrive as the browser gets them.
 */
const NOT_UPSTREAM = new Set([
  ...HOP_BY_HOP,
  'cookie',
  'host',
  'origin',
  'referer',
  'expect',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-real-ip',
  'accept-encoding',
]);

/**
 * Response headers the browser never sees: hop-by-hop ones; `Set-Cookie` (a team cookie would land
 * on the portal's origin); and headers that would act on the portal's whole origin: `Alt-Svc`,
 * `Clear-Site-Data` (it could wipe the app's stored tokens), `Strict-Transport-Security`, and
 * policy, reporting and loading headers (`Service-Worker-Allowed`, `NEL`, `Report-To`, `Link`,
 * `Permissions-Policy`, `Cross-Origin-*-Policy`, ...); the team's `Content-Security-Policy`,
 * `X-Content-Type-Options` and `X-Frame-Options` are replaced by {@link LOCKDOWN_HEADERS}.
 * `Access-Control-*` go too: the browser talks to the proxy, whose own CORS answer replaces them.
 */
const NOT_DOWNSTREAM = new Set([
  ...HOP_BY_HOP,
  'set-cookie',
  'set-cookie2',
  'alt-svc',
  'clear-site-data',
  'strict-transport-security',
  // Origin-wide or page-level policy, reporting and loading hints: a team answer must set none of them.
  'service-worker-allowed',
  'nel',
  'report-to',
  'reporting-endpoints',
  'accept-ch',
  'critical-ch',
  'origin-agent-cluster',
  'permissions-policy',
  'refresh',
  'link',
  'content-security-policy-report-only',
  'cross-origin-opener-policy',
  'cross-origin-embedder-policy',
  'cross-origin-resource-policy',
  'set-login',
  'supports-loading-mode',
  'speculation-rules',
  'no-vary-search',
  'document-policy',
  // Replaced by ours below.
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
]);

/** Set on every proxied answer: should one ever render, it is a sandboxed page that loads nothing. */
const LOCKDOWN_HEADERS = {
  'Content-Security-Policy': "sandbox; default-src 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
} as const;

// Codings fetch decodes on its own (Fetch §4.6 "handle content codings"); the body then no longer has them.
const DECODED_CODINGS = new Set(['gzip', 'x-gzip', 'deflate', 'br', 'identity']);

/** The headers sent upstream: the browser's, `Authorization` unchanged, without {@link NOT_UPSTREAM} and what `Connection` names. */
export function upstreamRequestHeaders(headers: Headers): Headers {
  const named = connectionNamed(headers);
  const forwarded = new Headers();
  headers.forEach((value, name) => {
    if (!NOT_UPSTREAM.has(name) && !named.has(name) && !name.startsWith('sec-fetch-')) forwarded.append(name, value);
  });
  forwarded.set('Accept-Encoding', 'identity');
  return forwarded;
}

/** Where the browser's answer points: the team's own URLs rewritten to the proxy, others dropped. */
export interface ProxyLocation {
  teamOrigin: string;
  basePath: string;
  /** The upstream URL asked, to resolve a relative `Location` against. */
  upstreamUrl: string;
}

/**
 * The headers passed back: the team's status-line companions (`WWW-Authenticate`, `Retry-After`,
 * `Content-Type`, caching headers, ...) without {@link NOT_DOWNSTREAM}, `Access-Control-*` and what
 * `Connection` names; `Content-Encoding` and `Content-Length` dropped when fetch decoded the body;
 * `Location` and `Content-Location` on the team rewritten to `basePath` + path, others dropped (no
 * open redirect through the portal); the CORS headers of an allowed `origin` added, `Vary: Origin` kept.
 */
export function downstreamResponseHeaders(upstream: Headers, location: ProxyLocation, origin: string | null): Headers {
  const named = connectionNamed(upstream);
  const passed = new Headers();
  upstream.forEach((value, name) => {
    if (!NOT_DOWNSTREAM.has(name) && !named.has(name) && !name.startsWith('access-control-')) passed.append(name, value);
  });
  const coding = upstream.get('content-encoding');
  if (coding !== null && coding.split(',').every((c) => DECODED_CODINGS.has(c.trim().toLowerCase()))) {
    passed.delete('content-encoding');
    passed.delete('content-length');
  }
  for (const name of ['location', 'content-location']) {
    const value = passed.get(name);
    const rewritten = value === null ? undefined : proxiedLocation(value, location);
    if (rewritten === undefined) passed.delete(name);
    else passed.set(name, rewritten);
  }
  for (const [name, value] of Object.entries(LOCKDOWN_HEADERS)) passed.set(name, value);
  const cors = corsHeaders(origin, 'Retry-After, WWW-Authenticate');
  for (const [name, value] of Object.entries(cors)) if (name !== 'Vary') passed.set(name, value);
  const vary = passed.get('vary');
  if (vary === null) passed.set('Vary', 'Origin');
  else if (!vary.split(',').some((v) => ['*', 'origin'].includes(v.trim().toLowerCase()))) passed.set('Vary', `${vary}, Origin`);
  return passed;
}

// A URL on the team, as the path under the proxy; anything else (another host, garbage) is undefined.
function proxiedLocation(value: string, { teamOrigin, basePath, upstreamUrl }: ProxyLocation): string | undefined {
  let url: URL;
  try {
    url = new URL(value, upstreamUrl);
  } catch {
    return undefined;
  }
  return url.origin === teamOrigin ? `${basePath}${url.pathname}${url.search}${url.hash}` : undefined;
}

// RFC 9110 §7.6.1: a header named in Connection is hop-by-hop as well.
function connectionNamed(headers: Headers): Set<string> {
  const value = headers.get('connection') ?? '';
  return new Set(
    value
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter((token) => token !== ''),
  );
}
