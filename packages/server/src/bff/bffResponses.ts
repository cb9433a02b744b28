import { oauthErrorResponse } from '../relayErrorResponse.js';
import type { SessionStoreUnavailableError } from '../sessionStore/sessionStore.js';

/** What a sign-in page or JSON answer of the BFF says went wrong. */
export interface BffFailure {
  status: number;
  /** A stable code, e.g. `state_mismatch`, `login_required`, `session_store_unavailable`. */
  error: string;
  /** Plain words for people. */
  description: string;
  headers?: Record<string, string>;
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** The BFF's JSON answer `{ error, error_description }` with `Cache-Control: no-store`, and `Set-Cookie` lines if any. */
export function bffJsonError(failure: BffFailure, setCookies: readonly string[] = []): Response {
  const response = oauthErrorResponse(failure.status, failure.error, failure.description, null, failure.headers);
  for (const line of setCookies) response.headers.append('Set-Cookie', line);
  return response;
}

/** A JSON body with `Cache-Control: no-store`, and `Set-Cookie` lines if any. */
export function bffJson(body: unknown, setCookies: readonly string[] = []): Response {
  const response = Response.json(body, { headers: { ...NO_STORE, Vary: 'Cookie' } });
  for (const line of setCookies) response.headers.append('Set-Cookie', line);
  return response;
}

/** No session cookie, or one whose session is gone: 401 `login_required`. */
export const LOGIN_REQUIRED: BffFailure = { status: 401, error: 'login_required', description: 'there is no session: sign in at the login route' };

/** The refresh token was refused (`invalid_grant`): the session is over. */
export const SESSION_EXPIRED: BffFailure = {
  status: 401,
  error: 'session_expired',
  description: 'the session ended (its refresh token was refused): sign in again',
};

/** The session store failed: 503 `session_store_unavailable` with `Retry-After`; nothing stored was changed. */
export function storeUnavailable(error: SessionStoreUnavailableError): BffFailure {
  return {
    status: 503,
    error: 'session_store_unavailable',
    description: 'the session store cannot be reached right now: try again shortly',
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(error.retryAfterSeconds))) },
  };
}

/** A 302 to `location`, with `Cache-Control: no-store`, `Referrer-Policy: no-referrer` and `Set-Cookie` lines. */
export function redirect(location: string, setCookies: readonly string[]): Response {
  const headers = new Headers({ Location: location, ...NO_STORE, 'Referrer-Policy': 'no-referrer' });
  for (const line of setCookies) headers.append('Set-Cookie', line);
  return new Response(null, { status: 302, headers });
}
