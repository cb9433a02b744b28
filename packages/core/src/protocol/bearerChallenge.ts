import { CelonisAuthError } from './celonisAuthError.js';

/** The parameters of a `WWW-Authenticate: Bearer ...` challenge (RFC 6750 §3). */
export interface BearerChallenge {
  error?: string;
  scope?: string;
  errorDescription?: string;
}

/** The parameters of a response's `WWW-Authenticate: Bearer ...` challenge (RFC 6750 §3). */
export function bearerChallenge(response: Response): BearerChallenge {
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
  return new CelonisAuthError(
    'insufficient_scope',
    `The API needs scopes that were not granted${requiredScopes.length ? `: ${requiredScopes.join(' ')}` : ''}`,
    {
      oauthError: 'insufficient_scope',
      status: 403,
      requiredScopes,
      ...(challenge.errorDescription ? { oauthErrorDescription: challenge.errorDescription } : {}),
    },
  );
}
