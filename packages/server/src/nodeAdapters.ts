import type { IncomingMessage, ServerResponse } from 'node:http';
import { CodedTypeError } from '@celonis-auth/core/protocol';
import type { CelonisApiProxy } from './apiProxy.js';
import type { CelonisBff } from './bff/createCelonisBff.js';
import { checkInteger } from './optionChecks.js';
import { LOCAL_BASE, serve } from './nodeServe.js';
import { DEFAULT_BODY_TIMEOUT_MS } from './relayRequestBody.js';

/** A web-standard request handler, as `createTokenRelay` and `createCelonisApiProxy` return. */
export type WebRequestHandler = (request: Request) => Promise<Response>;

/** A `node:http` request listener. */
export type NodeRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** A connect-style middleware, as Vite's `server.middlewares.use` takes. */
export type ConnectMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** Options of {@link toNodeHandler}, {@link relayMiddleware} and {@link apiProxyMiddleware}. */
export interface NodeAdapterOptions {
  /**
   * The longest a request body may take to arrive in full, in ms from the request's start. Past it a
   * handler still reading the body sees it fail with a `TimeoutError` (the relay answers 408), and the
   * connection is closed once the answer is written, also when the handler answered without reading
   * the body (a 403 to a slow upload). Default 5 000.
   */
  bodyTimeoutMs?: number;
}

/**
 * Serves a web-standard handler (a token relay, an API proxy, any {@link WebRequestHandler}) with
 * `node:http`. A request body must arrive within `bodyTimeoutMs` (see {@link NodeAdapterOptions}).
 * Requests no web `Request` can hold never reach the handler: `CONNECT`, `TRACE` and `TRACK` get 405
 * `method_not_allowed` (with `Allow`), a target that is not a parseable path (`//[`, `//a:b`) 400
 * `invalid_path`, both JSON with `Cache-Control: no-store`.
 * The response body is streamed with backpressure, never buffered whole; when the client goes away
 * the handler's `request.signal` aborts and the response body is cancelled.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * createServer(toNodeHandler(relay)).listen(8080, '127.0.0.1');
 * ```
 * @throws {CodedTypeError} `invalid_option` when `bodyTimeoutMs` is not a whole number from 1 to 600 000.
 */
export function toNodeHandler(handler: WebRequestHandler, options: NodeAdapterOptions = {}): NodeRequestListener {
  const bodyTimeoutMs = checkBodyTimeout(options, 'toNodeHandler');
  return (req, res) => {
    void serve(handler, req, res, bodyTimeoutMs);
  };
}

/**
 * Mounts a token relay (or any {@link WebRequestHandler}) at `path` in a connect-style stack such as Vite's dev server;
 * other paths go to `next()`. Mount it without a route prefix so `req.url` is the full path.
 *
 * @example
 * ```ts
 * // vite.config.ts, in a plugin:
 * configureServer(server) { server.middlewares.use(relayMiddleware(relay, { path: '/api/celonis/token' })) }
 * ```
 * @throws {CodedTypeError} `invalid_relay_path` when `path` does not start with `/` or has a query;
 *   `invalid_option` when `bodyTimeoutMs` is not a whole number from 1 to 600 000.
 */
export function relayMiddleware(relay: WebRequestHandler, options: { path: string } & NodeAdapterOptions): ConnectMiddleware {
  const path = options?.path;
  if (typeof path !== 'string' || !path.startsWith('/') || path.includes('?')) {
    throw new CodedTypeError('relayMiddleware: path must be a URL path such as "/api/celonis/token"', 'invalid_relay_path');
  }
  const bodyTimeoutMs = checkBodyTimeout(options, 'relayMiddleware');
  return (req, res, next) => {
    if (new URL(req.url ?? '/', LOCAL_BASE).pathname !== path) return next();
    void serve(relay, req, res, bodyTimeoutMs).catch(next);
  };
}

/**
 * Mounts a {@link CelonisApiProxy} on its `basePath` in a connect-style stack such as Vite's dev and
 * preview servers: requests under `basePath/` (compared as sent, before any normalization, so
 * `/celonis/../x` reaches the proxy and is refused there) go to the proxy, the rest to `next()`.
 * Mount it without a route prefix, and before any body parser.
 *
 * @example
 * ```ts
 * // vite.config.ts
 * const proxy = createCelonisApiProxy({ teamUrl: 'http://127.0.0.1:8787', allowedOrigins: ['http://localhost:5173'] });
 * export default defineConfig({
 *   plugins: [{
 *     name: 'celonis-api-proxy',
 *     configureServer: (server) => void server.middlewares.use(apiProxyMiddleware(proxy)),
 *     configurePreviewServer: (server) => void server.middlewares.use(apiProxyMiddleware(proxy)),
 *   }],
 * });
 * ```
 * @throws {CodedTypeError} `invalid_argument` when `proxy` is not one `createCelonisApiProxy` made;
 *   `invalid_option` when `bodyTimeoutMs` is not a whole number from 1 to 600 000.
 */
export function apiProxyMiddleware(proxy: CelonisApiProxy, options: NodeAdapterOptions = {}): ConnectMiddleware {
  if (typeof proxy !== 'function' || typeof proxy.basePath !== 'string') {
    throw new CodedTypeError('apiProxyMiddleware: pass the proxy createCelonisApiProxy returned', 'invalid_argument');
  }
  const bodyTimeoutMs = checkBodyTimeout(options, 'apiProxyMiddleware');
  const prefix = `${proxy.basePath}/`;
  return (req, res, next) => {
    if (!(req.url ?? '/').startsWith(prefix)) return next();
    void serve(proxy, req, res, bodyTimeoutMs).catch(next);
  };
}

/**
 * Mounts a {@link CelonisBff} in a connect-style stack such as Vite's dev and preview servers:
 * requests under `basePath/` and `apiBasePath/` (compared as sent, so `/celonis/../x` reaches the
 * BFF and is refused there) and to `callbackPath` go to the BFF, the rest to `next()`. Mount it
 * without a route prefix, and before any body parser.
 *
 * @example
 * ```ts
 * // vite.config.ts
 * const bff = createCelonisBff({ teamUrl: 'http://127.0.0.1:8787', clientId: 'portal', clientSecret: 'portal-secret',
 *   allowedOrigins: ['http://localhost:5173'], redirectUri: 'http://localhost:5173/callback', scopes: ['studio'], encryptionKeys: [key] });
 * export default defineConfig({
 *   plugins: [{ name: 'celonis-bff', configureServer: (server) => void server.middlewares.use(bffMiddleware(bff)) }],
 * });
 * ```
 * @throws {CodedTypeError} `invalid_argument` when `bff` is not one `createCelonisBff` made;
 *   `invalid_option` when `bodyTimeoutMs` is not a whole number from 1 to 600 000.
 */
export function bffMiddleware(bff: CelonisBff, options: NodeAdapterOptions = {}): ConnectMiddleware {
  if (typeof bff !== 'function' || typeof bff.basePath !== 'string' || typeof bff.apiBasePath !== 'string' || typeof bff.callbackPath !== 'string') {
    throw new CodedTypeError('bffMiddleware: pass the handler createCelonisBff returned', 'invalid_argument');
  }
  const bodyTimeoutMs = checkBodyTimeout(options, 'bffMiddleware');
  const prefixes = [`${bff.basePath}/`, `${bff.apiBasePath}/`];
  return (req, res, next) => {
    const url = req.url ?? '/';
    const mine = prefixes.some((prefix) => url.startsWith(prefix)) || new URL(url, LOCAL_BASE).pathname === bff.callbackPath;
    if (!mine) return next();
    void serve(bff, req, res, bodyTimeoutMs).catch(next);
  };
}

function checkBodyTimeout(options: NodeAdapterOptions | undefined, where: string): number {
  if (typeof options !== 'object' || options === null) throw new CodedTypeError(`${where}: options must be an object`, 'invalid_option');
  return checkInteger(options.bodyTimeoutMs, DEFAULT_BODY_TIMEOUT_MS, 1, 600_000, 'bodyTimeoutMs', where);
}
