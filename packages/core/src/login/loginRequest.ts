// The only file that imports oidc-client-ts: it creates the authorization request (state from the
// CSPRNG, PKCE S256) and stores and takes back its transaction. Token requests are ours, through the
// injected fetch, because its JsonService calls the global fetch and cannot be aborted.
import { OidcClient } from 'oidc-client-ts';
import type { ResolvedConfig } from '../config/resolveConfig.js';
import type { LoginTransactionStore } from './loginTransactionStore.js';

/** What `login` stored for one `state`. */
export interface LoginTransaction {
  state: string;
  codeVerifier: string;
  redirectUri: string;
  scopes: string[];
  returnTo: string;
  /** ms since the epoch. */
  createdAt: number;
}

/** Creates requests and reads transactions back. */
export interface OidcProtocol {
  createAuthorizationRequest(scopes: readonly string[], returnTo: string, createdAt: number): Promise<{ url: string; state: string }>;
  /** Takes (reads and removes) the transaction of a callback URL; undefined when it is not there. */
  takeTransaction(callbackUrl: string, state: string): Promise<LoginTransaction | undefined>;
}

// Transactions older than this are stale: purged at the next login and refused at the callback.
export const TRANSACTION_MAX_AGE_SECONDS = 600;

/** Wraps an `OidcClient` configured with manual metadata: no discovery, no userinfo, no id_token. */
export function createOidcProtocol(config: ResolvedConfig, transactions: LoginTransactionStore): OidcProtocol {
  const client = new OidcClient({
    authority: config.teamUrl,
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    response_type: 'code',
    scope: config.scopes.join(' '),
    metadata: { issuer: config.teamUrl, authorization_endpoint: config.authorizationEndpoint, token_endpoint: config.tokenEndpoint },
    stateStore: transactions,
    staleStateAgeInSeconds: TRANSACTION_MAX_AGE_SECONDS,
    loadUserInfo: false,
  });
  return {
    async createAuthorizationRequest(scopes, returnTo, createdAt) {
      const request = await client.createSigninRequest({ scope: scopes.join(' '), state: { returnTo, scopes: [...scopes], createdAt } });
      return { url: request.url, state: request.state.id };
    },
    async takeTransaction(callbackUrl, state) {
      if ((await transactions.get(state)) === null) return undefined;
      const { state: stored } = await client.readSigninResponseState(callbackUrl, true);
      const data = stored.data as { returnTo?: unknown; scopes?: unknown; createdAt?: unknown } | undefined;
      if (!stored.code_verifier || typeof data?.returnTo !== 'string' || !Array.isArray(data.scopes) || typeof data.createdAt !== 'number') return undefined;
      return {
        state,
        codeVerifier: stored.code_verifier,
        redirectUri: stored.redirect_uri,
        scopes: data.scopes.filter((s): s is string => typeof s === 'string'),
        returnTo: data.returnTo,
        createdAt: data.createdAt,
      };
    },
  };
}
