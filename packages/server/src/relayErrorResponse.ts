import { corsHeaders } from './relayCors.js';

/**
 * An RFC 6749 §5.2 error answer of the relay: `{ error, error_description }` as JSON, with the CORS
 * headers of an allowed `origin` and `Cache-Control: no-store`.
 *
 * @param extra further headers, e.g. `Allow` for a 405 or `Connection: close` for a 408.
 */
export function oauthErrorResponse(status: number, error: string, description: string, origin: string | null, extra: Record<string, string> = {}): Response {
  return Response.json(
    { error, error_description: description },
    { status, headers: { ...corsHeaders(origin), 'Cache-Control': 'no-store', Pragma: 'no-cache', ...extra } },
  );
}
