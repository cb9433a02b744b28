import { isRetryableStatus, readTokenAnswer, type ClientAuthentication } from '@celonis-auth/core/protocol';
import { redactSecret } from '../secretRedaction.js';
import { printableScopes } from './printableScopes.js';
import { checkCors } from './doctorCors.js';
import { madeUpCodeParams, postToken } from './doctorRequests.js';
import { readTokenEndpoint, type DoctorExchange, type TokenEndpointReading } from './doctorHttp.js';
import {
  notChecked,
  type CheckResult,
  type ClientCredentialsResult,
  type DoctorContext,
  type DoctorResults,
  type PublicClientResult,
  type SecretResult,
} from './doctorTypes.js';

const NO_SECRET = 'set CELONIS_CLIENT_SECRET';

/**
 * Runs every check. The first (the token endpoint without a secret) runs alone: when it gets no
 * OAuth answer, the others would only repeat that, so they are reported as not checked.
 */
export async function runDoctorChecks(ctx: DoctorContext): Promise<DoctorResults> {
  const publicClient = await checkPublicClient(ctx);
  if (publicClient.outcome === 'unreachable' || publicClient.outcome === 'not-oauth') {
    const skipped = notChecked('the token endpoint gave no OAuth answer (see above)');
    return { publicClient, secret: skipped, corsToken: skipped, corsApi: skipped, clientCredentials: skipped };
  }
  const [secret, corsToken, corsApi, clientCredentials] = await Promise.all([
    checkSecret(ctx),
    checkCors(ctx, 'token'),
    checkCors(ctx, 'api'),
    checkClientCredentials(ctx),
  ]);
  return { publicClient, secret, corsToken, corsApi, clientCredentials };
}

/**
 * Check 1: exchanges a made-up code with the client id alone. `invalid_grant` means a public
 * client is accepted (direct mode can work); `invalid_client` means it must authenticate.
 */
export async function checkPublicClient(ctx: DoctorContext): Promise<PublicClientResult> {
  const reading = readTokenEndpoint(await postToken(ctx, madeUpCodeParams(), 'none'), ctx.http);
  const url = ctx.endpoints.tokenEndpoint;
  if (reading.kind !== 'oauth-error' || isRetryableStatus(reading.status)) return unanswered(reading, url);
  if (reading.error === 'invalid_grant') {
    return {
      outcome: 'public',
      mark: 'pass',
      oauthError: reading.error,
      reason: 'a public client is accepted: a made-up code without a secret got invalid_grant',
    };
  }
  if (reading.error === 'invalid_client') {
    const reason = 'refused without a secret (invalid_client): the client must authenticate, so it is confidential (or the id is not registered)';
    return { outcome: 'confidential', mark: 'fail', oauthError: reading.error, reason };
  }
  return unexpected(reading, url);
}

/**
 * Check 2: the same made-up code with the secret, by `client_secret_basic` and, when that gets
 * `invalid_client`, by `client_secret_post`. `invalid_grant` means the secret authenticates.
 */
export async function checkSecret(ctx: DoctorContext): Promise<SecretResult> {
  if (ctx.clientSecret === undefined) return notChecked(NO_SECRET);
  const url = ctx.endpoints.tokenEndpoint;
  const { method, reading } = await withEachMethod(ctx, madeUpCodeParams);
  if (reading.kind !== 'oauth-error' || isRetryableStatus(reading.status)) return unanswered(reading, url);
  const { error } = reading;
  if (error === 'invalid_grant') {
    return {
      outcome: 'authenticates',
      mark: 'pass',
      method,
      oauthError: error,
      reason: `the secret authenticates with ${method}: a made-up code got invalid_grant`,
    };
  }
  if (error === 'unauthorized_client') {
    const reason = `the secret authenticates with ${method}, but the client may not use the authorization_code grant (unauthorized_client)`;
    return { outcome: 'no-code-grant', mark: 'fail', method, oauthError: error, reason };
  }
  if (error === 'invalid_client')
    return { outcome: 'refused', mark: 'fail', oauthError: error, reason: `${refusedBy()}: the client id or the secret is wrong` };
  return unexpected(reading, url);

  function refusedBy(): string {
    return ctx.clientId.includes(':') ? 'invalid_client with client_secret_post' : 'invalid_client with client_secret_basic and client_secret_post';
  }
}

/** Check 4: a client-credentials grant with `scopes`; a success shows the granted scopes and lifetime, never the token. */
export async function checkClientCredentials(ctx: DoctorContext): Promise<ClientCredentialsResult> {
  if (ctx.clientSecret === undefined) return notChecked(NO_SECRET);
  const url = ctx.endpoints.tokenEndpoint;
  const params = (): [string, string][] => [
    ['grant_type', 'client_credentials'],
    ...(ctx.scopes.length ? [['scope', ctx.scopes.join(' ')] as [string, string]] : []),
  ];
  const sentAt = ctx.http.now();
  const { reading } = await withEachMethod(ctx, params);
  if (reading.kind === 'success') return granted(ctx, reading.answer, sentAt);
  if (reading.kind !== 'oauth-error' || isRetryableStatus(reading.status)) return unanswered(reading, url);
  const { error } = reading;
  const refused = (why: string): ClientCredentialsResult => ({ outcome: 'refused', mark: 'fail', oauthError: error, reason: `refused: ${why}` });
  if (error === 'unauthorized_client') return refused('the client may not use the client_credentials grant (unauthorized_client)');
  if (error === 'invalid_scope') return refused(`a requested scope is not allowed for this client (invalid_scope)${detail(reading.description)}`);
  if (error === 'invalid_client') return refused('the client id or the secret is wrong (invalid_client)');
  return unexpected(reading, url);
}

function granted(ctx: DoctorContext, answer: Extract<DoctorExchange, { kind: 'answer' }>, sentAt: number): ClientCredentialsResult {
  const contentType = answer.headers.get('content-type');
  try {
    // The token is read only to be checked, then dropped: only its scopes and lifetime are kept.
    const {
      scopes: said,
      expiresAt,
      accessToken,
      refreshToken,
    } = readTokenAnswer({ status: answer.status, contentType, body: answer.body, retryAfter: null }, ctx.scopes, sentAt, (text) =>
      redactSecret(text, ctx.http.secretForms),
    );
    const scopes = printableScopes(said, [accessToken, refreshToken]);
    const expiresInSeconds = Math.round((expiresAt - sentAt) / 1000);
    const what = scopes.length ? `scopes ${scopes.join(' ')}` : 'no named scopes';
    return {
      outcome: 'granted',
      mark: 'pass',
      scopes,
      expiresInSeconds,
      reason: `a token was issued for ${what}, valid ${expiresInSeconds} s (the token is not shown)`,
    };
  } catch {
    return { outcome: 'unexpected', mark: 'unknown', reason: `${answer.url} answered HTTP ${answer.status}, but not with a usable token response` };
  }
}

/** Sends with `client_secret_basic`, then with `client_secret_post` if that got `invalid_client`. */
async function withEachMethod(ctx: DoctorContext, params: () => [string, string][]): Promise<{ method: ClientAuthentication; reading: TokenEndpointReading }> {
  // client_secret_basic cannot carry a ':' in the id (the Celonis encoding does not escape it).
  const methods: ClientAuthentication[] = ctx.clientId.includes(':') ? ['client_secret_post'] : ['client_secret_basic', 'client_secret_post'];
  let last: { method: ClientAuthentication; reading: TokenEndpointReading } | undefined;
  for (const method of methods) {
    last = { method, reading: readTokenEndpoint(await postToken(ctx, params(), method), ctx.http) };
    if (last.reading.kind !== 'oauth-error' || last.reading.error !== 'invalid_client') return last;
  }
  return last!;
}

/** The result for an answer that is no OAuth error, or none at all, or a busy server. */
function unanswered(reading: TokenEndpointReading, url: string): CheckResult<never> {
  if (reading.kind === 'no-answer') return { outcome: 'unreachable', mark: 'fail', reason: `no answer from ${url}: ${reading.failure}` };
  if (reading.kind === 'not-oauth') {
    return {
      outcome: 'not-oauth',
      mark: 'fail',
      reason: `${url} answered HTTP ${reading.status} (${reading.contentType}), not an OAuth error: is --team the team URL?`,
    };
  }
  if (reading.kind === 'oauth-error') {
    return {
      outcome: 'unexpected',
      mark: 'unknown',
      oauthError: reading.error,
      reason: `${url} is unavailable (HTTP ${reading.status}, ${reading.error}): try again later`,
    };
  }
  return {
    outcome: 'unexpected',
    mark: 'unknown',
    reason: `${url} accepted a made-up code (HTTP ${reading.answer.status}): it does not behave like a token endpoint`,
  };
}

function unexpected(reading: Extract<TokenEndpointReading, { kind: 'oauth-error' }>, url: string): CheckResult<never> {
  return {
    outcome: 'unexpected',
    mark: 'unknown',
    oauthError: reading.error,
    reason: `${url} answered ${reading.error} (HTTP ${reading.status})${detail(reading.description)}`,
  };
}

function detail(description: string | undefined): string {
  return description === undefined || description === '' ? '' : `: "${description}"`;
}
