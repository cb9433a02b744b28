import { CelonisAuthError, isCelonisAuthError } from '../protocol/celonisAuthError.js';
import type { TokenSet } from '../protocol/readTokenResponse.js';
import type { SpentRefreshTokens } from '../tabs/spentRefreshTokens.js';
import type { SessionTurn } from './sessionEpoch.js';
import type { StoredSession } from './sessionRecordStore.js';
import { isUnexpired } from './tokenFreshness.js';

// How long to wait for another tab's rotated session to show up here: 40 × 50 ms.
const ROTATION_WAIT_ATTEMPTS = 40;
const ROTATION_WAIT_MS = 50;

/** The session owner, as a refresh transaction sees it. */
export interface RefreshHost {
  /** The session now. */
  session(): StoredSession | undefined;
  /** Re-reads shared storage: another tab may have refreshed, signed out or signed in. */
  syncFromStorage(): void;
  /** Shows `refreshing` for `session`. */
  showRefreshing(session: StoredSession): void;
  /** Keeps `session`, with `error` as the latest failure. */
  showFailure(session: StoredSession, error: CelonisAuthError): void;
  /** Stores a renewed session and tells the other tabs. */
  commit(session: StoredSession): void;
  /** Ends the session in every tab, with `error` as the reason. */
  signOut(error: CelonisAuthError): void;
}

/** Everything one refresh transaction uses; nothing else is reached for. */
export interface RefreshInputs {
  host: RefreshHost;
  /** Taken when the refresh was asked for: a sign-out or another session since then overtakes it. */
  turn: SessionTurn;
  /** Aborted when the turn is overtaken, so a request under way stops. */
  signal: AbortSignal;
  spent: SpentRefreshTokens;
  /** Sends the refresh-token grant. */
  send: (refreshToken: string, scopes: readonly string[], signal: AbortSignal) => Promise<TokenSet>;
  now: () => number;
  wait: (ms: number) => Promise<void>;
}

/**
 * One refresh, run while this tab holds the refresh lock: re-read the shared record (another tab
 * may have refreshed already), make sure the refresh token was not rotated elsewhere (spent), send
 * the grant, and commit the result only if nothing overtook it. A rotated refresh token is marked
 * spent before the lock is released.
 *
 * @throws {CelonisAuthError} `login_required`, `session_expired` (the refresh token was refused:
 *   signed out everywhere), `aborted` (overtaken), or the request's own error (session kept).
 */
export async function runRefreshTransaction(inputs: RefreshInputs): Promise<StoredSession> {
  const { host, turn, now } = inputs;
  if (turn.overtaken) {
    // Another tab's refresh reached this one (by message) while it waited for the lock: that is the result, not a cancellation.
    const session = host.session();
    if (session && isUnexpired(session, now())) return session;
    throw aborted();
  }
  const before = host.session();
  host.syncFromStorage();
  const current = host.session();
  // Another tab refreshed while this one waited for the lock: use its result.
  if (current && current.accessToken !== before?.accessToken && isUnexpired(current, now())) return current;
  if (!current) throw loginRequired();
  if (!current.refreshToken) {
    const failure = new CelonisAuthError('login_required', 'The session has no refresh token: sign in again');
    host.signOut(failure);
    throw failure;
  }
  if (inputs.spent.enabled && (await inputs.spent.isSpent(current.refreshToken))) return awaitRotation(inputs, current);
  host.showRefreshing(current);
  let tokens: TokenSet;
  try {
    tokens = await inputs.send(current.refreshToken, current.scopes, inputs.signal);
  } catch (error) {
    if (turn.overtaken) throw aborted(error);
    const failure = error as CelonisAuthError;
    if (isCelonisAuthError(failure, 'token_error') && failure.oauthError === 'invalid_grant') {
      const expired = new CelonisAuthError('session_expired', 'The session has ended (the refresh token was rejected): sign in again', {
        oauthError: failure.oauthError,
        ...(failure.oauthErrorDescription === undefined ? {} : { oauthErrorDescription: failure.oauthErrorDescription }),
        status: failure.status ?? 400,
        cause: failure,
      });
      host.signOut(expired);
      throw expired;
    }
    // Network trouble or an unavailable server: keep the session; the token stays usable until it expires.
    host.showFailure(current, failure);
    throw failure;
  }
  if (turn.overtaken) throw aborted();
  // Another tab may have signed out or signed in anew while the request ran: then this result is stale.
  host.syncFromStorage();
  if (host.session()?.sessionId !== current.sessionId) throw aborted();
  const next: StoredSession = {
    ...current,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken ?? current.refreshToken,
    expiresAt: tokens.expiresAt,
    scopes: tokens.scopes,
    rotation: current.rotation + 1,
    issuedAt: now(),
  };
  host.commit(next);
  // Before the refresh lock is released, so the next tab to hold it can tell the old token is spent.
  if (next.refreshToken !== current.refreshToken) await inputs.spent.mark(current.refreshToken);
  return next;
}

/**
 * Another tab rotated `current`'s refresh token, and its new session has not reached this page
 * yet: wait for it (storage or message) instead of sending the spent token, which would revoke
 * the session everywhere.
 */
async function awaitRotation({ host, turn, now, wait }: RefreshInputs, current: StoredSession): Promise<StoredSession> {
  for (let attempt = 0; attempt < ROTATION_WAIT_ATTEMPTS; attempt++) {
    if (!turn.overtaken) host.syncFromStorage();
    const session = host.session();
    if (!session) throw loginRequired();
    if (session.refreshToken !== current.refreshToken && isUnexpired(session, now())) return session;
    await wait(ROTATION_WAIT_MS);
  }
  throw new CelonisAuthError('aborted', 'Another tab renewed the session, but its result has not reached this tab yet; try again');
}

function loginRequired(): CelonisAuthError {
  return new CelonisAuthError('login_required', 'There is no session: sign in first');
}

function aborted(cause?: unknown): CelonisAuthError {
  return new CelonisAuthError('aborted', 'The refresh was cancelled by a sign-out or a newer session', cause === undefined ? {} : { cause });
}
