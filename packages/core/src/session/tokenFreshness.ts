import type { StoredSession } from './sessionRecordStore.js';

/** How long a token must still be valid for `getAccessToken()` to hand it out without a refresh. */
export const DEFAULT_MIN_VALIDITY_SECONDS = 5;

/** What a caller needs of the access token. */
export interface TokenNeed {
  /** Valid for at least this many more seconds. Default {@link DEFAULT_MIN_VALIDITY_SECONDS}. */
  minValiditySeconds?: number;
  /** Never the current token: a refresh must run. */
  forceRefresh?: boolean;
  /** Not this token: an API refused it (401 `invalid_token`). */
  rejected?: string;
}

/**
 * The one rule for "is this token good enough, or must we refresh": the session's access token
 * when it meets `need` at `now`, else `undefined` (refresh, or sign in when there is no session).
 *
 * @example
 * ```ts
 * usableToken(session, Date.now(), { minValiditySeconds: 0 }) // the token while it has not expired
 * ```
 */
export function usableToken(session: StoredSession | undefined, now: number, need: TokenNeed = {}): string | undefined {
  if (!session || need.forceRefresh || session.accessToken === need.rejected) return undefined;
  return session.expiresAt - now > (need.minValiditySeconds ?? DEFAULT_MIN_VALIDITY_SECONDS) * 1000 ? session.accessToken : undefined;
}

/** Whether the session's access token has not expired at `now`. */
export function isUnexpired(session: StoredSession | undefined, now: number): boolean {
  return usableToken(session, now, { minValiditySeconds: 0 }) !== undefined;
}
