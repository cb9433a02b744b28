import { createHash, randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { authenticateClient } from '../clientAuthentication.js';
import type { EmulatorClient } from '../emulatorConfig.js';
import type { EmulatorContext, EmulatorEnv } from '../emulatorContext.js';
import { PROFILE_RULES } from '../emulatorProfile.js';
import { EMULATOR_SCOPES, intersectScopes, parseScopeParameter } from '../emulatorScopes.js';
import type { GrantRefusal, TokenFamily } from '../grantStore.js';
import { oauthError } from '../oauthError.js';
import { readTokenRequestBody, type TokenParams } from '../tokenRequestBody.js';
import { withFault } from './withFault.js';

type Ctx = Context<EmulatorEnv>;

const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
// A token request is a few hundred bytes; this only stops a client from making the emulator buffer without end.
const MAX_BODY_BYTES = 1_048_576;
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const REFUSALS: Record<GrantRefusal, string> = {
  unknown: 'the grant is not known',
  expired: 'the grant has expired',
  reused: 'the grant was already used; everything issued from it is revoked',
  revoked: 'the grant was revoked',
  'wrong-client': 'the grant was issued to another client',
};

/** `POST /oauth2/token`: the authorization-code, refresh-token and client-credentials grants. */
export function tokenRoutes(ctx: EmulatorContext): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    // The limit runs inside this app, so its context carries the emulator's variables.
    onError: (c: Ctx) => {
      // The unread rest of the body would stall a kept-alive connection: close it after this answer.
      c.header('Connection', 'close');
      return oauthError(c, 413, 'invalid_request', `the body is larger than ${MAX_BODY_BYTES} bytes`);
    },
  });
  app.post('/oauth2/token', limit, async (c) => {
    const body = await readTokenRequestBody(c);
    const params = body.ok ? body.params : {};
    c.set('logDetails', { ...c.get('logDetails'), bodyEncoding: body.encoding, grantType: params.grant_type });
    return withFault(ctx, c, 'token', async () => {
      if (!body.ok) return oauthError(c, 400, 'invalid_request', body.description);
      const auth = authenticateClient(c.req.header('authorization'), params, ctx.config.clients, PROFILE_RULES[ctx.config.profile]);
      c.set('logDetails', { ...c.get('logDetails'), clientAuth: auth.method, clientId: auth.ok ? auth.client.clientId : auth.clientId });
      if (!auth.ok) return oauthError(c, auth.status, auth.error, auth.description);
      const grantType = params.grant_type;
      if (!grantType) return oauthError(c, 400, 'invalid_request', 'grant_type is required');
      if (!(GRANT_TYPES as readonly string[]).includes(grantType))
        return oauthError(c, 400, 'unsupported_grant_type', `grant_type "${grantType}" is not supported`);
      if (!auth.client.grantTypes.includes(grantType as (typeof GRANT_TYPES)[number])) {
        return oauthError(c, 400, 'unauthorized_client', `this client may not use the ${grantType} grant`);
      }
      if (grantType === 'authorization_code') return authorizationCodeGrant(ctx, c, auth.client, params);
      if (grantType === 'refresh_token') return refreshTokenGrant(ctx, c, auth.client, params);
      return clientCredentialsGrant(ctx, c, auth.client, params);
    });
  });
  return app;
}

async function authorizationCodeGrant(ctx: EmulatorContext, c: Ctx, client: EmulatorClient, params: TokenParams): Promise<Response> {
  if (!params.code) return oauthError(c, 400, 'invalid_request', 'code is required');
  const redeemed = ctx.grants.redeemCode(params.code, client.clientId, ctx.clock.now());
  if (!redeemed.ok) return oauthError(c, 400, 'invalid_grant', `code refused: ${REFUSALS[redeemed.refusal]}`);
  const record = redeemed.value;
  if (params.redirect_uri !== record.redirectUri) return oauthError(c, 400, 'invalid_grant', 'redirect_uri differs from the authorization request');
  const verifier = params.code_verifier;
  if (record.codeChallenge === undefined) {
    // RFC 9700 §2.1.1: a verifier for a code issued without a challenge is a downgrade attempt.
    if (verifier !== undefined) return oauthError(c, 400, 'invalid_grant', 'code_verifier sent for a code issued without code_challenge');
  } else {
    if (verifier === undefined) return oauthError(c, 400, 'invalid_grant', 'code_verifier is required');
    if (!CODE_VERIFIER.test(verifier) || s256(verifier) !== record.codeChallenge)
      return oauthError(c, 400, 'invalid_grant', 'code_verifier does not match code_challenge');
  }
  const family = ctx.grants.startFamily(client.clientId, record.subject, record.scopes, params.code);
  return tokenResponse(ctx, c, client, record.subject, record.scopes, family);
}

async function refreshTokenGrant(ctx: EmulatorContext, c: Ctx, client: EmulatorClient, params: TokenParams): Promise<Response> {
  if (!params.refresh_token) return oauthError(c, 400, 'invalid_request', 'refresh_token is required');
  let requested: string[] | undefined;
  if (params.scope !== undefined) {
    const scope = parseScopeParameter(params.scope, EMULATOR_SCOPES);
    if (!scope.ok) return oauthError(c, 400, 'invalid_scope', scope.reason);
    requested = scope.scopes;
  }
  const rotated = ctx.grants.rotateRefreshToken(params.refresh_token, client.clientId, ctx.clock.now(), requested);
  if (!rotated.ok) {
    if (rotated.refusal === 'widened') return oauthError(c, 400, 'invalid_scope', 'a refresh cannot widen the scope of the original grant');
    return oauthError(c, 400, 'invalid_grant', `refresh_token refused: ${REFUSALS[rotated.refusal]}`);
  }
  const family = rotated.value;
  return tokenResponse(ctx, c, client, family.subject, requested ?? family.scopes, family);
}

async function clientCredentialsGrant(ctx: EmulatorContext, c: Ctx, client: EmulatorClient, params: TokenParams): Promise<Response> {
  let scopes = client.scopes ?? [];
  if (params.scope !== undefined) {
    const scope = parseScopeParameter(params.scope, EMULATOR_SCOPES);
    if (!scope.ok) return oauthError(c, 400, 'invalid_scope', scope.reason);
    scopes = intersectScopes(scope.scopes, scopes);
    if (scopes.length === 0) return oauthError(c, 400, 'invalid_scope', 'none of the requested scopes is permitted for this client');
  }
  return tokenResponse(ctx, c, client, client.clientId, scopes);
}

async function tokenResponse(ctx: EmulatorContext, c: Ctx, client: EmulatorClient, subject: string, scopes: string[], family?: TokenFamily): Promise<Response> {
  const iat = Math.floor(ctx.clock.now() / 1000);
  const lifetime = ctx.config.accessTokenLifetimeSeconds;
  const jti = randomUUID();
  const accessToken = await ctx.signer.sign({
    aud: [client.clientId, new URL(ctx.teamUrl).host],
    nbf: iat,
    azp: client.clientId,
    scope: scopes,
    sub: subject,
    exp: iat + lifetime,
    iat,
    jti,
  });
  if (family) ctx.grants.recordAccessToken(family, jti);
  const refreshToken =
    family && client.grantTypes.includes('refresh_token')
      ? ctx.grants.issueRefreshToken(family, ctx.clock.now() + ctx.config.refreshTokenLifetimeSeconds * 1000, ctx.clock.now())
      : undefined;
  return c.json(
    {
      access_token: accessToken,
      scope: scopes.join(' '),
      token_type: 'Bearer',
      expires_in: lifetime,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    },
    200,
    { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
  );
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
