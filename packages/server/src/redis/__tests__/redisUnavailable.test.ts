import { inspect } from 'node:util';
import { startRedisServer, type RedisServer } from '@celonis-auth/test-utils';
import { createClient } from 'redis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRedisSessionStore, type SessionStore, type SessionStoreLock } from '../index.js';
import { closeClients, connectClient, expectUnavailableWithin, timed, untilReady } from './redisSupport.js';

const TIMEOUT_MS = 300;
// Slack for a busy two-core machine; a hang would blow far past it.
const BOUND_MS = TIMEOUT_MS + 700;
const SECRET_KEY = 'session-id-never-in-messages';
const SECRET_VALUE = 'sealed-value-never-in-messages';
const servers: RedisServer[] = [];

afterEach(async () => {
  closeClients();
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});
afterAll(closeClients);

async function storeOnFreshServer(disableOfflineQueue: boolean) {
  const redis = await startRedisServer();
  servers.push(redis);
  const client = await connectClient(redis.url, { disableOfflineQueue });
  const store = createRedisSessionStore({ client, commandTimeoutMs: TIMEOUT_MS });
  await store.set(SECRET_KEY, SECRET_VALUE, 60_000);
  const held = await store.lock('held', { leaseMs: 60_000, waitMs: 0 });
  return { redis, client, store, held: held! };
}

/** Every method at once, each with how long it took to settle. */
function everyMethod(store: SessionStore, held: SessionStoreLock) {
  return Promise.all([
    timed(store.get(SECRET_KEY)),
    timed(store.set(SECRET_KEY, SECRET_VALUE, 60_000)),
    timed(store.delete(SECRET_KEY)),
    timed(store.lock('other', { leaseMs: 1_000, waitMs: 10_000 })),
    timed(held.release()),
  ]);
}

function expectPlainMessage(error: Error): void {
  for (const text of [error.message, String(error.stack), inspect(error, { depth: 5 })]) {
    expect(text).not.toContain(SECRET_KEY);
    expect(text).not.toContain(SECRET_VALUE);
  }
}

describe.each([
  ['with the offline queue (node-redis default): the store times out the queued command', false],
  ['with disableOfflineQueue: true: the client refuses at once', true],
])('Redis killed mid-run, %s', (_name, disableOfflineQueue) => {
  it('rejects every method with SessionStoreUnavailableError within about commandTimeoutMs, then works again after a restart on the same port', async () => {
    const { redis, client, store, held } = await storeOnFreshServer(disableOfflineQueue);
    await redis.kill();
    expectUnavailableWithin(await timed(store.set('queued', 'given up on', 60_000)), BOUND_MS);
    for (const outcome of await everyMethod(store, held)) expectPlainMessage(expectUnavailableWithin(outcome, BOUND_MS));
    // Still down a while later: the same, nothing queued up or stuck.
    const again = await timed(store.get(SECRET_KEY));
    const error = expectUnavailableWithin(again, BOUND_MS);
    expect(error.retryAfterSeconds).toBe(1);
    if (disableOfflineQueue) expect(error).toMatchObject({ message: expect.stringMatching(/offline|dropped/), cause: expect.any(Error) });
    else expect(error.message).toMatch(/did not answer GET within 300 ms|connection to Redis dropped/);

    servers.push(await startRedisServer({ port: redis.port }));
    await untilReady(client);
    // Persistence is off, so the restarted server starts empty; the same client and store serve again.
    expect(await store.get(SECRET_KEY)).toBeNull();
    await store.set(SECRET_KEY, 'after restart', 60_000);
    expect(await store.get(SECRET_KEY)).toBe('after restart');
    expect(await store.lock('held', { leaseMs: 1_000, waitMs: 0 })).not.toBeNull();
    // Nothing given up on ran late from the offline queue: no stray lock, no stray value.
    expect(await store.lock('other', { leaseMs: 1_000, waitMs: 0 })).not.toBeNull();
    expect(await client.exists('celonis-auth:queued')).toBe(0);
  });
});

describe('Redis paused (SIGSTOP: the connection stays open, nothing answers)', () => {
  it('rejects every method within about commandTimeoutMs even with disableOfflineQueue, and serves again once it resumes', async () => {
    const { redis, store, held } = await storeOnFreshServer(true);
    redis.pause();
    try {
      const outcomes = await everyMethod(store, held);
      for (const outcome of outcomes) expect(expectUnavailableWithin(outcome, BOUND_MS).message).toMatch(/did not answer (GET|SET|DEL|EVAL) within 300 ms/);
      for (const outcome of outcomes) expect(outcome.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    } finally {
      redis.resume();
    }
    // The session survives a pause (nothing was lost), and the store answers again.
    const read = await timed(store.get(SECRET_KEY));
    expect(read.error).toBeUndefined();
    await store.set(SECRET_KEY, SECRET_VALUE, 60_000);
    expect(await store.get(SECRET_KEY)).toBe(SECRET_VALUE);
  });
});

describe('a client that is not connected', () => {
  it.each([
    ['never connected', false],
    ['closed', true],
  ])('rejects every method at once when the client was %s, saying to connect it', async (_name, connectFirst) => {
    const redis = await startRedisServer();
    servers.push(redis);
    const client = createClient({ url: redis.url });
    client.on('error', () => undefined);
    if (connectFirst) {
      await client.connect();
      client.destroy();
    }
    const store = createRedisSessionStore({ client, commandTimeoutMs: TIMEOUT_MS });
    const calls: Promise<unknown>[] = [store.get('k'), store.set('k', 'v', 1_000), store.delete('k'), store.lock('n', { leaseMs: 1_000, waitMs: 5_000 })];
    for (const call of calls) {
      const error = expectUnavailableWithin(await timed(call), 100);
      expect(error.message).toMatch(/the Redis client is closed \(connect it with client\.connect\(\)/);
      expect((error.cause as Error).constructor.name).toBe('ClientClosedError');
    }
  });
});
