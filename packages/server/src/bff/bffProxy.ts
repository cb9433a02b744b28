import { bearerChallenge } from '@celonis-auth/core/protocol';
import { capRequestBody } from '../apiProxyBody.js';
import { methodRefusal } from '../apiProxyGuard.js';
import { upstreamRequestHeaders } from '../apiProxyHeaders.js';
import { apiProxyTarget } from '../apiProxyTarget.js';
import { bodyRefusal, forwardToTeam } from '../apiProxyUpstream.js';
import { BFF_CSRF_HEADER, browserAuthorizationRefusal, crossSiteRefusal } from './bffGuards.js';
import type { SessionRefresher } from './bffRefresh.js';
import { bffJsonError, LOGIN_REQUIRED, SESSION_EXPIRED } from './bffResponses.js';
import { currentSession } from './bffSessionRoutes.js';
import type { BffSettings } from './bffSettings.js';
import { clearCookie } from './bffCookies.js';

/**
 * `{apiBasePath}/*`: the relay-mode API proxy (same target checks, header rules, caps and timeouts,
 * streamed answers), with the session's token instead of the browser's. In order: cross-site checks
 * and `X-Celonis-Auth: 1` (403), the path (400/404), the method (405), a browser `Authorization`
 * (400), a declared body over the cap (413), the session (401 `login_required`/`session_expired`),
 * the body, buffered up to the cap so it can be replayed (413, 408, 400), a refresh when due, then
 * the call. A 401 `invalid_token` from the API refreshes once and retries once with the same body.
 */
export async function handleApiCall(settings: BffSettings, refresher: SessionRefresher, request: Request): Promise<Response> {
  const refusal = crossSiteRefusal(request, settings.origins);
  if (refusal) return bffJsonError(refusal);
  const target = apiProxyTarget(request, settings.teamOrigin, settings.apiBasePath);
  if (!target.ok) return bffJsonError(target);
  const early = methodRefusal(request) ?? browserAuthorizationRefusal(request);
  if (early) return bffJsonError(early);
  const limit = settings.proxy.maxRequestBodyBytes;
  if (Number(request.headers.get('content-length') ?? '0') > limit) {
    return bffJsonError({ status: 413, error: 'request_too_large', description: `the request body is larger than ${limit} bytes` });
  }
  const session = await currentSession(settings, refresher, request);
  if (!session.ok) return bffJsonError(session.failure, session.setCookies);
  const body = await bufferBody(settings, request);
  if (body instanceof Response) return body;
  const headers = upstreamRequestHeaders(request.headers);
  headers.delete(BFF_CSRF_HEADER);
  const send = (token: string) => {
    headers.set('Authorization', `Bearer ${token}`);
    return forwardToTeam(settings.proxy, { request, url: target.url, logPath: target.logPath, origin: null, headers, body });
  };
  const first = await send(session.record.accessToken);
  if (first.status !== 401 || bearerChallenge(first).error !== 'invalid_token') return first;
  // The API refused a token the session still held: renew it once (or take another instance's renewal) and retry once.
  void first.body?.cancel().catch(() => undefined);
  const fresh = await refresher(session.hash, session.record, session.record.accessToken);
  const clear = [clearCookie(settings.cookie, settings.cookie.name)];
  if (fresh.kind === 'signedOut') return bffJsonError(LOGIN_REQUIRED, clear);
  if (fresh.kind === 'expired') return bffJsonError(SESSION_EXPIRED, clear);
  if (fresh.kind === 'failed') return bffJsonError(fresh.failure);
  return send(fresh.record.accessToken);
}

// The whole request body within the proxy's cap and body timeout, or the refusal; null when there is none.
async function bufferBody(settings: BffSettings, request: Request): Promise<Uint8Array<ArrayBuffer> | null | Response> {
  if (request.body === null) return null;
  const capped = capRequestBody(request.body, settings.proxy.maxRequestBodyBytes, settings.proxy.bodyTimeoutMs);
  try {
    return new Uint8Array(await new Response(capped.stream).arrayBuffer());
  } catch {
    return (
      bodyRefusal(capped, settings.proxy.maxRequestBodyBytes, null) ??
      bffJsonError({ status: 400, error: 'invalid_request', description: 'the request body could not be read' })
    );
  }
}
