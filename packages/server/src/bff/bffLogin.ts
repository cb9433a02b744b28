import { checkScopeList, CodedTypeError, splitScopeString } from '@celonis-auth/core/protocol';
import { forgetPendingLogins, readCookies, setCookie, TRANSACTION_TTL_SECONDS, transactionCookieName } from './bffCookies.js';
import { pkceChallenge, randomToken, sha256Base64url } from './bffIds.js';
import { signInPage } from './bffPage.js';
import { redirect, type BffFailure } from './bffResponses.js';
import type { BffSettings } from './bffSettings.js';
import { saveTransaction } from './bffTransactions.js';

const MAX_RETURN_TO_LENGTH = 2_048;
const OWN = 'https://own.invalid';
const MAX_EXTRA_SCOPES = 50;
// Control characters and backslashes: browsers and routers disagree on what they mean in a path.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const UNSAFE_IN_PATH = /[\u0000-\u001f\u007f\\]/;

/**
 * `GET {basePath}/login?returnTo=/path&scopes=a%20b`: makes a `state` (256 bits from the CSPRNG) and
 * a PKCE S256 verifier, keeps the transaction server-side (sealed, 10 minutes) under a transaction
 * cookie named after the state (one per login, so two tabs can sign in at once), and redirects to
 * the team's `/oauth2/authorize`. A `returnTo` that is no same-origin path, or malformed `scopes`,
 * end on a 400 page; nothing is stored then.
 */
export async function handleLogin(settings: BffSettings, request: Request): Promise<Response> {
  const query = new URL(request.url).searchParams;
  const returnTo = readReturnTo(query.getAll('returnTo'));
  if (typeof returnTo !== 'string') return signInPage(returnTo, { basePath: settings.basePath, returnTo: '/' });
  const scopes = readScopes(settings.scopes, query.getAll('scopes'));
  if (!Array.isArray(scopes)) return signInPage(scopes, { basePath: settings.basePath, returnTo });
  const state = randomToken(settings.randomBytes);
  const codeVerifier = randomToken(settings.randomBytes);
  const binding = randomToken(settings.randomBytes);
  await saveTransaction(settings, state, { binding: sha256Base64url(binding), codeVerifier, returnTo, scopes, createdAt: settings.now() });
  const authorize = new URL(settings.authorizationEndpoint);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: settings.redirectUri,
    scope: scopes.join(' '),
    state,
    code_challenge: pkceChallenge(codeVerifier),
    code_challenge_method: 'S256',
  }).toString();
  const cookies = [
    ...forgetPendingLogins(settings.cookie, readCookies(request)),
    setCookie(settings.cookie, transactionCookieName(settings.cookie, state), binding, TRANSACTION_TTL_SECONDS),
  ];
  return redirect(authorize.href, cookies);
}

/**
 * The `returnTo` of a login: a path on this origin (with query and fragment), as `URL` parses it, `/` when absent.
 * Refused: repeated, absolute URLs, `//host`, `/\host`, backslashes, control characters, over 2 048 characters.
 */
export function readReturnTo(values: readonly string[]): string | BffFailure {
  if (values.length === 0) return '/';
  const value = values[0]!;
  const own = values.length === 1 && value.length <= MAX_RETURN_TO_LENGTH && value.startsWith('/') && !value.startsWith('//') && !UNSAFE_IN_PATH.test(value);
  const url = own && URL.canParse(value, OWN) ? new URL(value, OWN) : undefined;
  // As parsed (percent-encoded, dot segments gone); "/.//evil.example" parses to the path "//evil.example", which a router would read as a host.
  if (url?.origin === OWN) return `${url.pathname.replace(/^\/{2,}/, '/')}${url.search}${url.hash}`;
  return { status: 400, error: 'invalid_return_to', description: 'This sign-in link would send you to another site afterwards, so it was not started.' };
}

// The configured scopes plus those the page asked for (each an RFC 6749 scope token), no duplicates.
function readScopes(configured: readonly string[], values: readonly string[]): string[] | BffFailure {
  const invalid: BffFailure = {
    status: 400,
    error: 'invalid_scopes',
    description: 'This sign-in link asks for permissions in a form Celonis does not accept.',
  };
  if (values.length > 1) return invalid;
  const extra = values.length === 0 ? [] : splitScopeString(values[0]!);
  if (extra.length > MAX_EXTRA_SCOPES) return invalid;
  try {
    checkScopeList([...new Set(extra)], 'scopes');
  } catch (error) {
    if (error instanceof CodedTypeError) return invalid;
    throw error;
  }
  return [...new Set([...configured, ...extra])];
}
