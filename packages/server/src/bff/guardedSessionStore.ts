import { SessionStoreUnavailableError, type SessionStore } from '../sessionStore/sessionStore.js';

/** A {@link SessionStore} whose every failure is a {@link SessionStoreUnavailableError}, and whose calls are bounded in time. */
export type GuardedSessionStore = SessionStore;

/**
 * Wraps `store` so that any failure (a rejection of any kind, or no answer within `timeoutMs`; for
 * `lock`, within its `waitMs` plus `timeoutMs`) rejects with {@link SessionStoreUnavailableError}
 * (the original as `cause`, its `retryAfterSeconds` kept), which the BFF answers with 503. A `get`
 * that answers something other than a string or `null` reads as an unreadable record.
 */
export function guardSessionStore(store: SessionStore, timeoutMs: number): GuardedSessionStore {
  return {
    async get(key) {
      const value: unknown = await bounded(() => store.get(key), timeoutMs, 'get');
      return value === null || typeof value === 'string' ? value : '';
    },
    set: (key, value, ttlMs) => bounded(() => store.set(key, value, ttlMs), timeoutMs, 'set'),
    delete: (key) => bounded(() => store.delete(key), timeoutMs, 'delete'),
    async lock(name, options) {
      const lock = await bounded(() => store.lock(name, options), options.waitMs + timeoutMs, 'lock');
      if (lock === null) return null;
      // A failed release is not worth a 503: the lease expires on its own.
      return { release: () => bounded(() => lock.release(), timeoutMs, 'release').catch(() => undefined) };
    },
  };
}

async function bounded<T>(call: () => Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SessionStoreUnavailableError(`the session store did not answer ${what} within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([Promise.resolve().then(call), late]);
  } catch (error) {
    if (error instanceof SessionStoreUnavailableError) throw error;
    throw new SessionStoreUnavailableError(`the session store failed on ${what}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
