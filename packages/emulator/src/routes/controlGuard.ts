import type { MiddlewareHandler } from 'hono';
import type { EmulatorEnv } from '../emulatorContext.js';

// Methods that change nothing; every other one must carry JSON, which a page cannot send cross-site unasked.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Guards the control surface against web pages the developer happens to visit: a `Host` other
 * than the emulator's own `host:port` (or a loopback name with its port) is refused with 403, which
 * stops DNS rebinding; a POST or DELETE without `Content-Type: application/json` is refused with
 * 415, so a plain form or `text/plain` post cannot drive it, and a JSON one needs a CORS preflight
 * the control surface never approves.
 */
export function controlGuard(teamUrl: string): MiddlewareHandler<EmulatorEnv> {
  const { host, port } = new URL(teamUrl);
  const allowed = new Set<string | undefined>([host, ...LOOPBACK_NAMES.map((name) => normalizeHost(`${name}:${port}`))]);
  return async (c, next) => {
    const requestHost = normalizeHost(c.req.header('host') ?? '');
    if (requestHost === undefined || !allowed.has(requestHost)) {
      return c.json(
        {
          error: 'invalid_request',
          error_description: `the control surface answers only requests to ${host} or a loopback name with port ${port} (Host header)`,
        },
        403,
      );
    }
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

// As a URL would write it: lower case, the default port 80 left out; undefined when it is no host.
function normalizeHost(value: string): string | undefined {
  if (value === '' || /[/?#@\\]/.test(value)) return undefined;
  try {
    return new URL(`http://${value}`).host;
  } catch {
    return undefined;
  }
}
