import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { EmulatorContext, EmulatorEnv } from '../emulatorContext.js';
import { PROFILE_RULES } from '../emulatorProfile.js';
import { isSampleApiPath } from './sampleApis.js';

/** The description of a refused preflight in the `celonis` profile. */
export const PREFLIGHT_REFUSAL =
  'CORS is off in the celonis profile (Celonis documents none): call the token endpoint and the APIs from your server, ' +
  'or through the token relay and the API proxy on your own origin';

/**
 * CORS on `/oauth2/token`, `/oauth2/jwks` and the sample APIs, by profile. `permissive`: answers
 * the origins in `corsOrigins` (methods `GET, POST, OPTIONS`, request headers `Authorization,
 * Content-Type`, exposed `Retry-After, WWW-Authenticate`, preflight cached 600 s). `celonis`: no
 * `Access-Control-*` header on any answer, and every `OPTIONS` there (a preflight) is
 * `403 invalid_request`, so a browser's cross-origin call fails as it would against Celonis.
 * Other paths (the authorize page, the control surface) never answer CORS.
 */
export function corsPolicy(ctx: EmulatorContext): MiddlewareHandler<EmulatorEnv> {
  if (!PROFILE_RULES[ctx.config.profile].cors) {
    return async (c, next) => {
      if (c.req.method !== 'OPTIONS' || !corsPath(c.req.path)) return next();
      c.set('logDetails', { ...c.get('logDetails'), error: 'invalid_request' });
      return c.json({ error: 'invalid_request', error_description: PREFLIGHT_REFUSAL }, 403, { 'Cache-Control': 'no-store' });
    };
  }
  const corsHandler = cors({
    origin: (origin) => (ctx.config.corsOrigins.includes(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type'],
    exposeHeaders: ['Retry-After', 'WWW-Authenticate'],
    maxAge: 600,
  });
  // A middleware without a path: hono types the context of `use(path, handler)` with an `any` input, which cannot be handed on safely.
  return async (c, next) => (corsPath(c.req.path) ? corsHandler(c, next) : next());
}

function corsPath(path: string): boolean {
  return path === '/oauth2/token' || path === '/oauth2/jwks' || isSampleApiPath(path);
}
