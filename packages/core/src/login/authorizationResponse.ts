import { isOAuthErrorValue, MAX_CODE_LENGTH, repeatedParameter, truncate, wrongIssuer } from '../protocol/authorizationResponse.js';
import { CelonisAuthError } from '../protocol/celonisAuthError.js';

/** What a checked authorization response carries (RFC 6749 §4.1.2). */
export type AuthorizationResponse = { code: string } | { error: string; description: string | undefined };

/**
 * Checks an authorization response whose `state` was already matched to a transaction with the
 * protocol's rules (its tokens were checked before): no repeated parameter, the issuer (RFC 9207)
 * when `iss` is sent or required, an `error` within RFC 6749's character set, a bounded `code`.
 * Server text is cut to `MAX_DESCRIPTION_LENGTH`.
 *
 * @throws {CelonisAuthError} `invalid_callback`, `issuer_mismatch`.
 */
export function readAuthorizationResponse(url: URL, issuer: { issuer: string; requireIssuer: boolean }): AuthorizationResponse {
  const params = url.searchParams;
  const repeated = repeatedParameter(params);
  if (repeated) throw invalid(`The callback repeats the ${repeated} parameter; it was not sent by the authorization server`);
  if (wrongIssuer(params, issuer)) {
    throw new CelonisAuthError(
      'issuer_mismatch',
      params.get('iss') === null
        ? `The callback has no iss parameter, which this app requires (RFC 9207); expected ${issuer.issuer}`
        : `The callback comes from another issuer than ${issuer.issuer} (RFC 9207 mix-up defence)`,
    );
  }
  const error = params.get('error');
  if (error !== null) {
    if (!isOAuthErrorValue(error)) throw invalid('The callback has an error value outside RFC 6749 §4.1.2.1');
    const description = params.get('error_description') ?? undefined;
    return { error, description: description === undefined ? undefined : truncate(description) };
  }
  const code = params.get('code');
  if (!code) throw invalid('The callback has neither a code nor an error');
  if (code.length > MAX_CODE_LENGTH) throw invalid(`The callback's code is longer than ${MAX_CODE_LENGTH} characters`);
  return { code };
}

function invalid(message: string): CelonisAuthError {
  return new CelonisAuthError('invalid_callback', message);
}
