// The BFF's Redis session store for the dev and preview servers (vite.config.ts), connected before the
// server starts: a Redis that is not there fails the start within seconds instead of leaving it waiting.
import type { SessionStore } from '@celonis-auth/server';

/** How long the first connection may take, the Redis handshake included, before the start fails. */
export const REDIS_CONNECT_TIMEOUT_MS = 3_000;

/**
 * The first connection to Redis failed: nothing answers at the URL or the answer did not come in time, or
 * (`refused`) Redis answered and refused the handshake, e.g. for a wrong password. `where` is the URL without
 * its user name and password, `reason` the error's code (`ECONNREFUSED`) or message.
 */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
  /** The URL without its credentials, e.g. `redis://127.0.0.1:6379`. */
  readonly where: string;
  /** Why, e.g. `ECONNREFUSED`, `no answer within 3 s` or Redis's own error reply. */
  readonly reason: string;
  /** Whether Redis itself answered with an error (so it runs, and the URL's user, password or database is wrong). */
  readonly refused: boolean;
  constructor(where: string, reason: string, refused: boolean, options?: ErrorOptions) {
    super(refused ? `Redis at ${where} refused the connection (${reason}).` : `Cannot reach Redis at ${where} (${reason}).`, options);
    this.where = where;
    this.reason = reason;
    this.refused = refused;
  }
}

/**
 * Whether `error` is a {@link RedisUnreachableError}, also one of another copy of this module: Vite imports the
 * config's own imports afresh, so the class the config throws is not the one `pnpm dev` imported.
 */
export function isRedisUnreachableError(error: unknown): error is RedisUnreachableError {
  return error instanceof Error && error.name === 'RedisUnreachableError' && typeof (error as RedisUnreachableError).where === 'string';
}

/**
 * `url` without its user name and password, which must not end up in a terminal or a log.
 *
 * @example
 * ```ts
 * redactRedisUrl('redis://app:s3cret@cache:6380/2'); // 'redis://cache:6380/2'
 * ```
 */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'the given URL';
  }
}

/**
 * Connects a node-redis client to `url` and returns a session store on it. The first connection is
 * tried once, within {@link REDIS_CONNECT_TIMEOUT_MS}; once connected, a lost connection is retried as node-redis does (the
 * store answers "unavailable" meanwhile).
 *
 * @throws {RedisUnreachableError} when the first connection fails or takes longer.
 */
export async function connectRedisSessionStore(url: string): Promise<SessionStore> {
  const timeoutMs = REDIS_CONNECT_TIMEOUT_MS;
  // Loaded only when asked for: node-redis is an optional peer of @celonis-auth/server.
  const [{ createClient, ErrorReply }, { createRedisSessionStore }] = await Promise.all([import('redis'), import('@celonis-auth/server/redis')]);
  let connected = false;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: timeoutMs,
      // Before the first connection, a failure is the answer (node-redis would otherwise retry forever, silently).
      reconnectStrategy: (retries) => (connected ? Math.min(50 * 2 ** retries, 2_000) : false),
    },
  });
  // Retried disconnects emit errors too; without a listener they would crash the process.
  client.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    // The socket's connectTimeout does not cover a server that accepts and never answers the handshake.
    timer = setTimeout(() => reject(new RedisUnreachableError(redactRedisUrl(url), `no answer within ${timeoutMs / 1000} s`, false)), timeoutMs);
  });
  try {
    await Promise.race([client.connect(), deadline]);
    connected = true;
  } catch (error) {
    client.destroy();
    if (error instanceof RedisUnreachableError) throw error;
    const { code, message } = error as NodeJS.ErrnoException;
    // Redis ends its replies with a full stop; the message puts them in brackets, followed by its own.
    throw new RedisUnreachableError(redactRedisUrl(url), code ?? message.replace(/\.$/, ''), error instanceof ErrorReply, { cause: error });
  } finally {
    clearTimeout(timer);
  }
  return createRedisSessionStore({ client });
}
