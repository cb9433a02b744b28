import { startRedisServer, type RedisServer } from '@celonis-auth/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisSessionStore, type RedisSessionStoreOptions } from '../index.js';
import { expectCodedTypeError } from '../../__tests__/testSupport.js';
import { closeClients, connectClient, sleep } from './redisSupport.js';

let redis: RedisServer;
let raw: Awaited<ReturnType<typeof connectClient>>;

beforeAll(async () => {
  redis = await startRedisServer();
  raw = await connectClient(redis.url);
});
afterAll(async () => {
  closeClients();
  await redis?.stop();
});

describe('get, set and delete', () => {
  it('round-trips a value and deletes it; a missing key reads null and deletes without error', async () => {
    const store = createRedisSessionStore({ client: raw, keyPrefix: 'rt:' });
    expect(await store.get('missing')).toBeNull();
    await store.set('s1', 'sealed-value', 60_000);
    expect(await store.get('s1')).toBe('sealed-value');
    await store.set('s1', 'replaced', 60_000);
    expect(await store.get('s1')).toBe('replaced');
    await store.delete('s1');
    expect(await store.get('s1')).toBeNull();
    await expect(store.delete('s1')).resolves.toBeUndefined();
  });

  it.each([
    ['an empty string', ''],
    ['unicode, quotes and line breaks', 'ä€😀 "q" \'s\'\r\n*1\r\n$4\r\nPING\r\n'],
    ['a Redis-looking reply', '+OK\r\n'],
    ['a large sealed blob', 'x'.repeat(256 * 1024)],
  ])('stores %s exactly as given: the raw Redis value is the value, under keyPrefix + key', async (_name, value) => {
    const store = createRedisSessionStore({ client: raw, keyPrefix: 'exact:' });
    await store.set('k', value, 60_000);
    expect(await raw.get('exact:k')).toBe(value);
    expect(await store.get('k')).toBe(value);
  });

  it('expires a value after its TTL (SET ... PX), and set renews the TTL', async () => {
    const store = createRedisSessionStore({ client: raw, keyPrefix: 'ttl:' });
    await store.set('short', 'v', 150);
    const pttl = await raw.pTTL('ttl:short');
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(150);
    await store.set('renewed', 'v', 150);
    await sleep(100);
    await store.set('renewed', 'v2', 60_000);
    await sleep(120);
    expect(await store.get('short')).toBeNull();
    expect(await store.get('renewed')).toBe('v2');
  });

  it('keeps stores with different keyPrefixes apart, and uses celonis-auth: by default', async () => {
    const a = createRedisSessionStore({ client: raw, keyPrefix: 'tenant-a:' });
    const b = createRedisSessionStore({ client: raw, keyPrefix: 'tenant-b:' });
    const byDefault = createRedisSessionStore({ client: raw });
    await a.set('same', 'from a', 60_000);
    expect(await b.get('same')).toBeNull();
    await b.set('same', 'from b', 60_000);
    await byDefault.set('same', 'from default', 60_000);
    await b.delete('same');
    expect(await a.get('same')).toBe('from a');
    expect(await raw.get('celonis-auth:same')).toBe('from default');
    const lockA = await a.lock('refresh', { leaseMs: 10_000, waitMs: 0 });
    expect(await b.lock('refresh', { leaseMs: 10_000, waitMs: 0 })).not.toBeNull();
    expect(await a.lock('refresh', { leaseMs: 10_000, waitMs: 0 })).toBeNull();
    expect(await raw.exists('tenant-a:lock:refresh')).toBe(1);
    await lockA?.release();
  });
});

describe('options and arguments', () => {
  it.each([
    ['no options', undefined, /options are required/, 'invalid_session_store'],
    ['no client', { client: undefined }, /client must be a node-redis client/, 'invalid_session_store'],
    ['a URL instead of a client', { client: 'redis://127.0.0.1:6379' }, /client must be a node-redis client/, 'invalid_session_store'],
    ['a client without sendCommand', { client: { get: () => null } }, /createClient\(\{ url, disableOfflineQueue: true \}\)/, 'invalid_session_store'],
    ['a keyPrefix that is no string', { keyPrefix: 42 }, /keyPrefix must be a string/, 'invalid_option'],
    ['a zero commandTimeoutMs', { commandTimeoutMs: 0 }, /commandTimeoutMs must be a whole number from 1 to 600000/, 'invalid_option'],
    ['a fractional commandTimeoutMs', { commandTimeoutMs: 1.5 }, /commandTimeoutMs/, 'invalid_option'],
    ['a commandTimeoutMs as a string', { commandTimeoutMs: '2000' }, /commandTimeoutMs/, 'invalid_option'],
    ['an infinite commandTimeoutMs', { commandTimeoutMs: Infinity }, /commandTimeoutMs/, 'invalid_option'],
  ] as const)('refuses %s with a CodedTypeError', (_name, options, message, code) => {
    const withClient = options === undefined || 'client' in options ? options : { client: raw, ...options };
    const create = () => createRedisSessionStore(withClient as unknown as RedisSessionStoreOptions);
    expect(create).toThrow(message);
    expectCodedTypeError(create, code);
  });

  it.each([
    ['get with a key that is no string', (s: Store) => s.get(42 as never), /get: key must be a string/],
    ['set with a value that is no string', (s: Store) => s.set('k', { token: 'x' } as never, 1_000), /set: value must be a string/],
    ['set with a zero TTL', (s: Store) => s.set('k', 'v', 0), /ttlMs must be a whole number from 1/],
    ['set with a fractional TTL', (s: Store) => s.set('k', 'v', 1.5), /ttlMs/],
    ['set without a TTL', (s: Store) => s.set('k', 'v', undefined as never), /ttlMs/],
    ['delete with a key that is no string', (s: Store) => s.delete(null as never), /delete: key must be a string/],
    ['lock without options', (s: Store) => s.lock('n', undefined as never), /leaseMs/],
    ['lock with a zero lease', (s: Store) => s.lock('n', { leaseMs: 0, waitMs: 0 }), /leaseMs must be a whole number from 1/],
    ['lock with a negative wait', (s: Store) => s.lock('n', { leaseMs: 100, waitMs: -1 }), /waitMs must be a whole number from 0/],
  ])('rejects %s with invalid_argument, sending nothing', async (_name, call, message) => {
    const store = createRedisSessionStore({ client: raw, keyPrefix: 'args:' });
    await expect(call(store)).rejects.toMatchObject({ name: 'CodedTypeError', code: 'invalid_argument', message: expect.stringMatching(message) });
    expect(await raw.keys('args:*')).toEqual([]);
  });
});

type Store = ReturnType<typeof createRedisSessionStore>;
