import type { EmulatorClient, EmulatorUser } from './emulatorConfig.js';
import type { EmulatorContext } from './emulatorContext.js';
import { EMULATOR_SCOPES, intersectScopes, parseScopeParameter } from './emulatorScopes.js';
import type { OAuthErrorCode } from './oauthError.js';

/** A checked authorization request, ready for the user's decision. */
export interface AuthorizationRequest {
  client: EmulatorClient;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  codeChallenge: string | undefined;
  /** The parameters as received, carried through the login form in hidden inputs. */
  params: [string, string][];
}

/** The outcome of checking `/oauth2/authorize` parameters. */
export type AuthorizationCheck =
  | { kind: 'ok'; request: AuthorizationRequest }
  /**
   * The client or redirect URI cannot be trusted: show an error page, never redirect (RFC 6749
   * §4.1.2.1). `problem` says which, for the page's plain words; `description` is the detail.
   */
  | { kind: 'error-page'; problem: AuthorizationPageProblem; description: string }
  /** Tell the client through its redirect URI. */
  | { kind: 'redirect'; location: string; error: OAuthErrorCode };

/** Why an authorization request ends on the error page. */
export type AuthorizationPageProblem = 'no-client' | 'unknown-client' | 'no-redirect-uri' | 'unregistered-redirect-uri';

const CARRIED = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'];
// RFC 7636 §4.2: BASE64URL(SHA256(verifier)) is 43 characters; the grammar allows 43 to 128.
const CODE_CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;
// Values are echoed into the redirect's Location header; past these sizes clients such as undici
// (16 KB of response headers) could not read the answer at all.
const MAX_ENCODED_PARAMETER = 2048;
const MAX_ECHOED_DESCRIPTION = 200;

/** Checks an authorization request in the order RFC 6749 §4.1.2.1 asks: client and redirect URI first. */
export function checkAuthorizationRequest(ctx: EmulatorContext, query: URLSearchParams): AuthorizationCheck {
  const repeated = [...new Set(query.keys())].find((name) => query.getAll(name).length > 1);
  const clientId = query.get('client_id');
  const client = ctx.config.clients.find((c) => c.clientId === clientId);
  if (!clientId || query.getAll('client_id').length > 1)
    return { kind: 'error-page', problem: 'no-client', description: 'The request has no single client_id.' };
  if (!client) return { kind: 'error-page', problem: 'unknown-client', description: `Unknown client_id "${clientId}".` };
  const redirectUri = query.get('redirect_uri');
  if (!redirectUri || query.getAll('redirect_uri').length > 1) {
    return { kind: 'error-page', problem: 'no-redirect-uri', description: 'The request has no single redirect_uri.' };
  }
  if (!(client.redirectUris ?? []).includes(redirectUri)) {
    return {
      kind: 'error-page',
      problem: 'unregistered-redirect-uri',
      description: `The redirect_uri "${redirectUri}" is not registered for client "${clientId}".`,
    };
  }
  const tooLong = (entry: [string, string]) => new URLSearchParams([entry]).toString().length > MAX_ENCODED_PARAMETER;
  const overlong = [...query].find(tooLong)?.[0];
  // An overlong state cannot be echoed back; the client then sees the error without it.
  const rawState = query.get('state');
  const state = rawState === null || tooLong(['state', rawState]) ? undefined : rawState;
  const refuse = (error: OAuthErrorCode, description: string): AuthorizationCheck => ({
    kind: 'redirect',
    error,
    location: redirectWith(ctx, redirectUri, { error, error_description: description.slice(0, MAX_ECHOED_DESCRIPTION), state }),
  });
  if (overlong !== undefined)
    return refuse('invalid_request', `parameter "${overlong.slice(0, 64)}" is longer than ${MAX_ENCODED_PARAMETER} characters once encoded`);
  if (repeated) return refuse('invalid_request', `parameter "${repeated}" is repeated`);
  const responseType = query.get('response_type');
  if (!responseType) return refuse('invalid_request', 'response_type is required');
  if (responseType !== 'code') return refuse('unsupported_response_type', 'only response_type=code is supported');
  if (!client.grantTypes.includes('authorization_code')) return refuse('unauthorized_client', 'this client may not use the authorization code grant');
  const scope = parseScopeParameter(query.get('scope') ?? '', EMULATOR_SCOPES);
  if (!scope.ok) return refuse('invalid_scope', scope.reason);
  const codeChallenge = query.get('code_challenge') ?? undefined;
  const method = query.get('code_challenge_method');
  if (method !== null && method !== 'S256') return refuse('invalid_request', 'code_challenge_method must be S256 (plain is refused)');
  if (codeChallenge === undefined && method !== null) return refuse('invalid_request', 'code_challenge_method without code_challenge');
  if (codeChallenge !== undefined && method === null) return refuse('invalid_request', 'code_challenge_method=S256 is required with code_challenge');
  if (codeChallenge === undefined && client.clientSecret === undefined)
    return refuse('invalid_request', 'PKCE (code_challenge with S256) is required for public clients');
  if (codeChallenge !== undefined && !CODE_CHALLENGE.test(codeChallenge)) return refuse('invalid_request', 'code_challenge is malformed');
  return { kind: 'ok', request: { client, redirectUri, scopes: scope.scopes, state, codeChallenge, params: carriedParams(query) } };
}

/** The parameters the login form carries in hidden inputs, in a fixed order (every value of a repeated one). */
export function carriedParams(query: URLSearchParams): [string, string][] {
  return CARRIED.flatMap((name) => query.getAll(name).map((value): [string, string] => [name, value]));
}

/** The user's answer on the consent page. */
export type AuthorizationDecision = { approve: true; user: EmulatorUser } | { approve: false };

/**
 * Where the browser goes after the user decided: the redirect URI with a fresh code and the same
 * `state`, or with `error=access_denied`. Granted scopes are those requested that both the user
 * and the client are permitted, so they may be narrower than requested; when none is left, the
 * answer is `access_denied` too, never a code for an empty grant.
 */
export function decideAuthorization(ctx: EmulatorContext, request: AuthorizationRequest, decision: AuthorizationDecision): string {
  if (!decision.approve) {
    return redirectWith(ctx, request.redirectUri, { error: 'access_denied', error_description: 'The user denied the request.', state: request.state });
  }
  const granted = intersectScopes(intersectScopes(request.scopes, decision.user.permissions), request.client.scopes ?? []);
  // A code for no scope at all would be a token that opens nothing: say so instead (RFC 6749 §4.1.2.1).
  if (granted.length === 0) {
    return redirectWith(ctx, request.redirectUri, {
      error: 'access_denied',
      error_description: 'The user has none of the requested scopes.',
      state: request.state,
    });
  }
  const code = ctx.grants.issueCode(
    {
      clientId: request.client.clientId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      scopes: granted,
      subject: decision.user.username,
      expiresAt: ctx.clock.now() + ctx.config.codeLifetimeSeconds * 1000,
    },
    ctx.clock.now(),
  );
  return redirectWith(ctx, request.redirectUri, { code, state: request.state });
}

// With `sendIssuer`, every authorization response names its issuer last (RFC 9207 §2), so a client can detect a mix-up.
function redirectWith(ctx: EmulatorContext, redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  const all = { ...params, iss: ctx.config.sendIssuer ? ctx.teamUrl : undefined };
  const added = new URLSearchParams(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined)).toString();
  // RFC 6749 §3.1.2: the registered URI's own query is kept as written, so it is appended to, never re-serialised.
  url.search = url.search === '' ? added : `${url.search.slice(1)}&${added}`;
  return url.toString();
}
