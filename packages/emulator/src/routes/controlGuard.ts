import type { MiddlewareHandler } from 'hono';
import type { EmulatorEnv } from '../emulatorContext.js';

// Methods that change nothing; every other one must carry JSON, which a page cannot send cross-site unasked.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Guards the control surface against web pages the developer happens to visit: a POST or DELETE
 * without `Content-Type: application/json` is refused with 415, so a plain form or `text/plain`
 * post cannot drive it, and a JSON one needs a CORS preflight the control surface never approves.
 * A page on a rebound name is refused before this, on every route, by `hostGuard`.
 */
export function controlGuard(): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!SAFE_METHODS.has(c.req.method) && type !== 'application/json') {
      return c.json(
        { error: 'invalid_request', error_description: `${c.req.method} requests to the control surface must be sent with Content-Type: application/json` },
        415,
      );
    }
    return next();
  };
}
