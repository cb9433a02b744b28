import { Hono, type Context } from 'hono';
import { EmulatorApproveError, type EmulatorControl } from '../emulatorControl.js';
import type { EmulatorEnv } from '../emulatorContext.js';
import type { FaultInjection } from '../faultInjector.js';
import { LOGGED_ENDPOINTS, type LoggedEndpoint } from '../requestLog.js';
import { controlGuard } from './controlGuard.js';

/** The prefix of the control surface; no Celonis path starts with it. */
export const CONTROL_PREFIX = '/__emulator';

/** One route of the control surface, as `GET /__emulator` lists it. */
export interface ControlRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** The full path, e.g. `/__emulator/log`. */
  path: string;
  /** What it does, in a few words. */
  does: string;
}

/** The routes under {@link CONTROL_PREFIX}, in the order of the package README's table; `GET /__emulator` lists them. */
export const CONTROL_ROUTES: readonly ControlRoute[] = Object.freeze(
  (
    [
      ['GET', '', 'this list'],
      ['GET', '/log', 'the request log; ?endpoint=authorize|token|api|jwks|other filters it'],
      ['DELETE', '/log', 'empties the request log'],
      ['POST', '/faults', 'queues a fault: { "endpoint": "token", "fault": { "kind": "status", "status": 503 } }'],
      ['DELETE', '/faults', 'drops the queued faults'],
      ['GET', '/clock', 'the emulator\'s time: { "now": ms since the epoch }'],
      ['POST', '/clock', 'moves the clock forward: { "advanceSeconds": 61 }'],
      ['POST', '/reset', 'forgets codes, tokens, the log, faults and the clock offset'],
      ['POST', '/approve', 'decides as the login form would: { "authorizeUrl": "...", "username": "...", "decision": "approve" }'],
      ['GET', '/config', 'the configuration in force, secrets and passwords included'],
    ] as const
  ).map(([method, path, does]) => Object.freeze({ method, path: `${CONTROL_PREFIX}${path}`, does })),
);

/**
 * The HTTP control surface: `GET /` (the list of routes), `GET|DELETE /log`, `POST|DELETE /faults`,
 * `GET|POST /clock`, `POST /reset`, `POST /approve`, `GET /config`, all JSON, under {@link CONTROL_PREFIX}
 * (see {@link controlGuard}; the `Host` is checked for every route by `hostGuard`).
 */
export function controlRoutes(control: EmulatorControl): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>().basePath(CONTROL_PREFIX);
  app.use('*', controlGuard());
  // The banner names the prefix, so the prefix answers too: with the routes under it, kept by no cache.
  app.get('/', (c) => c.json({ name: 'celonis-emulator control surface', routes: CONTROL_ROUTES }, 200, { 'Cache-Control': 'no-store' }));
  app.get('/log', (c) => {
    const endpoint = c.req.query('endpoint');
    if (endpoint !== undefined && !(LOGGED_ENDPOINTS as readonly string[]).includes(endpoint)) {
      return c.json({ error: 'invalid_request', error_description: `endpoint must be one of ${LOGGED_ENDPOINTS.join(', ')}` }, 400);
    }
    return c.json(control.requests(endpoint as LoggedEndpoint | undefined));
  });
  app.delete('/log', (c) => (control.clearRequests(), c.body(null, 204)));
  app.post('/faults', (c) => withJson(c, (body) => (control.injectFault(body as FaultInjection), c.body(null, 204))));
  app.delete('/faults', (c) => (control.clearFaults(), c.body(null, 204)));
  app.get('/clock', (c) => c.json({ now: control.now() }));
  app.post('/clock', (c) =>
    withJson(c, (body) => {
      control.advanceClock(Number((body as { advanceSeconds?: unknown }).advanceSeconds));
      return c.json({ now: control.now() });
    }),
  );
  app.post('/reset', (c) => (control.reset(), c.body(null, 204)));
  app.post('/approve', (c) =>
    withJson(c, (body) => {
      const { authorizeUrl, username, decision } = body as { authorizeUrl?: string; username?: string; decision?: 'approve' | 'deny' };
      // Any decision that was sent is passed on, so approve() refuses one that is not approve or deny.
      return c.json({
        location: control.approve(String(authorizeUrl), { ...(username ? { username } : {}), ...(decision === undefined ? {} : { decision }) }),
      });
    }),
  );
  app.get('/config', (c) => c.json(control.config));
  return app;
}

/** Runs `handle` on a JSON body; bad JSON or arguments answer 400 with what to fix. */
async function withJson(c: Context<EmulatorEnv>, handle: (body: unknown) => Response): Promise<Response> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return c.json({ error: 'invalid_request', error_description: 'the body must be JSON' }, 400);
  }
  try {
    return handle(typeof body === 'object' && body !== null ? body : {});
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError || error instanceof EmulatorApproveError) {
      return c.json({ error: 'invalid_request', error_description: error.message }, 400);
    }
    throw error;
  }
}
