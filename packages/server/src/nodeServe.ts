// One node:http request served by a web-standard handler: refused when no web Request can hold it,
// otherwise built with its streamed body, handled, and the answer written with backpressure.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebRequestHandler } from './nodeAdapters.js';
import { nodeRequestBody } from './nodeRequestBody.js';
import { writeWebResponse } from './nodeResponse.js';
import { rememberRequestTarget } from './requestTarget.js';

/** A base for building request URLs: the Host header is client-controlled and is not needed. */
export const LOCAL_BASE = 'http://relay.local';

// Fetch §2.2.1 forbidden methods: `new Request` throws for them, so no handler could ever take one.
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
// The methods a handler of this package may take (its own checks narrow them), for the 405's Allow.
const ADAPTER_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

/** A 405 for a method no handler can take, or a 400 for a target that does not parse; undefined when the request can be built. */
function unbuildable(req: IncomingMessage): Response | undefined {
  const json = (status: number, error: string, description: string, extra: Record<string, string> = {}) =>
    new Response(JSON.stringify({ error, error_description: description }), {
      status,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...extra },
    });
  if (FORBIDDEN_METHODS.has((req.method ?? 'GET').toUpperCase())) {
    return json(405, 'method_not_allowed', `this server takes ${ADAPTER_METHODS}`, { Allow: ADAPTER_METHODS });
  }
  const target = req.url ?? '/';
  if (!URL.canParse(target, LOCAL_BASE)) return json(400, 'invalid_path', 'the request target must be a path, like /celonis/...');
  return undefined;
}

/** Serves `req` with `handler`; a failing handler becomes a bare 500 `server_error`, never a hung request. */
export async function serve(handler: WebRequestHandler, req: IncomingMessage, res: ServerResponse, bodyTimeoutMs: number): Promise<void> {
  const body = nodeRequestBody(req, res, bodyTimeoutMs);
  try {
    // Checked before `new Request`, which would throw: the client gets a typed answer, not a bare 500.
    const refusal = unbuildable(req);
    const response = refusal ?? (await handler(toRequest(req, res, body.stream)));
    await writeWebResponse(response, res, req.method ?? 'GET');
  } catch {
    if (!res.headersSent) {
      res.statusCode = 500;
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Cache-Control', 'no-store');
    }
    res.end(res.headersSent ? undefined : JSON.stringify({ error: 'server_error' }));
  } finally {
    // Whatever the handler did not read is discarded, so the connection can carry the response.
    body.discardRest();
  }
}

function toRequest(req: IncomingMessage, res: ServerResponse, stream: ReadableStream<Uint8Array>): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const [name, value] = [req.rawHeaders[i]!, req.rawHeaders[i + 1]!];
    // HTTP/2 pseudo-headers (":path") are not valid in a Headers object.
    if (!name.startsWith(':')) headers.append(name, value);
  }
  const method = req.method ?? 'GET';
  // RFC 9112 §6.3: without Content-Length or Transfer-Encoding a request has no body.
  const framed = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? '0') > 0;
  const hasBody = method !== 'GET' && method !== 'HEAD' && framed;
  // A client that goes away before its answer is written aborts the handler's work (an upstream fetch).
  const gone = new AbortController();
  res.once('close', () => (res.writableFinished ? undefined : gone.abort(new DOMException('the client went away', 'AbortError'))));
  // Node's fetch needs duplex 'half' for a streamed body; the DOM typings do not know the field.
  const init: RequestInit & { duplex?: 'half' } = hasBody
    ? { method, headers, body: stream, duplex: 'half', signal: gone.signal }
    : { method, headers, signal: gone.signal };
  const request = new Request(new URL(req.url ?? '/', LOCAL_BASE), init);
  rememberRequestTarget(request, req.url ?? '/');
  return request;
}
