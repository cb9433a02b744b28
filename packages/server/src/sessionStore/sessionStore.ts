/**
 * Where the backend-for-frontend keeps its sessions and sign-in transactions, shared by every
 * instance of the portal's server. Values are opaque strings: the BFF seals them (AES-GCM) before
 * they reach a store, so a store never sees a token. `createMemorySessionStore()` serves one process;
 * `createRedisSessionStore({ client })` from `@celonis-auth/server/redis` serves several.
 *
 * Every method rejects with a {@link SessionStoreUnavailableError} when the store cannot be reached
 * (the BFF answers 503 with `Retry-After` then, and nothing stored is lost).
 */
export interface SessionStore {
  /** The value stored under `key`, or `null` when there is none (never stored, deleted, or expired). */
  get(key: string): Promise<string | null>;
  /** Stores `value` under `key`, replacing any, for `ttlMs` milliseconds (a whole number, at least 1). */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Removes `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Takes the lock `name` as a lease of `leaseMs`: resolves to the held lock, or `null` when another
   * holder keeps it for longer than `waitMs`. A holder that dies leaves a lock that expires after its
   * lease; only the holder's `release()` frees it early (a late release after the lease ran out, when
   * someone else holds it now, frees nothing).
   */
  lock(name: string, options: { leaseMs: number; waitMs: number }): Promise<SessionStoreLock | null>;
}

/** A lock held through {@link SessionStore.lock}. */
export interface SessionStoreLock {
  /** Frees the lock if this holder still holds it; never throws for a lock already gone. */
  release(): Promise<void>;
}

/** The store could not be reached or did not answer in time; the request may be retried later. */
export class SessionStoreUnavailableError extends Error {
  override readonly name = 'SessionStoreUnavailableError';
  /** Seconds after which a retry is worth it. */
  readonly retryAfterSeconds: number;

  constructor(message: string, options: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
  }
}
