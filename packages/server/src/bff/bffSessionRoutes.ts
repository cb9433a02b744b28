import { clearCookie } from './bffCookies.js';
import { crossSiteRefusal } from './bffGuards.js';
import type { SessionRefresher } from './bffRefresh.js';
import { bffJson, bffJsonError, LOGIN_REQUIRED, SESSION_EXPIRED, type BffFailure } from './bffResponses.js';
import { readSession, sessionCookie, sessionKey, touchSession, type SessionRecord } from './bffSessions.js';
import type { BffSettings } from './bffSettings.js';

/** The session of a request with a usable token, or the answer to give instead. */
export type CurrentSession = { ok: true; hash: string; record: SessionRecord } | { ok: false; failure: BffFailure; setCookies: string[] };

/**
 * The request's session with a token refreshed when due, its idle timeout slid: no cookie or no
 * record is 401 `login_required`, a refused refresh token 401 `session_expired` (cookie cleared in
 * both cases when one was sent), a failed refresh of an expired token 502/503. Store failures reject.
 */
export async function currentSession(settings: BffSettings, refresher: SessionRefresher, request: Request): Promise<CurrentSession> {
  const cookie = sessionCookie(settings, request);
  const clear = cookie.present ? [clearCookie(settings.cookie, settings.cookie.name)] : [];
  const record = cookie.hash === null ? null : await readSession(settings, cookie.hash);
  if (cookie.hash === null || record === null) return { ok: false, failure: LOGIN_REQUIRED, setCookies: clear };
  const fresh = await refresher(cookie.hash, record);
  if (fresh.kind === 'signedOut') return { ok: false, failure: LOGIN_REQUIRED, setCookies: clear };
  if (fresh.kind === 'expired') return { ok: false, failure: SESSION_EXPIRED, setCookies: clear };
  if (fresh.kind === 'failed') return { ok: false, failure: fresh.failure, setCookies: [] };
  await touchSession(settings, cookie.hash, fresh.record);
  return { ok: true, hash: cookie.hash, record: fresh.record };
}

/**
 * `GET {basePath}/session`: `{ status: 'authenticated', scopes, expiresAt }` (the access token's expiry,
 * ms since the epoch, after a refresh when it was due) or `{ status: 'signedOut', scopes: [], expiresAt: null }`;
 * `Cache-Control: no-store`, never a token. A failed refresh of an expired token answers 502/503 JSON.
 */
export async function handleSession(settings: BffSettings, refresher: SessionRefresher, request: Request): Promise<Response> {
  const session = await currentSession(settings, refresher, request);
  if (session.ok) return bffJson({ status: 'authenticated', scopes: session.record.scopes, expiresAt: session.record.expiresAt });
  if (session.failure.status >= 500) return bffJsonError(session.failure);
  return bffJson({ status: 'signedOut', scopes: [], expiresAt: null }, session.setCookies);
}

/**
 * `POST {basePath}/logout` with `X-Celonis-Auth: 1` from the portal's own origin: deletes the session
 * server-side and clears the cookie; 204, with or without a session. Cross-site: 403.
 */
export async function handleLogout(settings: BffSettings, request: Request): Promise<Response> {
  const refusal = crossSiteRefusal(request, settings.origins);
  if (refusal) return bffJsonError(refusal);
  const cookie = sessionCookie(settings, request);
  if (cookie.hash !== null) await settings.store.delete(sessionKey(cookie.hash));
  const headers = new Headers({ 'Cache-Control': 'no-store' });
  if (cookie.present) headers.append('Set-Cookie', clearCookie(settings.cookie, settings.cookie.name));
  return new Response(null, { status: 204, headers });
}
