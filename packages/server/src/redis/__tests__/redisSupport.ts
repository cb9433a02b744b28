import { createClient, type RedisClientType } from 'redis';
import { expect } from 'vitest';
import { SessionStoreUnavailableError } from '../../sessionStore/sessionStore.js';

const clients = new Set<RedisClientType>();

/**
 * A connected node-redis client of `url`, closed by {@link closeClients}. It reconnects every 50 ms
 * (tests restart servers) and swallows its `error` events, which node-redis would otherwise throw.
 */
export async function connectClient(url: string, options: { disableOfflineQueue?: boolean } = {}): Promise<RedisClientType> {
  const client: RedisClientType = createClient({ url, disableOfflineQueue: options.disableOfflineQueue ?? false, socket: { reconnectStrategy: () => 50 } });
  client.on('error', () => undefined);
  clients.add(client);
  await client.connect();
  return client;
}

/** Closes every client {@link connectClient} made, at once (a server may be gone). */
export function closeClients(): void {
  for (const client of clients) if (client.isOpen) client.destroy();
  clients.clear();
}

/** Resolves when `client` is ready again after a reconnect; fails after `timeoutMs`. */
export async function untilReady(client: RedisClientType, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!client.isReady) {
    if (Date.now() > deadline) throw new Error(`the Redis client did not reconnect within ${timeoutMs} ms`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** How `promise` settled and how long it took, in ms. */
export async function timed<T>(promise: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = performance.now();
  try {
    const value = await promise;
    return { ms: performance.now() - start, value };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

/** Asserts that `outcome` is a rejection with {@link SessionStoreUnavailableError} that took at most `maxMs`. */
export function expectUnavailableWithin(outcome: { ms: number; error?: unknown }, maxMs: number): SessionStoreUnavailableError {
  expect(outcome.error).toBeInstanceOf(SessionStoreUnavailableError);
  expect(outcome.ms).toBeLessThan(maxMs);
  return outcome.error as SessionStoreUnavailableError;
}
