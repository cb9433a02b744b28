// The rules of an authorization response (RFC 6749 §4.1.2, RFC 9207), owned here and applied in the
// same order by the browser core's callback and the server's backend-for-frontend; each words its refusals.

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

/** The response parameter that appears more than once, if any: such a response was not sent as it is by the server. */
export function repeatedParameter(params: URLSearchParams): string | undefined {
  return RESPONSE_PARAMS.find((name) => params.getAll(name).length > 1);
}

/** Whether the query carries a token: what a server can check (it never sees the fragment; the browser checks both). */
export function queryCarriesTokens(params: URLSearchParams): boolean {
  return TOKEN_PARAMS.some((name) => params.has(name));
}

/**
 * Whether the response fails the RFC 9207 mix-up defence: an `iss` other than `issuer`, or none
 * when one is required.
 */
export function wrongIssuer(params: URLSearchParams, issuer: { issuer: string; requireIssuer: boolean }): boolean {
  const iss = params.get('iss');
  return iss === null ? issuer.requireIssuer : iss !== issuer.issuer;
}

/** Whether `error` is a readable OAuth error code (RFC 6749 §4.1.2.1's character set, at most 128 characters). */
export function isOAuthErrorValue(error: string): boolean {
  return ERROR_VALUE.test(error);
}

/** Server text for people: at most {@link MAX_DESCRIPTION_LENGTH} characters. */
export function truncate(text: string): string {
  return text.length > MAX_DESCRIPTION_LENGTH ? `${text.slice(0, MAX_DESCRIPTION_LENGTH - 1)}…` : text;
}
