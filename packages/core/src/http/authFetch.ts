import type { ResolvedConfig } from '../config/resolveConfig.js';
import { CelonisAuthError } from '../protocol/celonisAuthError.js';

/** `fetch` with the access token attached for the team's origins. */
export type AuthFetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * Creates `auth.fetch`: relative URLs resolve against the team URL; `Authorization: Bearer` is
 * added only for the team URL and the configured `apiOrigins`, never for anyone else. A 401
 * `invalid_token` renews the token once and retries once; a 403 is returned to the caller
 * (see {@link insufficientScopeError}).
 */
export function createAuthFetch(
  config: ResolvedConfig,
  fetchFn: typeof fetch,
  getAccessToken: () => Promise<string>,
  renewRejected: (rejected: string) => Promise<string>,
): AuthFetch {
  return async function authFetch(input, init) {
    const request = new Request(typeof input === 'string' ? new URL(input, config.teamUrl) : input, init);
    if (!config.tokenOrigins.includes(new URL(request.url).origin)) return fetchFn(request);
    const retry = request.clone();
    const token = await getAccessToken();
    const response = await fetchFn(withToken(request, token));
    if (response.status !== 401 || bearerChallenge(response).error !== 'invalid_token') return response;
    const renewed = await renewRejected(token);
    return fetchFn(withToken(retry, renewed));
  };
}

function withToken(request: Request, token: string): Request {
  const headers = new Headers(request.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}

/** The parameters of a response's `WWW-Authenticate: Bearer ...` challenge (RFC 6750 §3). */
export function bearerChallenge(response: Response): { error?: string; scope?: string; errorDescription?: string } {
  const header = response.headers.get('WWW-Authenticate') ?? '';
  const param = (name: string) => new RegExp(`${name}="([^"]*)"`, 'i').exec(header)?.[1];
  const error = param('error');
  const scope = param('scope');
  const errorDescription = param('error_description');
  return { ...(error ? { error } : {}), ...(scope ? { scope } : {}), ...(errorDescription ? { errorDescription } : {}) };
}

/**
 * Recognises an API's 403 `insufficient_scope` answer (RFC 6750 §3.1) and returns a typed error
 * naming the scopes the API asked for; `undefined` for any other response.
 *
 * @example
 * ```ts
 * const res = await auth.fetch('/audit-log/api/events')
 * const missing = insufficientScopeError(res)
 * if (missing) await auth.login({ scopes: missing.requiredScopes })
 * ```
 */
export function insufficientScopeError(response: Response): CelonisAuthError | undefined {
  if (response.status !== 403) return undefined;
  const challenge = bearerChallenge(response);
  if (challenge.error !== 'insufficient_scope') return undefined;
  const requiredScopes = challenge.scope ? challenge.scope.split(' ').filter(Boolean) : [];
  return new CelonisAuthError('insufficient_scope', `The API needs scopes that were not granted${requiredScopes.length ? `: ${requiredScopes.join(' ')}` : ''}`, {
    oauthError: 'insufficient_scope',
    status: 403,
    requiredScopes,
    ...(challenge.errorDescription ? { oauthErrorDescription: challenge.errorDescription } : {}),
  });
}
