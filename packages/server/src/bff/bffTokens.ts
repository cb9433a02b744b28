import { CelonisAuthError, isCelonisAuthError, readTokenAnswer, type TokenSet } from '@celonis-auth/core/protocol';
import { readClientSecret } from '../clientSecret.js';
import { redactSecret, secretForms } from '../secretRedaction.js';
import { sendTokenRequest, tokenAnswer } from '../tokenRequest.js';
import type { BffSettings } from './bffSettings.js';

/**
 * Sends one grant to the team's token endpoint with the client's credentials (basic or post,
 * urlencoded or multipart, the secret read now so it rotates) and reads the answer with the
 * protocol's `readTokenAnswer`. Server text that quotes the secret is redacted.
 *
 * @throws {CelonisAuthError} `token_error` (with `oauthError`), `server_unavailable` (with
 *   `retryAfterSeconds`), `invalid_token_response`, `network_error`.
 */
export async function requestTokenSet(settings: BffSettings, params: Record<string, string>, requestedScopes: readonly string[]): Promise<TokenSet> {
  const clientSecret = await readClientSecret(settings.clientSecret);
  const forms = secretForms(settings.clientId, clientSecret);
  const sentAt = settings.now();
  const response = await sendTokenRequest({
    tokenEndpoint: settings.tokenEndpoint,
    params: Object.entries(params),
    clientId: settings.clientId,
    clientSecret,
    authentication: settings.clientAuthentication,
    bodyEncoding: settings.tokenBodyEncoding,
    fetch: settings.fetch,
    timeoutMs: settings.timeoutMs,
  });
  return readTokenAnswer(tokenAnswer(response), requestedScopes, sentAt, (text) => redactSecret(text, forms));
}

/** What a failed token request is called in a log line: its code and the OAuth error, never a message (it may quote a URL). */
export function tokenFailureName(error: unknown): string {
  if (!isCelonisAuthError(error)) return error instanceof Error ? error.name : typeof error;
  const oauth = error.oauthError !== undefined && /^[\w.-]{1,64}$/.test(error.oauthError) ? ` ${error.oauthError}` : '';
  return `${error.code}${oauth}${error.status === undefined ? '' : ` (HTTP ${error.status})`}`;
}

/** Whether `error` says the refresh token (or code) is no good any more. */
export function isInvalidGrant(error: unknown): boolean {
  return error instanceof CelonisAuthError && error.code === 'token_error' && error.oauthError === 'invalid_grant';
}
