import { randomUUID } from 'node:crypto';
import { CodedTypeError } from '@celonis-auth/core/protocol';
import type { SessionStore, SessionStoreLock } from './sessionStore.js';

/** Options of {@link createMemorySessionStore}. */
export interface MemorySessionStoreOptions {
  /** The clock of TTLs and leases, ms since the epoch. Default `Date.now`. Waiting for a lock (`waitMs`) is real time. */
  now?: () => number;
}

interface Entry {
  value: string;
  expiresAt: number;
}

interface Lease {
  token: string;
  expiresAt: number;
}

// Expired entries nobody reads again are swept at most this often (store clock), on a write.
const SWEEP_INTERVAL_MS = 60_000;

/**
 * A {@link SessionStore} in this process's memory: a `Map` with TTLs on an injected clock, and
 * leased locks with a token each, so only their holder frees them early. It never starts a timer
 * that keeps the process alive (expired entries are dropped when read, and swept on writes), and
 * it never fails. Sessions do not survive a restart and are not shared: for several instances use
 * `createRedisSessionStore` from `@celonis-auth/server/redis`.
 *
 * @example
 * ```ts
 * const bff = createCelonisBff({ ...options, sessionStore: createMemorySessionStore() });
 * ```
 * @throws {CodedTypeError} `invalid_session_store` when `now` is given and is not a function; its
 *   methods reject with `invalid_argument` for a key that is not a string, or a TTL, lease or wait
 *   that is not a whole number in range.
 */
export function createMemorySessionStore(options: MemorySessionStoreOptions = {}): SessionStore {
  const now = options?.now ?? Date.now;
  if (typeof now !== 'function')
    throw new CodedTypeError('createMemorySessionStore: now must be a function returning ms since the epoch', 'invalid_session_store');
  const entries = new Map<string, Entry>();
  const leases = new Map<string, Lease>();
  const waiters = new Map<string, Set<() => void>>();
  let lastSweep = now();

  function sweep(at: number): void {
    lastSweep = at;
    for (const [key, entry] of entries) if (entry.expiresAt <= at) entries.delete(key);
    for (const [name, lease] of leases) if (lease.expiresAt <= at) leases.delete(name);
  }

  function wake(name: string): void {
    const waiting = waiters.get(name);
    waiters.delete(name);
    for (const resolve of waiting ?? []) resolve();
  }

  // Resolves on a release of `name` or after `ms` real milliseconds, whichever comes first.
  function released(name: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = waiters.get(name) ?? new Set();
      waiters.set(name, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      // A waiter must not keep the process alive on its own.
      timer.unref();
      set.add(done);
    });
  }

  function take(name: string, leaseMs: number): SessionStoreLock | null {
    const at = now();
    const held = leases.get(name);
    if (held && held.expiresAt > at) return null;
    const token = randomUUID();
    leases.set(name, { token, expiresAt: at + leaseMs });
    return {
      async release() {
        // Only this holder's lease is freed: a late release after it expired and was taken again frees nothing.
        if (leases.get(name)?.token !== token) return;
        leases.delete(name);
        wake(name);
      },
    };
  }

  return {
    async get(key) {
      checkKey(key);
      const entry = entries.get(key);
      if (!entry) return null;
      if (entry.expiresAt > now()) return entry.value;
      entries.delete(key);
      return null;
    },
    async set(key, value, ttlMs) {
      checkKey(key);
      if (typeof value !== 'string') throw new CodedTypeError('memory session store: value must be a string', 'invalid_argument');
      checkWhole(ttlMs, 1, 'ttlMs');
      const at = now();
      entries.set(key, { value, expiresAt: at + ttlMs });
      if (at - lastSweep >= SWEEP_INTERVAL_MS) sweep(at);
    },
    async delete(key) {
      checkKey(key);
      entries.delete(key);
    },
    async lock(name, options) {
      checkKey(name);
      checkWhole(options?.leaseMs, 1, 'leaseMs');
      checkWhole(options.waitMs, 0, 'waitMs');
      const started = performance.now();
      for (;;) {
        const lock = take(name, options.leaseMs);
        if (lock) return lock;
        const left = options.waitMs - (performance.now() - started);
        if (left <= 0) return null;
        const leaseLeft = (leases.get(name)?.expiresAt ?? now()) - now();
        await released(name, Math.max(1, Math.min(left, leaseLeft)));
      }
    },
  };
}

function checkKey(key: unknown): void {
  if (typeof key !== 'string' || key === '')
    throw new CodedTypeError('memory session store: a key or lock name must be a non-empty string', 'invalid_argument');
}

function checkWhole(value: unknown, min: number, name: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    throw new CodedTypeError(`memory session store: ${name} must be a whole number of at least ${min}`, 'invalid_argument');
}
