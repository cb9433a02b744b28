import type { ResolvedConfig } from '../config/resolveConfig.js';
import { requestTokens } from '../http/requestTokens.js';
import type { CelonisAuthDeps } from '../platform/celonisAuthDeps.js';
import { CelonisAuthError, isCelonisAuthError } from '../protocol/celonisAuthError.js';
import type { TokenSet } from '../protocol/readTokenResponse.js';
import type { SessionManager } from '../session/sessionManager.js';
import { carriesTokens, cleanCallbackUrl, hasCallbackParams, MAX_STATE_LENGTH } from '../protocol/authorizationResponse.js';
import { readAuthorizationResponse } from './authorizationResponse.js';
import { takeLoginTransaction } from './loginRequest.js';
import type { LoginTransactionStore } from './loginTransactionStore.js';
import { isOwnPath } from './resolveReturnTo.js';

/** What a handled callback tells the app: where the user wanted to go. */
export interface RedirectCallbackResult {
  /** A same-origin path (with query and fragment) recorded by `login({ returnTo })`. */
  returnTo: string;
}

// An exchange older than this when the page reloads is not "under way" any more (requests time out after 30 s).
const EXCHANGE_MAX_AGE_MS = 120_000;
// Two interruptions within this window: an automatic new sign-in was tried already, so do not try again.
const INTERRUPTION_WINDOW_MS = 600_000;

/**
 * Creates `handleRedirectCallback`. Tokens in the URL are scrubbed and refused first; then, in the
 * order RFC 9700 asks: `state` and its transaction, the rest of the response (repeats, `iss`,
 * bounds), `error`, and only then the code exchange; no token request is sent for a callback that
 * fails a check. One result per `state`, so a second call (React StrictMode) sends nothing; a
 * reload while the code was exchanged ends in `login_interrupted`, never in a confusing refusal.
 */
export function createRedirectCallbackHandler(config: ResolvedConfig, deps: CelonisAuthDeps, transactions: LoginTransactionStore, manager: SessionManager) {
  const results = new Map<string, Promise<RedirectCallbackResult>>();
  let latest: Promise<RedirectCallbackResult> | undefined;

  async function exchange(url: URL, state: string): Promise<RedirectCallbackResult> {
    const session = manager.session;
    // A reload of a callback that already signed in: keep the session, send nothing.
    if (session?.callbackState === state) return { returnTo: ownPathOr(session.returnTo) };
    manager.showSigningIn('handlingCallback');
    try {
      const transaction = await takeLoginTransaction(transactions, state, deps.now());
      if (!transaction) {
        throw new CelonisAuthError(
          'missing_transaction',
          'No login is waiting for this callback (it was already used, is too old, or started in another browser): sign in again',
        );
      }
      // Stored values are checked again: anything with access to storage could have changed them.
      if (!isOwnPath(transaction.returnTo)) {
        deps.warn('a login transaction with a returnTo on another origin was dropped');
        throw new CelonisAuthError('missing_transaction', 'The login transaction was not usable: sign in again');
      }
      const response = readAuthorizationResponse(url, config);
      if ('error' in response) {
        throw new CelonisAuthError('authorization_error', `The authorization server refused the login: ${response.error}`, {
          oauthError: response.error,
          ...(response.description === undefined ? {} : { oauthErrorDescription: response.description }),
        });
      }
      const turn = manager.turn();
      transactions.beginExchange(state, transaction.returnTo, deps.now());
      let tokens: TokenSet;
      try {
        tokens = await requestTokens(config, deps, {
          params: { grant_type: 'authorization_code', code: response.code, redirect_uri: transaction.redirectUri, code_verifier: transaction.codeVerifier },
          requestedScopes: transaction.scopes,
        });
      } catch (error) {
        // A request cut off (a reload or a closing tab aborts it, and the old page may still run this) stays
        // marked, so the next page can say the sign-in was interrupted; an answer of the server ends it.
        if (!isCelonisAuthError(error, 'network_error', 'token_endpoint_unreachable', 'aborted')) transactions.endExchange();
        throw error;
      }
      transactions.endExchange();
      // A logout (or another tab's login) while the code was exchanged wins: this login is dropped.
      if (turn.overtaken) throw new CelonisAuthError('aborted', 'The sign-in was cancelled by a sign-out or another sign-in while it completed');
      manager.establish(tokens, { state, returnTo: transaction.returnTo });
      transactions.clearInterruption();
      return { returnTo: transaction.returnTo };
    } catch (error) {
      const failure = isCelonisAuthError(error)
        ? error
        : new CelonisAuthError('storage_unavailable', 'The login transaction could not be read', { cause: error });
      manager.restore(failure);
      throw failure;
    }
  }

  // Early refusals land in the store too, like the ones after the transaction was read.
  function refuse(failure: CelonisAuthError): Promise<never> {
    manager.restore(failure);
    return Promise.reject(failure);
  }

  // The clean callback URL with no response on it: a StrictMode re-run, a reload after sign-in, or a reload mid-exchange.
  function revisit(): Promise<RedirectCallbackResult> {
    // The URL was cleaned by a first call (React StrictMode runs effects twice): same result.
    if (latest) return latest;
    const interrupted = transactions.takeExchange(deps.now(), EXCHANGE_MAX_AGE_MS);
    manager.syncFromStorage();
    const session = manager.session;
    // The cleaned callback page reloaded after sign-in (or after the exchange it interrupted had finished): nothing to do.
    if (session && (!interrupted || session.callbackState === interrupted.state)) return (latest = Promise.resolve({ returnTo: ownPathOr(session.returnTo) }));
    if (interrupted) {
      const retried = transactions.noteInterruption(deps.now(), INTERRUPTION_WINDOW_MS);
      return (latest = refuse(
        new CelonisAuthError('login_interrupted', 'Sign-in was interrupted (the page reloaded while it completed): sign in again', {
          returnTo: ownPathOr(interrupted.returnTo),
          retried,
        }),
      ));
    }
    return refuse(new CelonisAuthError('invalid_callback', 'This URL is not an authorization callback: it has no code, error or state'));
  }

  return function handleRedirectCallback(url?: string): Promise<RedirectCallbackResult> {
    const href = url ?? deps.currentUrl();
    let parsed: URL;
    try {
      parsed = new URL(href);
    } catch {
      return refuse(new CelonisAuthError('invalid_callback', 'The callback URL is not a valid absolute URL'));
    }
    const own = url === undefined || href === deps.currentUrl();
    // Codes and tokens must not linger in the address bar, history or Referer, whatever happens next.
    if (own && (hasCallbackParams(parsed) || carriesTokens(parsed))) deps.replaceUrl(cleanCallbackUrl(parsed));
    if (carriesTokens(parsed)) {
      latest = refuse(new CelonisAuthError('invalid_callback', 'The callback carries tokens in its URL, which an authorization-code response never does'));
      return latest;
    }
    if (!hasCallbackParams(parsed)) return revisit();
    const states = parsed.searchParams.getAll('state');
    if (states.length !== 1 || states[0] === '' || states[0]!.length > MAX_STATE_LENGTH) {
      // Kept as the latest result: a second call sees the cleaned URL and must hear the same refusal.
      latest = refuse(new CelonisAuthError('state_mismatch', 'The callback has no single state parameter; it was not started by this app'));
      return latest;
    }
    const state = states[0]!;
    let result = results.get(state);
    if (!result) {
      result = exchange(parsed, state);
      results.set(state, result);
    }
    latest = result;
    return result;
  };
}

// A stored returnTo that is no longer a path of this origin sends the user home instead.
function ownPathOr(returnTo: unknown): string {
  return isOwnPath(returnTo) ? returnTo : '/';
}
