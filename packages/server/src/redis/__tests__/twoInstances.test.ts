// Two BFF instances behind one Redis, against the emulator in the celonis profile (issue 11).
import type { RunningEmulator } from '@celonis-auth/emulator';
import { startRedisServer, type RedisServer } from '@celonis-auth/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CelonisBffOptions } from '../../index.js';
import { createRedisSessionStore } from '../index.js';
import { closeClients, connectClient, timed } from './redisSupport.js';
import { CookieJar, listenInstance, startCelonisEmulator, tokenRecordingFetch, type Instance } from './twoInstancesSupport.js';

const KEY = Buffer.alloc(32, 7).toString('base64url');
const tokens = new Set<string>();
const clock = { offsetMs: 0 };
let redis: RedisServer;
let emulator: RunningEmulator;
let instances: Instance[] = [];
let raw: Awaited<ReturnType<typeof connectClient>>;
const browser = new CookieJar();

beforeAll(async () => {
  redis = await startRedisServer();
  const [a, b] = await Promise.all([listenInstance(), listenInstance()]);
  instances = [a, b];
  const redirectUri = `${a.origin}/auth/callback`;
  emulator = await startCelonisEmulator(redirectUri);
  raw = await connectClient(redis.url);
  for (const instance of [a, b]) {
    // Each instance has its own client, as two processes would; the options are the same.
    const client = await connectClient(redis.url, { disableOfflineQueue: true });
    const options: CelonisBffOptions = {
      teamUrl: emulator.url,
      clientId: 'portal',
      clientSecret: 'portal-secret',
      allowedOrigins: [a.origin, b.origin],
      redirectUri,
      scopes: ['studio', 'intelligence.knowledge-models:read'],
      encryptionKeys: [KEY],
      sessionStore: createRedisSessionStore({ client, commandTimeoutMs: 500 }),
      sessionStoreTimeoutMs: 1_000,
      deps: { fetch: tokenRecordingFetch(tokens), now: () => Date.now() + clock.offsetMs, logger: { warn: () => undefined } },
    };
    instance.serve(options);
  }
  // Sign in once: the login on one instance, the callback on the other (the transaction is in Redis).
  const login = await browser.get(`${b.origin}/auth/login?returnTo=%2F`);
  expect(login.status).toBe(302);
  const callback = new URL(emulator.approve(login.headers.get('location')!, { username: 'analyst@example.com' }));
  expect((await browser.get(`${a.origin}${callback.pathname}${callback.search}`)).status).toBe(302);
  expect(await (await browser.get(`${b.origin}/auth/session`)).json()).toMatchObject({ status: 'authenticated' });
});

afterAll(async () => {
  redis?.resume();
  closeClients();
  await Promise.all(instances.map((instance) => instance.close()));
  await emulator?.close();
  await redis?.stop();
});

const grants = () => emulator.requests('token').map((entry) => entry.grantType);
const tokenErrors = () => emulator.requests('token').flatMap((entry) => (entry.error ? [entry.error] : []));
/** `count` proxied calls at once, spread over both instances. */
const burst = (count: number) => Promise.all(Array.from({ length: count }, (_, i) => browser.api(instances[i % 2]!.origin, '/celonis/api/me')));

it('makes exactly one refresh grant for 100 concurrent calls over both instances on an expired token, and all succeed', async () => {
  emulator.clearRequests();
  emulator.advanceClock(900);
  clock.offsetMs += 900_000;
  const answers = await burst(100);
  expect(answers.map((answer) => answer.status)).toEqual(Array(100).fill(200));
  expect(grants()).toEqual(['refresh_token']);
  expect(tokenErrors()).toEqual([]);
});

it('refreshes once more when only the team knows the token expired: the API answers 401, one refresh, every call retried', async () => {
  emulator.clearRequests();
  emulator.advanceClock(900);
  const answers = await burst(100);
  expect(answers.map((answer) => answer.status)).toEqual(Array(100).fill(200));
  const api = emulator.requests('api').map((entry) => entry.status);
  expect(api.filter((status) => status === 401).length).toBeGreaterThan(0);
  expect(api.filter((status) => status === 200).length).toBe(100);
  expect(grants()).toEqual(['refresh_token']);
  expect(tokenErrors()).toEqual([]);
});

it('answers 503 with Retry-After while Redis hangs mid-run, never hangs, and the same session works again after', async () => {
  emulator.clearRequests();
  const inFlight = timed(burst(20));
  redis.pause();
  try {
    const during = await timed(burst(10));
    expect(during.ms).toBeLessThan(5_000);
    for (const answer of during.value!) {
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(await answer.json()).toMatchObject({ error: 'session_store_unavailable' });
    }
    // Calls caught by the pause end either way, each within the store timeout.
    const caught = await inFlight;
    expect(caught.value!.map((answer) => answer.status).filter((status) => status !== 200 && status !== 503)).toEqual([]);
  } finally {
    redis.resume();
  }
  const after = await burst(10);
  expect(after.map((answer) => answer.status)).toEqual(Array(10).fill(200));
  expect(await (await browser.get(`${instances[1]!.origin}/auth/session`)).json()).toMatchObject({ status: 'authenticated' });
  expect(tokenErrors()).toEqual([]);
});

it('keeps no token in clear in Redis, and no session cookie in its keys', async () => {
  const keys = await raw.sendCommand<string[]>(['KEYS', '*']);
  expect(keys.some((key) => key.startsWith('celonis-auth:session:'))).toBe(true);
  // Access tokens (JWTs, each part too) and refresh tokens: 3 sign-in and refresh rounds' worth.
  expect(tokens.size).toBeGreaterThanOrEqual(4);
  const forms = [...tokens].flatMap((token) => [token, ...token.split('.').filter((part) => part.length >= 16)]);
  for (const key of keys) {
    const value = (await raw.type(key)) === 'string' ? ((await raw.get(key)) ?? '') : '';
    for (const form of forms) expect(`${key}\n${value}`.includes(form), `a token in clear under ${key}`).toBe(false);
    for (const cookie of browser.values()) expect(key).not.toContain(cookie);
  }
});
