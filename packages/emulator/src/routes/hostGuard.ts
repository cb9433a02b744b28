import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import type { EmulatorEnv } from '../emulatorContext.js';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** Options of {@link ownHostRule}. */
export interface OwnHostOptions {
  /**
   * Also accept any IP address with the emulator's port: for an emulator bound beyond loopback
   * (e.g. `0.0.0.0`), which other machines reach by this machine's address. A rebinding page
   * always sends a name, never an address, so this keeps that attack out too.
   */
  anyIpAddress?: boolean;
}

/**
 * The rule for a `Host` header addressed to the emulator itself: its team URL's `host:port`, a
 * loopback name (`127.0.0.1`, `localhost`, `[::1]`) with its port, or (with `anyIpAddress`) any IP
 * address with its port. A page on a name rebound to `127.0.0.1` sends its own name, so it fails.
 *
 * @example
 * ```ts
 * const isOwn = ownHostRule('http://127.0.0.1:8787');
 * isOwn('localhost:8787'); // true
 * isOwn('attacker.example:8787'); // false
 * ```
 */
export function ownHostRule(teamUrl: string, options: OwnHostOptions = {}): (hostHeader: string | undefined) => boolean {
  const { host, port } = new URL(teamUrl);
  const allowed = new Set<string | undefined>([host, ...LOOPBACK_NAMES.map((name) => normalizeHost(`${name}:${port}`))]);
  return (hostHeader) => {
    const requestHost = normalizeHost(hostHeader ?? '');
    if (requestHost === undefined) return false;
    if (allowed.has(requestHost)) return true;
    if (!options.anyIpAddress) return false;
    const url = new URL(`http://${requestHost}`);
    return url.port === port && isIP(url.hostname.replace(/^\[(.*)\]$/, '$1')) !== 0;
  };
}

/**
 * Refuses, on every route, a request whose `Host` is not the emulator's own (see
 * {@link ownHostRule}) with `403 invalid_request`: a page on a name rebound to the emulator's
 * address can then neither read the login page nor mint tokens nor drive the control surface.
 */
export function hostGuard(teamUrl: string, options: OwnHostOptions = {}): MiddlewareHandler<EmulatorEnv> {
  const isOwn = ownHostRule(teamUrl, options);
  const { host, port } = new URL(teamUrl);
  const also = options.anyIpAddress ? ', an IP address' : '';
  return async (c, next) => {
    if (isOwn(c.req.header('host'))) return next();
    c.set('logDetails', { ...c.get('logDetails'), error: 'invalid_request' });
    return c.json(
      {
        error: 'invalid_request',
        error_description: `the emulator answers only requests addressed to ${host}${also} or a loopback name with port ${port} (Host header)`,
      },
      403,
    );
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
