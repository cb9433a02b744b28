import { isCelonisAuthError, type TokenSet } from '@celonis-auth/core/protocol';
import { SessionStoreUnavailableError } from '../sessionStore/sessionStore.js';
import { clearCookie, readCookies, setCookie, transactionCookieName } from './bffCookies.js';
import { RANDOM_TOKEN, randomToken, sameSecret, sha256Base64url } from './bffIds.js';
import { signInPage } from './bffPage.js';
import { redirect, type BffFailure } from './bffResponses.js';
import { sessionCookie, sessionKey, writeSession } from './bffSessions.js';
import type { BffSettings } from './bffSettings.js';
import { requestTokenSet, tokenFailureName } from './bffTokens.js';
import { deleteTransaction, readTransaction } from './bffTransactions.js';
import { readCallback } from './callbackParams.js';

const NOT_OURS: BffFailure = { status: 400, error: 'state_mismatch', description: 'This sign-in response does not belong to a sign-in this portal started.' };
const OTHER_BROWSER: BffFailure = {
  status: 400,
  error: 'state_mismatch',
  description: 'This sign-in was started in another browser or tab that has since been closed, or more than 10 minutes ago.',
};
const USED: BffFailure = {
  status: 400,
  error: 'missing_transaction',
  description: 'This sign-in response was already used, or the sign-in took more than 10 minutes.',
};

/**
 * `GET {callback path}?code&state[&iss]`: `state` first (one, of the BFF's shape, its transaction
 * found and the browser's transaction cookie matching it in constant time), then the transaction is
 * deleted (single use) and the rest is checked as the browser core does; only then is the code
 * exchanged (with the secret, `code_verifier` and `redirect_uri`). Success: a new session id (any
 * session the browser had is deleted: no fixation), the sealed record, the session cookie, the
 * transaction cookie cleared, 302 to `returnTo`. Every failure is a page in plain words with a
 * link to start again, and sends no token request.
 */
export async function handleCallback(settings: BffSettings, request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const states = params.getAll('state');
  const state = states.length === 1 && RANDOM_TOKEN.test(states[0]!) ? states[0]! : undefined;
  const retry = { basePath: settings.basePath, returnTo: '/' };
  if (state === undefined) return signInPage(NOT_OURS, retry);
  const cookies = readCookies(request);
  const cookieName = transactionCookieName(settings.cookie, state);
  const binding = cookies.get(cookieName);
  const clear = [clearCookie(settings.cookie, cookieName)];
  if (binding === undefined) return signInPage(OTHER_BROWSER, retry);
  const transaction = await readTransaction(settings, state);
  if (!transaction) return signInPage(USED, retry, clear);
  if (!sameSecret(sha256Base64url(binding), transaction.binding)) return signInPage(OTHER_BROWSER, retry, clear);
  // Single use from here on, whatever the rest of the response says.
  await deleteTransaction(settings, state);
  retry.returnTo = transaction.returnTo;
  const response = readCallback(params, settings.issuer);
  if (!response.ok) return signInPage(response.failure, retry, clear);
  let tokens: TokenSet;
  try {
    tokens = await requestTokenSet(
      settings,
      { grant_type: 'authorization_code', code: response.code, redirect_uri: settings.redirectUri, code_verifier: transaction.codeVerifier },
      transaction.scopes,
    );
  } catch (error) {
    if (error instanceof SessionStoreUnavailableError) throw error;
    settings.logger.warn(`celonis-auth BFF: a sign-in's code exchange failed (${tokenFailureName(error)})`);
    return signInPage(exchangeFailure(error), retry, clear);
  }
  // No session fixation: whatever session this browser had ends, and the new one gets a new id.
  const old = sessionCookie(settings, request);
  if (old.hash !== null) await settings.store.delete(sessionKey(old.hash));
  const sessionId = randomToken(settings.randomBytes);
  const now = settings.now();
  const record = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? null, expiresAt: tokens.expiresAt, scopes: tokens.scopes };
  await writeSession(settings, sha256Base64url(sessionId), { ...record, createdAt: now, lastSeenAt: now });
  return redirect(transaction.returnTo, [...clear, setCookie(settings.cookie, settings.cookie.name, sessionId, Math.floor(settings.absoluteMs / 1000))]);
}

function exchangeFailure(error: unknown): BffFailure {
  if (isCelonisAuthError(error, 'server_unavailable')) {
    return {
      status: 503,
      error: 'server_unavailable',
      description: 'Celonis is not available right now, so the sign-in could not be completed. Try again in a moment.',
      headers: { 'Retry-After': String(Math.max(1, error.retryAfterSeconds ?? 1)) },
    };
  }
  if (isCelonisAuthError(error, 'token_error')) {
    return { status: 502, error: 'token_error', description: `Celonis refused to complete the sign-in (${error.oauthError ?? 'error'}). Start again.` };
  }
  if (isCelonisAuthError(error, 'network_error'))
    return { status: 502, error: 'network_error', description: 'Celonis could not be reached to complete the sign-in.' };
  return { status: 502, error: 'invalid_token_response', description: 'Celonis answered the sign-in in a way this portal cannot use.' };
}
