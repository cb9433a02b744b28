import type { ResolvedConfig } from '../config/resolveConfig.js';
import type { CelonisAuthDeps } from '../platform/celonisAuthDeps.js';
import { CelonisAuthError, isCelonisAuthError } from '../protocol/celonisAuthError.js';
import { takeLoginTransaction } from './loginRequest.js';
import type { LoginTransactionStore } from './loginTransactionStore.js';
import type { SessionManager } from '../session/sessionManager.js';
import { requestTokens } from '../http/requestTokens.js';

/** What a handled callback tells the app: where the user wanted to go. */
export interface RedirectCallbackResult {
  /** A same-origin path (with query and fragment) recorded by `login({ returnTo })`. */
  returnTo: string;
}

const CALLBACK_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri', 'iss', 'session_state'];

/** Whether `url` carries an authorization response (`code`, `error` or `state`). */
export function hasCallbackParams(url: URL): boolean {
  return url.searchParams.has('code') || url.searchParams.has('error') || url.searchParams.has('state');
}

/**
 * Creates `handleRedirectCallback`. Checks run in the order RFC 9700 asks: `state` and its
 * transaction first, then `error`, then the code exchange; no token request is sent for a callback
 * that fails a check. One result per `state`, so a second call (React StrictMode) sends nothing.
 */
export function createRedirectCallbackHandler(config: ResolvedConfig, deps: CelonisAuthDeps, transactions: LoginTransactionStore, manager: SessionManager) {
  const results = new Map<string, Promise<RedirectCallbackResult>>();
  let latest: Promise<RedirectCallbackResult> | undefined;

  async function exchange(url: URL, state: string): Promise<RedirectCallbackResult> {
    const session = manager.session;
    // A reload of a callback that already signed in: keep the session, send nothing.
    if (session?.callbackState === state) return { returnTo: session.returnTo ?? '/' };
    manager.showSigningIn('handlingCallback');
    try {
      const transaction = await takeLoginTransaction(transactions, state, deps.now());
      if (!transaction) {
        throw new CelonisAuthError(
          'missing_transaction',
          'No login is waiting for this callback (it was already used, is too old, or started in another browser): sign in again',
        );
      }
      const error = url.searchParams.get('error');
      if (error !== null) {
        const description = url.searchParams.get('error_description') ?? undefined;
        throw new CelonisAuthError('authorization_error', `The authorization server refused the login: ${error}`, {
          oauthError: error,
          ...(description === undefined ? {} : { oauthErrorDescription: description }),
        });
      }
      const code = url.searchParams.get('code');
      if (!code) throw new CelonisAuthError('invalid_callback', 'The callback has neither a code nor an error');
      const turn = manager.turn();
      const tokens = await requestTokens(config, deps, {
        params: { grant_type: 'authorization_code', code, redirect_uri: transaction.redirectUri, code_verifier: transaction.codeVerifier },
        requestedScopes: transaction.scopes,
      });
      // A logout (or another tab's login) while the code was exchanged wins: this login is dropped.
      if (turn.overtaken) throw new CelonisAuthError('aborted', 'The sign-in was cancelled by a sign-out or another sign-in while it completed');
      manager.establish(tokens, { state, returnTo: transaction.returnTo });
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

  return function handleRedirectCallback(url?: string): Promise<RedirectCallbackResult> {
    const href = url ?? deps.currentUrl();
    let parsed: URL;
    try {
      parsed = new URL(href);
    } catch {
      return refuse(new CelonisAuthError('invalid_callback', 'The callback URL is not a valid absolute URL'));
    }
    if (!hasCallbackParams(parsed)) {
      // The URL was cleaned by a first call (React StrictMode runs effects twice): same result.
      if (latest) return latest;
      // The cleaned callback page reloaded after sign-in: nothing to do.
      if (manager.session) return Promise.resolve({ returnTo: manager.session.returnTo ?? '/' });
      return refuse(new CelonisAuthError('invalid_callback', 'This URL is not an authorization callback: it has no code, error or state'));
    }
    // Codes must not linger in the address bar, history or Referer, whatever happens next.
    if (url === undefined || href === deps.currentUrl()) deps.replaceUrl(cleanUrl(parsed));
    const states = parsed.searchParams.getAll('state');
    if (states.length !== 1 || states[0] === '') {
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

function cleanUrl(url: URL): string {
  const clean = new URL(url.href);
  for (const name of CALLBACK_PARAMS) clean.searchParams.delete(name);
  return clean.href;
}
