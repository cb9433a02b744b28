// Answers of a fake server, for a fakeFetch responder.
import type { Responder } from './fakeFetch.js';

/** A JSON response (`body` as is when it is already a string, to send malformed JSON). */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

/**
 * A token endpoint answer with fresh tokens numbered by `n` (`access-n`, `refresh-n`, Bearer,
 * 899 s, scope `studio`); `extra` adds or replaces fields.
 */
export function tokenResponse(n: number, extra: Record<string, unknown> = {}): Response {
  return json({ access_token: `access-${n}`, refresh_token: `refresh-${n}`, token_type: 'Bearer', expires_in: 899, scope: 'studio', ...extra });
}

/** An OAuth error response of the token endpoint (RFC 6749 §5.2). */
export function oauthError(error: string, status = 400, description?: string): Response {
  return json({ error, ...(description === undefined ? {} : { error_description: description }) }, status);
}

/** A token endpoint that rotates: the i-th refresh (from 0) answers `access-(i+2)` / `refresh-(i+2)`. */
export const rotating: Responder = (_request, index) => tokenResponse(index + 2);
