import { CelonisAuthError } from '../protocol/celonisAuthError.js';

/** What a checked authorization response carries (RFC 6749 §4.1.2). */
export type AuthorizationResponse = { code: string } | { error: string; description: string | undefined };

// The parameters of an authorization response, cleaned from the address bar after it is read.
const RESPONSE_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri', 'iss', 'session_state'];
// Parameters an authorization-code response never carries: tokens in a URL are an attack (or an implicit-flow mix-up).
const TOKEN_PARAMS = ['access_token', 'id_token', 'token_type', 'expires_in', 'refresh_token'];
// RFC 6749 §4.1.2.1: error = 1*( %x20-21 / %x23-5B / %x5D-7E )
const ERROR_VALUE = /^[\x20\x21\x23-\x5B\x5D-\x7E]{1,128}$/;

/** The longest `code` accepted; a longer one is never sent to the token endpoint. */
export const MAX_CODE_LENGTH = 2_048;
/** The longest `state` looked up; ours have 43 characters. */
export const MAX_STATE_LENGTH = 512;
/** `error_description` is cut to this many characters before anyone shows it. */
export const MAX_DESCRIPTION_LENGTH = 500;

/** Whether `url` carries an authorization response (`code`, `error` or `state` in the query). */
export function hasCallbackParams(url: URL): boolean {
  return url.searchParams.has('code') || url.searchParams.has('error') || url.searchParams.has('state');
}

/** Whether the query or the fragment carries a token, which a code response never does. */
export function carriesTokens(url: URL): boolean {
  const fragment = new URLSearchParams(url.hash.slice(1));
  return TOKEN_PARAMS.some((name) => url.searchParams.has(name) || fragment.has(name));
}

/** `url` without the response's parameters, without tokens, and without a fragment that carried any. */
export function cleanCallbackUrl(url: URL): string {
  const clean = new URL(url.href);
  for (const name of [...RESPONSE_PARAMS, ...TOKEN_PARAMS]) clean.searchParams.delete(name);
  const fragment = new URLSearchParams(clean.hash.slice(1));
  if ([...RESPONSE_PARAMS, ...TOKEN_PARAMS].some((name) => fragment.has(name))) clean.hash = '';
  return clean.href;
}

/**
 * Checks an authorization response whose `state` was already matched to a transaction: no repeated
 * parameter, the issuer (RFC 9207) when `iss` is sent or required, an `error` within RFC 6749's
 * character set, a bounded `code`. Server text is cut to {@link MAX_DESCRIPTION_LENGTH}.
 *
 * @throws {CelonisAuthError} `invalid_callback`, `issuer_mismatch`.
 */
export function readAuthorizationResponse(url: URL, issuer: { issuer: string; requireIssuer: boolean }): AuthorizationResponse {
  const params = url.searchParams;
  const repeated = RESPONSE_PARAMS.find((name) => params.getAll(name).length > 1);
  if (repeated) throw invalid(`The callback repeats the ${repeated} parameter; it was not sent by the authorization server`);
  const iss = params.get('iss');
  if (iss === null ? issuer.requireIssuer : iss !== issuer.issuer) {
    throw new CelonisAuthError(
      'issuer_mismatch',
      iss === null
        ? `The callback has no iss parameter, which this app requires (RFC 9207); expected ${issuer.issuer}`
        : `The callback comes from another issuer than ${issuer.issuer} (RFC 9207 mix-up defence)`,
    );
  }
  const error = params.get('error');
  if (error !== null) {
    if (!ERROR_VALUE.test(error)) throw invalid('The callback has an error value outside RFC 6749 §4.1.2.1');
    const description = params.get('error_description') ?? undefined;
    return { error, description: description === undefined ? undefined : truncate(description) };
  }
  const code = params.get('code');
  if (!code) throw invalid('The callback has neither a code nor an error');
  if (code.length > MAX_CODE_LENGTH) throw invalid(`The callback's code is longer than ${MAX_CODE_LENGTH} characters`);
  return { code };
}

/** Server text for people: at most {@link MAX_DESCRIPTION_LENGTH} characters. */
export function truncate(text: string): string {
  return text.length > MAX_DESCRIPTION_LENGTH ? `${text.slice(0, MAX_DESCRIPTION_LENGTH - 1)}…` : text;
}

function invalid(message: string): CelonisAuthError {
  return new CelonisAuthError('invalid_callback', message);
}
