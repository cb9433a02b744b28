import { CodedTypeError, teamEndpoints } from '@celonis-auth/core/protocol';
import type { ClientCredentialsTokenSourceOptions } from './clientCredentialsOptions.js';
import { checkAuthentication, checkBodyEncoding, checkClientId, checkInteger, checkScopes } from './optionChecks.js';
import { resolveRetryPolicy, type RetryPolicy } from './retryPolicy.js';
import { resolveServerDeps, type ResolvedServerDeps } from './serverDeps.js';
import type { ClientAuthentication, TokenBodyEncoding } from './tokenRequest.js';

/** The validated options of a client-credentials token source. */
export interface ClientCredentialsSettings {
  tokenEndpoint: string;
  clientId: string;
  scopes: readonly string[];
  authentication: ClientAuthentication;
  bodyEncoding: TokenBodyEncoding;
  leewayMs: number;
  retry: RetryPolicy;
  timeoutMs: number;
  deps: ResolvedServerDeps;
}

/**
 * Validates the options of `createClientCredentialsTokenSource` and fills in the defaults.
 *
 * @throws {CodedTypeError} for options that are missing or malformed (the `code` says which).
 */
export function resolveClientCredentialsSettings(options: ClientCredentialsTokenSourceOptions, where: string): ClientCredentialsSettings {
  if (typeof options !== 'object' || options === null)
    throw new CodedTypeError(`${where}: options are required ({ teamUrl, clientId, clientSecret, scopes })`, 'invalid_config');
  const authentication = checkAuthentication(options.authentication, where);
  return {
    tokenEndpoint: teamEndpoints(options.teamUrl).tokenEndpoint,
    clientId: checkClientId(options.clientId, authentication, where),
    scopes: Object.freeze(checkScopes(options.scopes, where)),
    authentication,
    bodyEncoding: checkBodyEncoding(options.bodyEncoding, where),
    leewayMs: checkInteger(options.refreshLeewaySeconds, 60, 0, 3_600, 'refreshLeewaySeconds', where, 'invalid_refresh_leeway') * 1000,
    retry: resolveRetryPolicy(options.retry, where),
    timeoutMs: checkInteger(options.timeoutMs, 30_000, 1, 600_000, 'timeoutMs', where),
    deps: resolveServerDeps(options.deps, where),
  };
}
