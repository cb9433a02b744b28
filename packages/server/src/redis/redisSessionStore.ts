import { randomBytes } from 'node:crypto';
import { CodedTypeError } from '@celonis-auth/core/protocol';
import { checkInteger } from '../optionChecks.js';
import type { SessionStore, SessionStoreLock } from '../sessionStore/sessionStore.js';
import { runRedisCommand, stringReply, type RedisSessionStoreClient } from './redisCommand.js';

const WHERE = 'createRedisSessionStore';
/** The default {@link RedisSessionStoreOptions.keyPrefix}. */
export const DEFAULT_REDIS_KEY_PREFIX = 'celonis-auth:';
/** The default {@link RedisSessionStoreOptions.commandTimeoutMs}. */
export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 2_000;
// Compare-and-delete: a holder whose lease ran out must not free the lock of the next holder.
const RELEASE_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
const MAX_BACKOFF_MS = 50;

/** Options of {@link createRedisSessionStore}. */
export interface RedisSessionStoreOptions {
  /**
   * A node-redis 6.x client you created and connected, best with `disableOfflineQueue: true` so a
   * call fails at once while it reconnects (without it, calls wait in its queue up to `commandTimeoutMs`).
   */
  client: RedisSessionStoreClient;
  /** Prepended to every key; locks live under `<keyPrefix>lock:<name>`. Default `'celonis-auth:'`. */
  keyPrefix?: string;
  /** The longest one Redis command may take before the call rejects as unavailable; default 2 000 ms. */
  commandTimeoutMs?: number;
}

/**
 * A {@link SessionStore} on Redis, shared by every instance of a portal's server. Values are stored
 * exactly as given (`SET key value PX ttl`); the lock is a lease (`SET NX PX` with a random token,
 * freed by a compare-and-delete script, so only its holder frees it, and a holder that dies leaves
 * a lock that expires). Every command is bounded by `commandTimeoutMs`: a dropped connection, a
 * closed or reconnecting client, an error reply or no answer in time rejects with
 * `SessionStoreUnavailableError` (the client's error as `cause`); nothing hangs. Attach a
 * `client.on('error', ...)` listener: node-redis emits connection errors there.
 *
 * @throws {CodedTypeError} `invalid_session_store` when `client` is not a node-redis client;
 *   `invalid_option` for a bad `keyPrefix` or `commandTimeoutMs` (1 to 600 000).
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { createRedisSessionStore } from '@celonis-auth/server/redis';
 *
 * const client = createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true });
 * client.on('error', (error) => console.warn('redis:', error.message));
 * await client.connect();
 * const sessionStore = createRedisSessionStore({ client });
 * ```
 */
export function createRedisSessionStore(options: RedisSessionStoreOptions): SessionStore {
  if (typeof options !== 'object' || options === null) throw new CodedTypeError(`${WHERE}: options are required: { client }`, 'invalid_session_store');
  const { client } = options;
  if (typeof client !== 'object' || client === null || typeof client.sendCommand !== 'function') {
    throw new CodedTypeError(
      `${WHERE}: client must be a node-redis client: createClient({ url, disableOfflineQueue: true }) from 'redis', connected`,
      'invalid_session_store',
    );
  }
  const prefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
  if (typeof prefix !== 'string') throw new CodedTypeError(`${WHERE}: keyPrefix must be a string, e.g. 'celonis-auth:'`, 'invalid_option');
  const timeoutMs = checkInteger(options.commandTimeoutMs, DEFAULT_REDIS_COMMAND_TIMEOUT_MS, 1, 600_000, 'commandTimeoutMs', WHERE);
  const run = (...args: string[]) => runRedisCommand(client, args, timeoutMs);

  const release = async (key: string, token: string) => void (await run('EVAL', RELEASE_SCRIPT, '1', key, token));

  return {
    async get(key) {
      checkString(key, 'key', 'get');
      return stringReply(await run('GET', prefix + key), 'GET');
    },
    async set(key, value, ttlMs) {
      checkString(key, 'key', 'set');
      checkString(value, 'value', 'set');
      checkMs(ttlMs, 1, 'ttlMs', 'set');
      await run('SET', prefix + key, value, 'PX', String(ttlMs));
    },
    async delete(key) {
      checkString(key, 'key', 'delete');
      await run('DEL', prefix + key);
    },
    async lock(name, lockOptions) {
      checkString(name, 'name', 'lock');
      checkMs(lockOptions?.leaseMs, 1, 'leaseMs', 'lock');
      checkMs(lockOptions?.waitMs, 0, 'waitMs', 'lock');
      const key = `${prefix}lock:${name}`;
      const token = randomBytes(18).toString('base64url');
      const deadline = performance.now() + lockOptions.waitMs;
      for (let attempt = 0; ; attempt++) {
        const reply = stringReply(await run('SET', key, token, 'NX', 'PX', String(lockOptions.leaseMs)), 'SET');
        if (reply === 'OK') return heldLock(() => release(key, token));
        const left = deadline - performance.now();
        if (left <= 0) return null;
        await sleep(Math.min(left, backoffMs(attempt)));
      }
    },
  };
}

/** A lock whose `release()` runs the compare-and-delete once (again only after a failed try). */
function heldLock(release: () => Promise<void>): SessionStoreLock {
  let released: Promise<void> | undefined;
  const tryRelease = () =>
    release().catch((error: unknown) => {
      released = undefined;
      throw error;
    });
  return { release: () => (released ??= tryRelease()) };
}

// Jittered exponential backoff (5, 10, 20, 40, 50 ms, each 50-100 %), so contenders do not poll in step.
function backoffMs(attempt: number): number {
  const base = Math.min(MAX_BACKOFF_MS, 5 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function checkString(value: unknown, name: string, method: string): void {
  if (typeof value !== 'string') throw new CodedTypeError(`RedisSessionStore.${method}: ${name} must be a string`, 'invalid_argument');
}

function checkMs(value: unknown, min: number, name: string, method: string): void {
  checkInteger(value ?? Number.NaN, 0, min, Number.MAX_SAFE_INTEGER, name, `RedisSessionStore.${method}`, 'invalid_argument');
}
