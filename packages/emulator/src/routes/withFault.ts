import type { Context } from 'hono';
import type { ContentfulStatusCode, ContentlessStatusCode } from 'hono/utils/http-status';
import type { EmulatorContext, EmulatorEnv } from '../emulatorContext.js';
import type { FaultEndpoint } from '../faultInjector.js';

const CONTENTLESS: ReadonlySet<number> = new Set([204, 205, 304]);

/**
 * Runs `work` for a request unless a fault is queued for `endpoint`, in which case the fault
 * shapes the response instead (or, for `delay` and `drop` with `afterCommit`, around the work).
 */
export async function withFault(ctx: EmulatorContext, c: Context<EmulatorEnv>, endpoint: FaultEndpoint, work: () => Promise<Response>): Promise<Response> {
  const fault = ctx.faults.take(endpoint);
  if (!fault) return work();
  c.set('logDetails', { ...c.get('logDetails'), fault: fault.kind });
  switch (fault.kind) {
    case 'status': {
      if (fault.retryAfterSeconds !== undefined) c.header('Retry-After', String(fault.retryAfterSeconds));
      for (const [name, value] of Object.entries(fault.headers ?? {})) c.header(name, value);
      c.header('Cache-Control', 'no-store');
      // The Fetch Response refuses a body with 204, 205 or 304, so those answer with none.
      if (CONTENTLESS.has(fault.status)) return c.body(null, fault.status as ContentlessStatusCode);
      const status = fault.status as ContentfulStatusCode;
      if (typeof fault.body === 'string') return c.text(fault.body, status);
      return c.json(fault.body ?? { error: fault.status >= 500 ? 'server_error' : 'temporarily_unavailable', error_description: 'injected fault' }, status);
    }
    case 'malformed-json':
      return c.body('{"access_token": "eyJ', 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    case 'delay':
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      return work();
    case 'drop': {
      if (fault.afterCommit) await work();
      c.set('dropped', true);
      c.env?.incoming?.socket.destroy();
      return c.body(null, 500);
    }
  }
}
