import { CodedTypeError } from '@celonis-auth/core/protocol';

/**
 * Checks an `allowedOrigins` option: exact origins such as `http://localhost:5173`, no wildcards.
 *
 * @throws {CodedTypeError} `invalid_allowed_origins`, naming the entry to fix.
 */
export function checkAllowedOrigins(value: unknown, allowWithoutOrigin: boolean, where: string): ReadonlySet<string> {
  if (!Array.isArray(value))
    throw new CodedTypeError(`${where}: allowedOrigins must be an array of origins, e.g. ['http://localhost:5173']`, 'invalid_allowed_origins');
  const origins = new Set<string>();
  for (const [index, origin] of value.entries()) {
    let url: URL | undefined;
    try {
      url = typeof origin === 'string' ? new URL(origin) : undefined;
    } catch {
      url = undefined;
    }
    if (!url || url.origin === 'null' || url.origin !== origin) {
      throw new CodedTypeError(
        `${where}: allowedOrigins[${index}] ${JSON.stringify(origin)} must be an exact origin like "https://portal.example.com" (scheme, host, port; no path, no trailing slash, no "*")`,
        'invalid_allowed_origins',
      );
    }
    origins.add(url.origin);
  }
  if (origins.size === 0 && !allowWithoutOrigin) {
    throw new CodedTypeError(`${where}: allowedOrigins is empty, so every browser request would be refused; list your SPA's origin`, 'invalid_allowed_origins');
  }
  return origins;
}

/**
 * The CORS headers of a response to an allowed `origin` (no credentials: the relay and the proxy use none).
 *
 * @param exposed the response headers a script may read beyond the safelisted ones.
 */
export function corsHeaders(origin: string | null, exposed = 'Retry-After'): Record<string, string> {
  // Vary on every response: whether CORS headers appear depends on Origin, so caches must key on it.
  if (origin === null) return { Vary: 'Origin' };
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': exposed, Vary: 'Origin' };
}

/** What a preflight allows: the token relay's `POST` with `Content-Type` unless told otherwise. */
export interface PreflightAllowance {
  methods: string;
  headers: string;
}

/** The answer to a CORS preflight from an allowed `origin`. */
export function preflightResponse(origin: string, allow: PreflightAllowance = { methods: 'POST', headers: 'Content-Type' }): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...corsHeaders(origin),
      'Access-Control-Allow-Methods': allow.methods,
      'Access-Control-Allow-Headers': allow.headers,
      'Access-Control-Max-Age': '600',
    },
  });
}
