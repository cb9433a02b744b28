import { isCelonisAuthError } from '@celonis-auth/core/protocol';
import { SessionStoreUnavailableError } from '../sessionStore/sessionStore.js';
import type { BffFailure } from './bffResponses.js';
import { readSession, sessionKey, sessionLockName, writeSession, type SessionRecord } from './bffSessions.js';
import type { BffSettings } from './bffSettings.js';
import { isInvalidGrant, requestTokenSet, tokenFailureName } from './bffTokens.js';

/** A session with a usable access token, or why there is none. */
export type FreshSession =
  | { kind: 'ok'; record: SessionRecord }
  /** The session is gone (logged out, timed out, unreadable). */
  | { kind: 'signedOut' }
  /** The refresh token was refused: the session was deleted. */
  | { kind: 'expired' }
  /** The token endpoint failed and the token cannot be used any more: 502 or 503. */
  | { kind: 'failed'; failure: BffFailure };

/** Gives a session a usable token: `stale` is a token the API just refused (401 `invalid_token`). */
export type SessionRefresher = (hash: string, record: SessionRecord, stale?: string) => Promise<FreshSession>;

// The lease outlasts the token request (bounded by timeoutMs) and the writes around it.
const LEASE_MARGIN_MS = 10_000;
// Renewed sessions kept while the store refuses them; beyond this many the oldest is dropped (memory stays bounded).
const MAX_UNSAVED = 10_000;

/**
 * Creates the refresher of a BFF instance. A token is refreshed when it is within the leeway of its
 * expiry or was refused by an API. One refresh per session at a time: in this process by sharing the
 * promise, across instances by the store's lock `refresh:<session hash>`; inside the lock the record
 * is read again and the refresh skipped when another instance did it already, so a rotating refresh
 * token is used once. `invalid_grant` deletes the session. Other failures keep the session; while the
 * old token has not expired (and no API refused it) it is still used.
 *
 * A renewal the store fails to take is not lost: the refresh token it replaced is spent at Celonis,
 * so this instance keeps the new record, serves with it, and writes it at the session's next use
 * (when the store still holds the record it replaced; a logout or another renewal meanwhile wins).
 */
export function createSessionRefresher(settings: BffSettings): SessionRefresher {
  const flights = new Map<string, Promise<FreshSession>>();
  const unsaved = new Map<string, { spent: string; record: SessionRecord }>();
  const due = (record: SessionRecord, stale: string | undefined) => record.accessToken === stale || record.expiresAt - settings.now() <= settings.leewayMs;

  function shared(hash: string, stale: string | undefined): Promise<FreshSession> {
    let flight = flights.get(hash);
    if (!flight) {
      flight = underLock(hash, stale).finally(() => flights.delete(hash));
      flights.set(hash, flight);
    }
    return flight;
  }

  async function underLock(hash: string, stale: string | undefined): Promise<FreshSession> {
    const leaseMs = settings.timeoutMs + LEASE_MARGIN_MS;
    const lock = await settings.store.lock(sessionLockName(hash), { leaseMs, waitMs: leaseMs });
    try {
      // Read again inside the lock: another instance may have refreshed (or ended) the session meanwhile.
      let current = await readSession(settings, hash);
      const kept = unsaved.get(hash);
      if (kept && current?.refreshToken === kept.spent) {
        await writeSession(settings, hash, kept.record);
        current = kept.record;
      }
      unsaved.delete(hash);
      if (!current) return { kind: 'signedOut' };
      if (!due(current, stale)) return { kind: 'ok', record: current };
      if (!lock) return await unrefreshed(hash, current, stale, busy());
      if (current.refreshToken === null) return await unrefreshed(hash, current, stale, { kind: 'expired' });
      return await refresh(hash, current, current.refreshToken, stale);
    } finally {
      await lock?.release();
    }
  }

  async function refresh(hash: string, current: SessionRecord, refreshToken: string, stale: string | undefined): Promise<FreshSession> {
    let tokens;
    try {
      tokens = await requestTokenSet(settings, { grant_type: 'refresh_token', refresh_token: refreshToken }, current.scopes);
    } catch (error) {
      if (error instanceof SessionStoreUnavailableError) throw error;
      settings.logger.warn(`celonis-auth BFF: a session's refresh failed (${tokenFailureName(error)})`);
      if (isInvalidGrant(error)) {
        await settings.store.delete(sessionKey(hash));
        return { kind: 'expired' };
      }
      return await unrefreshed(hash, current, stale, refreshFailure(error));
    }
    // A logout while the token was refreshed wins: the session is not written back.
    if (!(await readSession(settings, hash))) return { kind: 'signedOut' };
    const record: SessionRecord = {
      ...current,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken ?? refreshToken,
      expiresAt: tokens.expiresAt,
      scopes: tokens.scopes,
      lastSeenAt: settings.now(),
    };
    try {
      await writeSession(settings, hash, record);
    } catch (error) {
      if (!(error instanceof SessionStoreUnavailableError)) throw error;
      keep(hash, refreshToken, record);
      settings.logger.warn('celonis-auth BFF: a renewed session could not be stored; this instance keeps it and stores it at its next use');
    }
    return { kind: 'ok', record };
  }

  function keep(hash: string, spent: string, record: SessionRecord): void {
    unsaved.delete(hash);
    if (unsaved.size >= MAX_UNSAVED) unsaved.delete(unsaved.keys().next().value!);
    unsaved.set(hash, { spent, record });
  }

  // The old token, while it is still good for the API; else the failure (a session that cannot be renewed is deleted).
  async function unrefreshed(hash: string, current: SessionRecord, stale: string | undefined, failure: FreshSession): Promise<FreshSession> {
    if (current.accessToken !== stale && current.expiresAt > settings.now()) return { kind: 'ok', record: current };
    if (failure.kind === 'expired') await settings.store.delete(sessionKey(hash));
    return failure;
  }

  return async (hash, record, stale) => {
    if (!due(record, stale) && !unsaved.has(hash)) return { kind: 'ok', record };
    const outcome = await shared(hash, stale);
    // A flight that began before this request's token was refused may have ended with that very token: one more.
    if (outcome.kind === 'ok' && stale !== undefined && outcome.record.accessToken === stale) return shared(hash, stale);
    return outcome;
  };
}

function busy(): FreshSession {
  return {
    kind: 'failed',
    failure: { status: 503, error: 'refresh_in_progress', description: 'the session is being renewed: try again', headers: { 'Retry-After': '1' } },
  };
}

function refreshFailure(error: unknown): FreshSession {
  if (isCelonisAuthError(error, 'server_unavailable')) {
    const retryAfter = String(Math.max(1, error.retryAfterSeconds ?? 1));
    return {
      kind: 'failed',
      failure: {
        status: 503,
        error: 'token_endpoint_unavailable',
        description: 'Celonis cannot renew the session right now',
        headers: { 'Retry-After': retryAfter },
      },
    };
  }
  return { kind: 'failed', failure: { status: 502, error: 'refresh_failed', description: 'the session could not be renewed with Celonis' } };
}
