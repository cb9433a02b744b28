import { startRedisServer, type RedisServer } from '@celonis-auth/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisSessionStore } from '../index.js';
import { closeClients, connectClient, sleep, timed } from './redisSupport.js';

let redis: RedisServer;
let first: Awaited<ReturnType<typeof connectClient>>;
let second: Awaited<ReturnType<typeof connectClient>>;

beforeAll(async () => {
  redis = await startRedisServer();
  [first, second] = await Promise.all([connectClient(redis.url), connectClient(redis.url)]);
});
afterAll(async () => {
  closeClients();
  await redis?.stop();
});

describe('lock', () => {
  it('lets exactly one of 50 contenders on two clients hold it at a time, and each gets its turn', async () => {
    // Two clients stand for two server instances; the counter is what each critical section sees.
    const stores = [createRedisSessionStore({ client: first }), createRedisSessionStore({ client: second })];
    let holders = 0;
    let mostAtOnce = 0;
    let turns = 0;
    const contend = async (index: number) => {
      const lock = await stores[index % 2]!.lock('exclusive', { leaseMs: 5_000, waitMs: 15_000 });
      if (lock === null) throw new Error(`contender ${index} timed out`);
      holders++;
      mostAtOnce = Math.max(mostAtOnce, holders);
      await sleep(2);
      turns++;
      holders--;
      await lock.release();
    };
    await Promise.all(Array.from({ length: 50 }, (_, index) => contend(index)));
    expect(mostAtOnce).toBe(1);
    expect(turns).toBe(50);
    expect(await first.exists('celonis-auth:lock:exclusive')).toBe(0);
  });

  it('answers null once waitMs passes while another holder keeps it, and at once for waitMs 0', async () => {
    const store = createRedisSessionStore({ client: first, keyPrefix: 'wait:' });
    const held = await store.lock('busy', { leaseMs: 10_000, waitMs: 0 });
    expect(held).not.toBeNull();
    const waited = await timed(createRedisSessionStore({ client: second, keyPrefix: 'wait:' }).lock('busy', { leaseMs: 1_000, waitMs: 150 }));
    expect(waited.value).toBeNull();
    expect(waited.ms).toBeGreaterThanOrEqual(145);
    expect(waited.ms).toBeLessThan(600);
    const atOnce = await timed(store.lock('busy', { leaseMs: 1_000, waitMs: 0 }));
    expect(atOnce.value).toBeNull();
    expect(atOnce.ms).toBeLessThan(100);
    await held?.release();
    expect(await store.lock('busy', { leaseMs: 1_000, waitMs: 0 })).not.toBeNull();
  });

  it('lets the next one in once the lease of a holder that never releases runs out', async () => {
    const store = createRedisSessionStore({ client: first, keyPrefix: 'lease:' });
    expect(await store.lock('stuck', { leaseMs: 200, waitMs: 0 })).not.toBeNull();
    const pttl = await first.pTTL('lease:lock:stuck');
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(200);
    const next = await timed(createRedisSessionStore({ client: second, keyPrefix: 'lease:' }).lock('stuck', { leaseMs: 5_000, waitMs: 3_000 }));
    expect(next.value).not.toBeNull();
    expect(next.ms).toBeGreaterThan(120);
    expect(next.ms).toBeLessThan(1_000);
    await next.value?.release();
  });

  it('frees nothing on a late release, after the lease passed to someone else; the new holder still frees it', async () => {
    const store = createRedisSessionStore({ client: first, keyPrefix: 'late:' });
    const other = createRedisSessionStore({ client: second, keyPrefix: 'late:' });
    const late = await store.lock('handover', { leaseMs: 100, waitMs: 0 });
    await sleep(150);
    const current = await other.lock('handover', { leaseMs: 10_000, waitMs: 0 });
    expect(current).not.toBeNull();
    const tokenOfCurrent = await first.get('late:lock:handover');
    await late?.release();
    expect(await first.get('late:lock:handover')).toBe(tokenOfCurrent);
    expect(await store.lock('handover', { leaseMs: 1_000, waitMs: 0 })).toBeNull();
    await current?.release();
    expect(await store.lock('handover', { leaseMs: 1_000, waitMs: 0 })).not.toBeNull();
  });

  it('gives each holder its own random token; release is idempotent and fine for a lock already gone', async () => {
    const store = createRedisSessionStore({ client: first, keyPrefix: 'token:' });
    const tokens = new Set<string | null>();
    for (let i = 0; i < 5; i++) {
      const lock = await store.lock('t', { leaseMs: 1_000, waitMs: 0 });
      tokens.add(await first.get('token:lock:t'));
      await lock?.release();
      await lock?.release();
    }
    expect(tokens.size).toBe(5);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const expired = await store.lock('gone', { leaseMs: 50, waitMs: 0 });
    await sleep(80);
    await expect(expired?.release()).resolves.toBeUndefined();
  });
});
