import { Hono, type Context } from 'hono';
import type { EmulatorContext, EmulatorEnv } from '../emulatorContext.js';
import type { AccessTokenClaims, TokenRejection } from '../tokenSigner.js';
import { withFault } from './withFault.js';

/** A sample API of the emulator and the one scope that guards it. */
export interface SampleApi {
  path: string;
  /** The scope a token needs; `null` means any valid token. */
  scope: string | null;
  describe: string;
}

/** The emulator's sample APIs, each guarded by one scope of the Celonis table. */
export const SAMPLE_APIS: readonly SampleApi[] = [
  { path: '/intelligence/api/knowledge-models', scope: 'intelligence.knowledge-models:read', describe: 'Knowledge Models' },
  { path: '/audit-log/api/events', scope: 'audit.log:read', describe: 'audit log events' },
  { path: '/integration/api/pools', scope: 'integration.data-pools', describe: 'data pools' },
  { path: '/team/api/users', scope: 'team.user-group-info:read', describe: 'team users and groups' },
  { path: '/api/me', scope: null, describe: 'who the token belongs to' },
];

const REALM = 'realm="celonis-emulator"';
const REJECTIONS: Record<TokenRejection | 'revoked' | 'scheme', string> = {
  malformed: 'The access token is malformed',
  signature: 'The access token signature is invalid',
  expired: 'The access token expired',
  'not-yet-valid': 'The access token is not valid yet',
  issuer: 'The access token was issued by another server',
  revoked: 'The access token was revoked',
  scheme: 'Only Bearer access tokens are accepted',
};

/** The sample APIs, checking signature, expiry, revocation and scope per RFC 6750. */
export function sampleApiRoutes(ctx: EmulatorContext): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();
  for (const api of SAMPLE_APIS) {
    app.get(api.path, (c) =>
      withFault(ctx, c, 'api', async () => {
        const checked = await authorize(ctx, c, api.scope);
        return 'denied' in checked ? checked.denied : c.json(sampleData(ctx, api, checked.claims), 200, { 'Cache-Control': 'no-store' });
      }),
    );
  }
  return app;
}

async function authorize(ctx: EmulatorContext, c: Context<EmulatorEnv>, scope: string | null): Promise<{ denied: Response } | { claims: AccessTokenClaims }> {
  const header = c.req.header('authorization');
  // RFC 6750 §3.1: a request without Bearer credentials gets a bare challenge, no error code.
  const challenge = (description: string) => ({ denied: c.json({ error_description: description }, 401, { 'WWW-Authenticate': `Bearer ${REALM}` }) });
  if (!header) return challenge('An access token is required');
  if (!/^bearer(?:\s|$)/i.test(header)) return challenge(REJECTIONS.scheme);
  const match = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  const invalid = (reason: keyof typeof REJECTIONS) => {
    c.set('logDetails', { ...c.get('logDetails'), error: 'invalid_token' });
    return {
      denied: c.json({ error: 'invalid_token', error_description: REJECTIONS[reason] }, 401, {
        'WWW-Authenticate': `Bearer ${REALM}, error="invalid_token", error_description="${REJECTIONS[reason]}"`,
      }),
    };
  };
  if (!match) return invalid('scheme');
  const verified = await ctx.signer.verify(match[1]!, ctx.clock.now());
  if (!verified.ok) return invalid(verified.reason);
  if (ctx.grants.isAccessTokenRevoked(verified.claims.jti)) return invalid('revoked');
  c.set('logDetails', { ...c.get('logDetails'), clientId: verified.claims.azp });
  if (scope !== null && !(verified.claims.scope ?? []).includes(scope)) {
    c.set('logDetails', { ...c.get('logDetails'), error: 'insufficient_scope' });
    const description = `This API needs the ${scope} scope`;
    return {
      denied: c.json({ error: 'insufficient_scope', error_description: description, scope }, 403, {
        'WWW-Authenticate': `Bearer ${REALM}, error="insufficient_scope", error_description="${description}", scope="${scope}"`,
      }),
    };
  }
  return { claims: verified.claims };
}

function sampleData(ctx: EmulatorContext, api: SampleApi, claims: AccessTokenClaims): unknown {
  const user = ctx.config.users.find((u) => u.username === claims.sub);
  const iso = (minutesAgo: number) => new Date(ctx.clock.now() - minutesAgo * 60_000).toISOString();
  switch (api.path) {
    case '/intelligence/api/knowledge-models':
      return {
        content: [
          { id: 'km-o2c', name: 'Order to Cash', kpis: 42, updatedAt: iso(90) },
          { id: 'km-p2p', name: 'Purchase to Pay', kpis: 37, updatedAt: iso(300) },
          { id: 'km-ap', name: 'Accounts Payable', kpis: 18, updatedAt: iso(1440) },
        ],
      };
    case '/audit-log/api/events':
      return {
        content: [
          { id: 'ev-1', action: 'LOGIN', actor: 'analyst@example.com', at: iso(5) },
          { id: 'ev-2', action: 'PACKAGE_PUBLISHED', actor: 'analyst@example.com', at: iso(45) },
          { id: 'ev-3', action: 'PERMISSION_CHANGED', actor: 'admin@example.com', at: iso(180) },
        ],
      };
    case '/integration/api/pools':
      return {
        content: [
          { id: 'pool-sap', name: 'SAP ECC', dataJobs: 12, lastLoad: iso(60) },
          { id: 'pool-sf', name: 'Salesforce', dataJobs: 4, lastLoad: iso(240) },
        ],
      };
    case '/team/api/users':
      return { content: ctx.config.users.map((u) => ({ email: u.username, name: u.name ?? u.username })) };
    default:
      return {
        sub: claims.sub,
        name: user?.name ?? claims.sub,
        clientId: claims.azp,
        scopes: claims.scope,
        expiresAt: new Date(claims.exp * 1000).toISOString(),
      };
  }
}

/** Whether `path` is one of the sample APIs (for CORS and the request log). */
export function isSampleApiPath(path: string): boolean {
  return SAMPLE_APIS.some((api) => api.path === path);
}
