// The only file that imports oidc-client-ts: its small tier, `SigninState`, derives the PKCE S256
// challenge and serialises the transaction. The state id and the verifier are our own random
// values from deps.crypto (256 bits each; oidc-client-ts's default id, a UUID v4, has 122).
import { SigninState } from 'oidc-client-ts';
import type { ResolvedConfig } from '../config/resolveConfig.js';
import type { CelonisAuthDeps } from '../platform/celonisAuthDeps.js';
import { randomBytes } from '../platform/randomBytes.js';
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

/** Transactions older than this are stale: purged at the next login and refused at the callback. */
const TRANSACTION_MAX_AGE_SECONDS = 600;

/**
 * Makes an authorization request (RFC 6749 §4.1.1 with RFC 7636 S256) and stores its transaction
 * under its `state`; stale transactions are purged first. Resolves with the URL to navigate to.
 *
 * @throws {CelonisAuthError} `storage_unavailable` when the transaction cannot be stored.
 */
export async function createLoginRequest(
  config: ResolvedConfig,
  deps: Pick<CelonisAuthDeps, 'crypto' | 'now'>,
  transactions: LoginTransactionStore,
  request: { scopes: readonly string[]; returnTo: string },
): Promise<{ url: string; state: string }> {
  const createdAt = deps.now();
  const signin = await SigninState.create({
    id: randomToken(deps),
    code_verifier: randomToken(deps),
    authority: config.teamUrl,
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: request.scopes.join(' '),
    created: Math.floor(createdAt / 1000),
    data: { returnTo: request.returnTo, scopes: [...request.scopes], createdAt },
  });
  transactions.purge((record) => !isCurrent(record, createdAt));
  transactions.set(signin.id, signin.toStorageString());
  const url = new URL(config.authorizationEndpoint);
  for (const [name, value] of [
    ['client_id', config.clientId],
    ['redirect_uri', config.redirectUri],
    ['response_type', 'code'],
    ['scope', signin.scope],
    ['state', signin.id],
    ['code_challenge', signin.code_challenge!],
    ['code_challenge_method', 'S256'],
  ] as const)
    url.searchParams.set(name, value);
  return { url: url.href, state: signin.id };
}

/**
 * Takes (reads and removes) the transaction of `state`; `undefined` when there is none, it is
 * malformed, or it is older than {@link TRANSACTION_MAX_AGE_SECONDS}.
 */
export async function takeLoginTransaction(transactions: LoginTransactionStore, state: string, now: number): Promise<LoginTransaction | undefined> {
  const record = transactions.take(state);
  if (record === null || !isCurrent(record, now)) return undefined;
  const stored = await SigninState.fromStorageString(record);
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
}

// A record whose own creation time is within the age limit; unreadable records are not current.
function isCurrent(record: string, now: number): boolean {
  try {
    const createdAt = (JSON.parse(record) as { data?: { createdAt?: unknown } }).data?.createdAt;
    return typeof createdAt === 'number' && now - createdAt <= TRANSACTION_MAX_AGE_SECONDS * 1000;
  } catch {
    return false;
  }
}

// 32 bytes from the CSPRNG as base64url: 43 characters, a valid PKCE verifier (RFC 7636 §4.1) and a 256-bit state.
function randomToken(deps: Pick<CelonisAuthDeps, 'crypto'>): string {
  let binary = '';
  for (const byte of randomBytes(deps, 32)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
