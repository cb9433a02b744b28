import { SessionStoreUnavailableError } from '../sessionStore/sessionStore.js';

/**
 * The part of a node-redis 6.x client the Redis session store uses: `createClient(...)` and
 * `createClientPool(...)` from `redis` fit (a cluster client does not: its `sendCommand` takes a key
 * first). Typed by shape, so `@celonis-auth/server` never imports `redis` itself.
 *
 * Raw commands go through `sendCommand`, so the client's own `keyPrefix` option does not apply:
 * use the store's `keyPrefix`.
 */
export interface RedisSessionStoreClient {
  /** Sends one command; `abortSignal` drops it while it still waits in the client's offline queue. */
  sendCommand(args: string[], options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

// node-redis's error names, read by name so nothing here imports the client.
const PLAIN_REASONS: Readonly<Record<string, string>> = {
  ClientClosedError: 'the Redis client is closed (connect it with client.connect(), and do not close it while the store is in use)',
  ClientOfflineError: 'the Redis client is offline, reconnecting',
  SocketClosedUnexpectedlyError: 'the connection to Redis dropped',
  DisconnectsClientError: 'the Redis client was disconnected',
  ConnectionTimeoutError: 'connecting to Redis timed out',
  SocketTimeoutError: 'the connection to Redis timed out',
  AbortError: 'the command was dropped before Redis received it',
};

/**
 * Runs `args` on `client`, bounded by `timeoutMs`: resolves to the reply, or rejects with a
 * {@link SessionStoreUnavailableError} (the client's error as `cause`) on any failure or when no
 * reply came in time. The message names the command, never its keys or values.
 */
export async function runRedisCommand(client: RedisSessionStoreClient, args: string[], timeoutMs: number): Promise<unknown> {
  const command = args[0] ?? '';
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new SessionStoreUnavailableError(`Redis did not answer ${command} within ${timeoutMs} ms`));
      // After the reject, so the race reports the timeout. Not yet written (offline queue): drop it, so it cannot run late.
      controller.abort();
    }, timeoutMs);
  });
  let sent: Promise<unknown>;
  try {
    sent = client.sendCommand(args, { abortSignal: controller.signal });
  } catch (error) {
    sent = Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  // Whichever loses the race settles unobserved later: keep that from being an unhandled rejection.
  sent.catch(() => undefined);
  timedOut.catch(() => undefined);
  try {
    return await Promise.race([sent, timedOut]);
  } catch (error) {
    if (error instanceof SessionStoreUnavailableError) throw error;
    throw new SessionStoreUnavailableError(`Redis ${command} failed: ${reasonOf(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** A reply that should be a bulk or simple string (or nil), as a string; a Buffer reply is decoded. */
export function stringReply(reply: unknown, command: string): string | null {
  if (reply === null || typeof reply === 'string') return reply;
  if (reply instanceof Uint8Array) return new TextDecoder().decode(reply);
  throw new SessionStoreUnavailableError(`Redis answered ${command} with an unexpected reply (${typeof reply})`);
}

function reasonOf(error: unknown): string {
  const name = error instanceof Error ? error.constructor.name : '';
  if (name in PLAIN_REASONS) return PLAIN_REASONS[name] ?? name;
  // An error reply (LOADING, READONLY, NOAUTH, OOM, ...): its first word is the code Redis documents.
  if (error instanceof Error && /^[A-Z]{2,}\b/.test(error.message)) return `Redis answered ${error.message.split(' ')[0]}`;
  return 'the client reported an error';
}
