import type { IncomingMessage, ServerResponse } from 'node:http';
import { CodedTypeError } from '@celonis-auth/core/protocol';
import type { TokenRelay } from './tokenRelay.js';

/** A `node:http` request listener. */
export type NodeRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** A connect-style middleware, as Vite's `server.middlewares.use` takes. */
export type ConnectMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

// A base for building request URLs: the Host header is client-controlled and is not needed.
const LOCAL_BASE = 'http://relay.local';

/**
 * Serves a {@link TokenRelay} (or any web-standard handler) with `node:http`.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * createServer(toNodeHandler(relay)).listen(8080, '127.0.0.1');
 * ```
 */
export function toNodeHandler(relay: TokenRelay): NodeRequestListener {
  return (req, res) => {
    void serve(relay, req, res);
  };
}

/**
 * Mounts a {@link TokenRelay} at `path` in a connect-style stack such as Vite's dev server;
 * other paths go to `next()`. Mount it without a route prefix so `req.url` is the full path.
 *
 * @example
 * ```ts
 * // vite.config.ts, in a plugin:
 * configureServer(server) { server.middlewares.use(relayMiddleware(relay, { path: '/api/celonis/token' })) }
 * ```
 * @throws {CodedTypeError} `invalid_relay_path` when `path` does not start with `/` or has a query.
 */
export function relayMiddleware(relay: TokenRelay, options: { path: string }): ConnectMiddleware {
  const path = options?.path;
  if (typeof path !== 'string' || !path.startsWith('/') || path.includes('?')) {
    throw new CodedTypeError('relayMiddleware: path must be a URL path such as "/api/celonis/token"', 'invalid_relay_path');
  }
  return (req, res, next) => {
    if (new URL(req.url ?? '/', LOCAL_BASE).pathname !== path) return next();
    void serve(relay, req, res).catch(next);
  };
}

async function serve(relay: TokenRelay, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = requestBody(req);
  try {
    const response = await relay(toRequest(req, body.stream));
    res.statusCode = response.status;
    // Set-Cookie lines are set together: one setHeader per forEach entry would keep only the last.
    response.headers.forEach((value, name) => (name === 'set-cookie' ? undefined : res.setHeader(name, value)));
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) res.setHeader('Set-Cookie', cookies);
    res.end(Buffer.from(await response.arrayBuffer()));
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

function toRequest(req: IncomingMessage, stream: ReadableStream<Uint8Array>): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const [name, value] = [req.rawHeaders[i]!, req.rawHeaders[i + 1]!];
    // HTTP/2 pseudo-headers (":path") are not valid in a Headers object.
    if (!name.startsWith(':')) headers.append(name, value);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  // Node's fetch needs duplex 'half' for a streamed body; the DOM typings do not know the field.
  const init: RequestInit & { duplex?: 'half' } = hasBody ? { method, headers, body: stream, duplex: 'half' } : { method, headers };
  return new Request(new URL(req.url ?? '/', LOCAL_BASE), init);
}

// A pull-driven stream: Node reads the socket only as fast as the handler consumes the body.
function requestBody(req: IncomingMessage): { stream: ReadableStream<Uint8Array>; discardRest(): void } {
  let onData: ((chunk: Buffer) => void) | undefined;
  const detach = () => {
    if (onData) req.off('data', onData);
    onData = undefined;
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // An earlier middleware read the body already: 'end' will not come again, so end the stream now.
        if (req.readableEnded) return controller.close();
        onData = (chunk) => {
          controller.enqueue(new Uint8Array(chunk));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        };
        req.on('data', onData);
        req.pause();
        req.once('end', () => (onData ? controller.close() : undefined));
        req.once('error', (error) => (onData ? controller.error(error) : undefined));
      },
      pull() {
        req.resume();
      },
      cancel() {
        detach();
        req.resume();
      },
    },
    { highWaterMark: 1 },
  );
  return {
    stream,
    discardRest() {
      detach();
      req.resume();
    },
  };
}
