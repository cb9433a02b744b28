// `redis` is an optional peer: neither entry of @celonis-auth/server may load it; the user brings the client.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { modulesLoadedBy, startRedisServer } from '@celonis-auth/test-utils';
import { createClient, createClientPool } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisSessionStore, type RedisSessionStoreClient } from '../index.js';

const SERVER_DIR = fileURLToPath(new URL('../../../', import.meta.url));

// modulesLoadedBy runs a child Node process: what a user's plain import loads, not vitest's module graph.
const fromRedis = (url: string) => /\/node_modules\/(redis|@redis\/[^/]+)\//.test(url);

describe('loading', () => {
  it.each([
    ['@celonis-auth/server', 'src/index.ts'],
    ['@celonis-auth/server/redis', 'src/redis/index.ts'],
  ])('a plain Node process importing %s loads nothing from redis', async (specifier, entry) => {
    const loaded = await modulesLoadedBy([specifier], SERVER_DIR);
    expect(loaded).toContain(pathToFileURL(join(SERVER_DIR, entry)).href);
    expect(loaded.filter(fromRedis)).toEqual([]);
  });

  it('would see redis if it were loaded (the check can fail)', async () => {
    expect((await modulesLoadedBy(['redis'], SERVER_DIR)).some(fromRedis)).toBe(true);
  });
});

describe('the client type', () => {
  it('takes a client and a client pool from redis 6 as they are, typed by shape', () => {
    const clients: RedisSessionStoreClient[] = [createClient({ disableOfflineQueue: true }), createClientPool({ url: 'redis://127.0.0.1:1' })];
    for (const client of clients) expect(createRedisSessionStore({ client })).toHaveProperty('lock');
  });
});

describe('the startRedisServer harness', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it('fails, saying how to install it, when redis-server is not on the PATH (no silent skip)', async () => {
    process.env.PATH = '/nonexistent';
    await expect(startRedisServer()).rejects.toThrow(/redis-server is not on the PATH; run `bash packages\/server\/scripts\/ensure-redis-server\.sh`/);
  });

  it('fails with the output of redis-server when the port is taken', async () => {
    const redis = await startRedisServer();
    try {
      await expect(startRedisServer({ port: redis.port })).rejects.toThrow(/exited before it answered PING[\s\S]*Address already in use/);
    } finally {
      await redis.stop();
    }
  });
});
