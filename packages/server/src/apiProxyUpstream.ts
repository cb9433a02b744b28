import { capRequestBody, capResponseBody, type CappedRequestBody, type ResponseBodyCut } from './apiProxyBody.js';
import { downstreamResponseHeaders, upstreamRequestHeaders } from './apiProxyHeaders.js';
import type { ApiProxySettings } from './apiProxyOptions.js';
import { oauthErrorResponse as proxyError } from './relayErrorResponse.js';

// RFC 9110 §6.4.1: these answers have no body, whatever the upstream stream holds.
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/** One request on its way to the team. */
export interface UpstreamCall {
  request: Request;
  /** The checked upstream URL, on the team's origin. */
  url: string;
  /** The path without the query, the only part of the URL that is logged. */
  logPath: string;
  /** The browser's allowed `Origin`, or null. */
  origin: string | null;
  /** The headers to send instead of the browser's filtered ones (the BFF's carry the session's token). */
  headers?: Headers;
  /** A body read in advance (the BFF buffers it so a retry can replay it) instead of streaming `request.body`. */
  body?: Uint8Array<ArrayBuffer> | null;
}

/**
 * Sends `call` to the team and streams the answer back: no redirect followed (`redirect: 'manual'`),
 * the request body streamed (`duplex: 'half'`) within its caps, the response body within
 * `maxResponseBodyBytes` and cut, with the upstream call aborted, when no chunk comes within `timeoutMs`. Failures answer JSON with `Cache-Control: no-store` and one log line
 * (method, path without query, status, error name; never headers, tokens or queries):
 * 502 `upstream_unreachable`, 504 `upstream_timeout` (no answer headers within `timeoutMs`),
 * 502 `upstream_response_too_large` (a `Content-Length` over the cap), 502 `upstream_invalid_response`
 * (a status outside 200-599, its body cancelled), and for the body 413
 * `request_too_large`, 408 `request_timeout` (with `Connection: close`) or 400 `invalid_request`.
 */
export async function forwardToTeam(settings: ApiProxySettings, call: UpstreamCall): Promise<Response> {
  const release = settings.slots.acquire();
  if (!release) {
    if (settings.slots.shouldWarn())
      settings.logger.warn(`celonis-auth API proxy: ${settings.slots.limit} calls open to the team, its limit: answering 503 proxy_busy`);
    return proxyError(503, 'proxy_busy', `the API proxy has ${settings.slots.limit} calls open to the Celonis team: try again in a moment`, call.origin, {
      'Retry-After': '1',
    });
  }
  const answer = await callTeam(settings, call);
  // The slot is held while the body streams: until it is read to its end, fails or is cancelled.
  if (answer.body === null) {
    release();
    return answer;
  }
  return new Response(releasedAtEnd(answer.body, release), { status: answer.status, statusText: answer.statusText, headers: answer.headers });
}

// The call itself: its answer, or the proxy's own for a failure (timeout, unreachable, an invalid or oversized answer).
async function callTeam(settings: ApiProxySettings, call: UpstreamCall): Promise<Response> {
  const { request, origin } = call;
  const log = (status: number, what: string) => settings.logger.warn(`celonis-auth API proxy: ${request.method} ${call.logPath} → ${status} ${what}`);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new DOMException(`no answer within ${settings.timeoutMs} ms`, 'TimeoutError')), settings.timeoutMs);
  const body =
    call.body !== undefined || request.body === null ? undefined : capRequestBody(request.body, settings.maxRequestBodyBytes, settings.bodyTimeoutMs);
  // Node's fetch needs duplex 'half' for a streamed body; the DOM typings do not know the field.
  const init: RequestInit & { duplex?: 'half' } = {
    method: request.method,
    headers: call.headers ?? upstreamRequestHeaders(request.headers),
    redirect: 'manual',
    // The browser going away (the Node adapter aborts request.signal) ends the upstream call too.
    signal: AbortSignal.any([timeout.signal, request.signal]),
    ...(body ? { body: body.stream, duplex: 'half' } : call.body ? { body: call.body } : {}),
  };
  let upstream: Response;
  try {
    upstream = await settings.fetch(call.url, init);
  } catch (error) {
    const refused = bodyRefusal(body, settings.maxRequestBodyBytes, origin);
    if (refused) return refused;
    if (timeout.signal.aborted) {
      log(504, 'upstream_timeout (TimeoutError)');
      return proxyError(504, 'upstream_timeout', 'the Celonis team did not answer in time', origin);
    }
    // A browser that went away reads no answer, and its leaving is no upstream failure worth a line.
    if (!request.signal.aborted) log(502, `upstream_unreachable (${errorName(error)})`);
    return proxyError(502, 'upstream_unreachable', 'the Celonis team could not be reached', origin);
  } finally {
    clearTimeout(timer);
  }
  if (upstream.status < 200 || upstream.status > 599) {
    // A Response cannot carry such a status (and 1xx are not final answers): refuse it, never improvise.
    void upstream.body?.cancel().catch(() => undefined);
    log(502, `upstream_invalid_response (status ${upstream.status})`);
    return proxyError(502, 'upstream_invalid_response', 'the Celonis team answered with an invalid status', origin);
  }
  const declared = Number(upstream.headers.get('content-length') ?? '0');
  if (declared > settings.maxResponseBodyBytes) {
    void upstream.body?.cancel().catch(() => undefined);
    log(502, 'upstream_response_too_large (Content-Length)');
    return proxyError(502, 'upstream_response_too_large', `the Celonis team answered more than ${settings.maxResponseBodyBytes} bytes`, origin);
  }
  const headers = downstreamResponseHeaders(upstream.headers, { teamOrigin: settings.teamOrigin, basePath: settings.basePath, upstreamUrl: call.url }, origin);
  if (upstream.body === null || request.method === 'HEAD' || NULL_BODY_STATUSES.has(upstream.status)) {
    void upstream.body?.cancel().catch(() => undefined);
    return new Response(null, { status: upstream.status, statusText: upstream.statusText, headers });
  }
  const cut = (why: ResponseBodyCut) => {
    if (why === 'too-large') return log(upstream.status, `upstream_response_too_large (cut at ${settings.maxResponseBodyBytes} bytes)`);
    // Cancelling the body ends the upstream read; aborting the signal ends the call for good.
    timeout.abort(new DOMException(`no response data within ${settings.timeoutMs} ms`, 'TimeoutError'));
    log(upstream.status, `upstream_timeout (no body data within ${settings.timeoutMs} ms, cut)`);
  };
  return new Response(capResponseBody(upstream.body, settings.maxResponseBodyBytes, settings.timeoutMs, cut), {
    status: upstream.status,
    statusText: upstream.statusText,
    headers,
  });
}

// `body` passed on as it is; `release` runs once when it ends, fails or is cancelled.
function releasedAtEnd(body: ReadableStream<Uint8Array>, release: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          release();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        release();
        controller.error(error);
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
}

/** The answer when a body was cut (413, 408 with `Connection: close`, 400), else undefined. */
export function bodyRefusal(body: CappedRequestBody | undefined, maxBytes: number, origin: string | null): Response | undefined {
  switch (body?.failure()) {
    case 'too-large':
      return proxyError(413, 'request_too_large', `the request body is larger than ${maxBytes} bytes`, origin);
    case 'too-slow':
      // RFC 9110 §15.5.9: after a 408 the connection is closed, so a slow sender cannot keep it.
      return proxyError(408, 'request_timeout', 'the request body did not arrive in time', origin, { Connection: 'close' });
    case 'unreadable':
      return proxyError(400, 'invalid_request', 'the request body could not be read', origin);
    default:
      return undefined;
  }
}

// A name for the log: the error's and its cause's names or codes, never a message (it may quote the URL).
function errorName(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const cause: unknown = error.cause;
  const detail = cause instanceof Error ? ((cause as Error & { code?: unknown }).code ?? cause.name) : undefined;
  return typeof detail === 'string' && /^[\w.-]{1,64}$/.test(detail) ? `${error.name}: ${detail}` : error.name;
}
