import { isOAuthErrorValue, MAX_CODE_LENGTH, queryCarriesTokens, repeatedParameter, wrongIssuer } from '@celonis-auth/core/protocol';
import type { BffFailure } from './bffResponses.js';

// The team's description is shown on a page: cut shorter than the core does.
const MAX_DESCRIPTION_LENGTH = 300;

/** What a checked callback carries: a code to exchange, or the team's refusal in plain words. */
export type CallbackResult = { ok: true; code: string } | { ok: false; failure: BffFailure };

/**
 * Checks a callback whose `state` already matched its transaction and cookie with the protocol's
 * rules, in the browser core's order: no repeated response parameter, no token-bearing parameter,
 * `iss` (RFC 9207) equal to the issuer (the team's URL) when present or required, an `error` in RFC 6749's character set
 * (shown as text), a `code` of at most `MAX_CODE_LENGTH` characters.
 */
export function readCallback(params: URLSearchParams, issuer: { issuer: string; requireIssuer: boolean }): CallbackResult {
  const malformed = (why: string): CallbackResult => ({ ok: false, failure: { status: 400, error: 'invalid_callback', description: why } });
  const repeated = repeatedParameter(params);
  if (repeated) return malformed(`The sign-in response repeats its ${repeated} parameter, so it was not sent by Celonis as it is.`);
  if (queryCarriesTokens(params)) return malformed('The sign-in response carries tokens in its address, which Celonis never does; it was refused.');
  if (wrongIssuer(params, issuer)) {
    const description =
      params.get('iss') === null
        ? 'The sign-in response does not say which server sent it, which this portal requires, so it was refused.'
        : 'The sign-in response names another server than your Celonis team, so it was refused.';
    return { ok: false, failure: { status: 400, error: 'issuer_mismatch', description } };
  }
  const error = params.get('error');
  if (error !== null) {
    if (!isOAuthErrorValue(error)) return malformed('The sign-in response has an unreadable error.');
    return { ok: false, failure: authorizationFailure(error, params.get('error_description')) };
  }
  const code = params.get('code');
  if (!code) return malformed('The sign-in response has neither a code nor an error.');
  if (code.length > MAX_CODE_LENGTH) return malformed(`The sign-in response's code is longer than ${MAX_CODE_LENGTH} characters.`);
  return { ok: true, code };
}

// The team's refusal (RFC 6749 §4.1.2.1), its description cut and shown as text only.
function authorizationFailure(error: string, description: string | null): BffFailure {
  if (error === 'access_denied') {
    return { status: 403, error: 'access_denied', description: 'Access was not granted, so you are not signed in. You can try again and allow access.' };
  }
  const detail = description === null ? '' : ` Celonis said: “${description.slice(0, MAX_DESCRIPTION_LENGTH)}”`;
  return { status: 400, error: 'authorization_error', description: `Celonis did not sign you in (${error}).${detail}` };
}
