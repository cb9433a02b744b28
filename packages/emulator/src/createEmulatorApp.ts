import { Hono } from 'hono';
import type { EmulatorContext, EmulatorEnv } from './emulatorContext.js';
import { createEmulatorControl, type EmulatorControl } from './emulatorControl.js';
import type { LoggedEndpoint } from './requestLog.js';
import { authorizeRoutes } from './routes/authorizeRoutes.js';
import { CONTROL_PREFIX, controlRoutes } from './routes/controlRoutes.js';
import { corsPolicy } from './routes/corsPolicy.js';
import { hostGuard } from './routes/hostGuard.js';
import { isSampleApiPath, sampleApiRoutes } from './routes/sampleApis.js';
import { tokenRoutes } from './routes/tokenRoutes.js';

/** Options of {@link createEmulatorApp}. */
export interface EmulatorAppOptions {
  /** Bound beyond loopback: requests to any IP address with the emulator's port are its own too (see `hostGuard`). */
  remote?: boolean;
}

/** Builds the emulator's routes over a shared context; `startEmulator` serves them over HTTP. */
export function createEmulatorApp(ctx: EmulatorContext, options: EmulatorAppOptions = {}): { app: Hono<EmulatorEnv>; control: EmulatorControl } {
  const control = createEmulatorControl(ctx);
  const app = new Hono<EmulatorEnv>();

  app.use('*', async (c, next) => {
    const path = c.req.path;
    if (path.startsWith(CONTROL_PREFIX)) return next();
    c.set('logDetails', {});
    c.set('dropped', false);
    const at = ctx.clock.now();
    await next();
    const origin = c.req.header('origin');
    ctx.log.add({
      at,
      method: c.req.method,
      path,
      endpoint: endpointOf(path),
      status: c.get('dropped') ? 0 : c.res.status,
      ...(origin ? { origin } : {}),
      ...stripUndefined(c.get('logDetails')),
    });
  });

  // Before anything else answers, CORS preflights included: a page on a rebound name gets nothing.
  app.use(hostGuard(ctx.teamUrl, { anyIpAddress: options.remote ?? false }));

  // Browsers may call the token endpoint, the APIs and the keys from the configured origins only, and in the celonis profile not at all.
  app.use(corsPolicy(ctx));

  app.route('/', authorizeRoutes(ctx));
  app.route('/', tokenRoutes(ctx));
  app.route('/', sampleApiRoutes(ctx));
  app.get('/oauth2/jwks', async (c) => c.json(await ctx.signer.jwks()));
  if (ctx.config.controlSurface) app.route('/', controlRoutes(control));
  app.get('/', (c) =>
    c.json({ name: 'celonis-emulator', teamUrl: ctx.teamUrl, authorize: `${ctx.teamUrl}/oauth2/authorize`, token: `${ctx.teamUrl}/oauth2/token` }),
  );
  app.notFound((c) => c.json({ error: 'not_found', error_description: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    console.error('[celonis-emulator] unexpected error:', error);
    return c.json({ error: 'server_error', error_description: 'the emulator failed unexpectedly' }, 500);
  });
  return { app, control };
}

function endpointOf(path: string): LoggedEndpoint {
  if (path === '/oauth2/authorize') return 'authorize';
  if (path === '/oauth2/token') return 'token';
  if (path === '/oauth2/jwks') return 'jwks';
  return isSampleApiPath(path) ? 'api' : 'other';
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
