/**
 * The backend-for-frontend's bench (`pnpm bench`, issue 11), everything on 127.0.0.1 against the
 * emulator in the `celonis` profile, signed in headlessly with a cookie jar:
 * 1. the latency a proxied call of the Knowledge Models API through the BFF (session cookie,
 *    `X-Celonis-Auth: 1`) adds over a direct call with the same Bearer token: p50 and p99 on one
 *    connection, one request at a time (the BFF's own cost per request; goal: p99 at most 2 ms
 *    added), and on 10 concurrent connections;
 * 2. requests per second through the BFF with the memory store and with the Redis store (a real
 *    redis-server), 10 connections for a fixed time each;
 * 3. two BFF instances on one Redis, one session, the emulator's clock past the token's expiry: 100
 *    concurrent proxied calls spread over both must cause exactly one `refresh_token` grant and no error.
 *
 * Prints a table and adds `bff` to `bench/results.json`. Exits 1 when the refresh count is not 1 or
 * a call failed (correctness checks); the latency goal is reported, not enforced.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Agent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_EMULATOR_CONFIG, startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { createCelonisBff, createMemorySessionStore, toNodeHandler, type CelonisBffOptions, type SessionStore } from '@celonis-auth/server';
import { createRedisSessionStore } from '@celonis-auth/server/redis';
import { startRedisServer } from '@celonis-auth/test-utils';
import { createClient, type RedisClientType } from 'redis';
import { cookieJar, type CookieJar } from '@celonis-auth/test-utils';
import { getStatus, latencySeries, latencyStats, type LatencySeries, type LatencySpread } from './latencyStats.js';

const RESULTS_FILE = new URL('./results.json', import.meta.url);
const API = '/intelligence/api/knowledge-models';
const REQUESTS = 2_000;
const WARMUP = 200;
// Direct and BFF series alternate in blocks of this many requests.
const BLOCK = 100;
const CONNECTIONS = 10;
const THROUGHPUT_SECONDS = 3;
const CONCURRENT_REFRESH = 100;
const GOAL_ADDED_P99_MS = 2;
const KEY = Buffer.alloc(32, 11).toString('base64url');
const SCOPES = ['studio', 'intelligence.knowledge-models:read'];

/** Direct and through the BFF, on a number of keep-alive connections. */
export interface AddedLatency {
  requests: number;
  connections: number;
  direct: LatencySpread;
  bff: LatencySpread;
  addedP50Ms: number;
  addedP99Ms: number;
}

/** What the BFF bench measured. */
export interface BffFigure {
  api: string;
  /** One connection, one request at a time: the BFF's own cost per request. */
  sequential: AddedLatency & { goalAddedP99Ms: number; goalMet: boolean };
  concurrent: AddedLatency;
  throughput: {
    connections: number;
    memory: { requests: number; seconds: number; requestsPerSecond: number; errors: number };
    redis: { requests: number; seconds: number; requestsPerSecond: number; errors: number };
  };
  crossInstanceRefresh: { instances: number; concurrent: number; refreshTokenGrants: number; tokenErrors: string[]; errors: number; durationMs: number };
  pass: boolean;
}

/** A portal server: a BFF on its own 127.0.0.1 port, its handler set once every origin is known. */
interface Instance {
  origin: string;
  server: Server;
  serve(options: CelonisBffOptions): void;
}

/**
 * Starts the emulator, redis-server and three BFF instances (one on the memory store, two on
 * Redis), measures, and closes everything.
 *
 * @example
 * ```ts
 * const { sequential, crossInstanceRefresh } = await measureBff();
 * ```
 */
export async function measureBff(requests = REQUESTS, connections = CONNECTIONS): Promise<BffFigure> {
  const [memory, a, b] = await Promise.all([listenInstance(), listenInstance(), listenInstance()]);
  const instances = [memory, a, b];
  const clients = DEFAULT_EMULATOR_CONFIG.clients.map((client) =>
    client.clientId === 'portal' ? { ...client, redirectUris: [memory, a].map((instance) => `${instance.origin}/auth/callback`) } : client,
  );
  const emulator = await startEmulator({ port: 0, profile: 'celonis', config: { clients } });
  const redis = await startRedisServer();
  const redisClients: RedisClientType[] = [];
  const agents: Agent[] = [];
  const agent = (maxSockets: number) => {
    const made = new Agent({ keepAlive: true, maxSockets });
    agents.push(made);
    return made;
  };
  try {
    // The access token of the last token answer, for the direct calls: the same token the BFF sends.
    let lastAccessToken = '';
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input instanceof Request ? input.url : input).endsWith('/oauth2/token') && response.ok) {
        const body = (await response.clone().json()) as { access_token?: string };
        if (body.access_token) lastAccessToken = body.access_token;
      }
      return response;
    };
    const quiet = { warn: () => undefined };
    const options = (redirectOrigin: string, sessionStore: SessionStore, allowedOrigins: string[], now: () => number): CelonisBffOptions => ({
      teamUrl: emulator.url,
      clientId: 'portal',
      clientSecret: 'portal-secret',
      allowedOrigins,
      redirectUri: `${redirectOrigin}/auth/callback`,
      scopes: SCOPES,
      encryptionKeys: [KEY],
      sessionStore,
      deps: { fetch: recordingFetch, logger: quiet, now },
    });

    memory.serve(options(memory.origin, createMemorySessionStore(), [memory.origin], Date.now));
    // The Redis pair shares a clock the bench moves, as the emulator's, to expire the token for both.
    const pairClock = { offsetMs: 0 };
    const pairNow = () => Date.now() + pairClock.offsetMs;
    for (const instance of [a, b]) {
      // A client each, as two processes would have.
      const client: RedisClientType = createClient({ url: redis.url, disableOfflineQueue: true });
      client.on('error', () => undefined);
      redisClients.push(client);
      await client.connect();
      // One redirect URI for both, as behind a load balancer: a login on one may come back to the other.
      instance.serve(options(a.origin, createRedisSessionStore({ client }), [a.origin, b.origin], pairNow));
    }

    // 1. Added latency, the memory store.
    const memoryJar = await signIn(emulator, memory.origin);
    const directUrl = `${emulator.url}${API}`;
    const bffUrl = `${memory.origin}/celonis${API}`;
    const directHeaders = { Authorization: `Bearer ${lastAccessToken}` };
    const bffHeaders = browserHeaders(memory.origin, memoryJar);
    const compare = async (count: number, workers: number): Promise<AddedLatency> => {
      const pool = agent(workers);
      await latencySeries(directUrl, directHeaders, pool, WARMUP, workers);
      await latencySeries(bffUrl, bffHeaders, pool, WARMUP, workers);
      // Interleaved in blocks, so drift (GC, other processes on the machine) hits both series alike.
      const direct: LatencySeries[] = [];
      const bff: LatencySeries[] = [];
      for (let done = 0; done < count; done += BLOCK) {
        const size = Math.min(BLOCK, count - done);
        direct.push(await latencySeries(directUrl, directHeaders, pool, size, workers));
        bff.push(await latencySeries(bffUrl, bffHeaders, pool, size, workers));
      }
      const [d, p] = [latencyStats(direct), latencyStats(bff)];
      return { requests: count, connections: workers, direct: d, bff: p, addedP50Ms: p.p50Ms - d.p50Ms, addedP99Ms: p.p99Ms - d.p99Ms };
    };
    const one = await compare(requests, 1);
    const sequential = { ...one, goalAddedP99Ms: GOAL_ADDED_P99_MS, goalMet: one.addedP99Ms <= GOAL_ADDED_P99_MS };
    const concurrent = await compare(requests, connections);

    // 2. Throughput, the memory store, then the Redis store (instance a).
    const redisJar = await signIn(emulator, a.origin);
    const redisUrl = `${a.origin}/celonis${API}`;
    const redisHeaders = browserHeaders(a.origin, redisJar);
    const throughputPool = agent(connections);
    await latencySeries(redisUrl, redisHeaders, throughputPool, WARMUP, connections);
    const throughput = {
      connections,
      memory: await timedRun(bffUrl, bffHeaders, throughputPool, THROUGHPUT_SECONDS, connections),
      redis: await timedRun(redisUrl, redisHeaders, throughputPool, THROUGHPUT_SECONDS, connections),
    };

    // 3. One session over both Redis instances, the token expired for the emulator and the BFFs.
    const jar = await signIn(emulator, b.origin, a.origin);
    emulator.clearRequests();
    emulator.advanceClock(900);
    pairClock.offsetMs += 900_000;
    const burstAgent = new Agent({ keepAlive: false, maxSockets: Infinity });
    agents.push(burstAgent);
    const started = performance.now();
    const statuses = await Promise.all(
      Array.from({ length: CONCURRENT_REFRESH }, (_, i) => {
        const origin = (i % 2 === 0 ? a : b).origin;
        return getStatus(`${origin}/celonis${API}`, browserHeaders(origin, jar), burstAgent).catch(() => 0);
      }),
    );
    const durationMs = performance.now() - started;
    const tokenRequests = emulator.requests('token');
    const crossInstanceRefresh = {
      instances: 2,
      concurrent: CONCURRENT_REFRESH,
      refreshTokenGrants: tokenRequests.filter((entry) => entry.grantType === 'refresh_token').length,
      tokenErrors: tokenRequests.flatMap((entry) => (entry.error ? [entry.error] : [])),
      errors: statuses.filter((status) => status !== 200).length,
      durationMs,
    };
    const pass =
      crossInstanceRefresh.refreshTokenGrants === 1 &&
      crossInstanceRefresh.errors === 0 &&
      crossInstanceRefresh.tokenErrors.length === 0 &&
      throughput.memory.errors === 0 &&
      throughput.redis.errors === 0;
    return { api: API, sequential, concurrent, throughput, crossInstanceRefresh, pass };
  } finally {
    for (const made of agents) made.destroy();
    await Promise.all(instances.map((instance) => new Promise((resolve) => (instance.server.closeAllConnections(), instance.server.close(resolve)))));
    for (const client of redisClients) if (client.isOpen) client.destroy();
    await redis.stop();
    await emulator.close();
  }
}

/** Runs the bench, prints its table, records it in `bench/results.json` and sets the exit code when a check failed. */
export async function runBffBenchmark(): Promise<void> {
  const started = performance.now();
  const figure = await measureBff();
  const seconds = (performance.now() - started) / 1000;
  const ms = (value: number) => `${value.toFixed(3)} ms`;
  const { sequential: s, concurrent: c, throughput: t, crossInstanceRefresh: r } = figure;
  const rows: [string, string][] = [
    [`one connection, one at a time (N=${s.requests}): direct`, `p50 ${ms(s.direct.p50Ms)}, p99 ${ms(s.direct.p99Ms)}`],
    ['  through the BFF (memory store)', `p50 ${ms(s.bff.p50Ms)}, p99 ${ms(s.bff.p99Ms)}`],
    ['  added by the BFF', `p50 ${ms(s.addedP50Ms)}, p99 ${ms(s.addedP99Ms)}; goal p99 <= ${s.goalAddedP99Ms} ms ${s.goalMet ? 'MET' : 'NOT MET'}`],
    [`${c.connections} connections (N=${c.requests}): direct`, `p50 ${ms(c.direct.p50Ms)}, p99 ${ms(c.direct.p99Ms)}`],
    ['  through the BFF (memory store)', `p50 ${ms(c.bff.p50Ms)}, p99 ${ms(c.bff.p99Ms)}`],
    ['  added by the BFF', `p50 ${ms(c.addedP50Ms)}, p99 ${ms(c.addedP99Ms)}`],
    [
      `throughput, ${t.connections} connections, memory store`,
      `${t.memory.requestsPerSecond.toFixed(0)} req/s (${t.memory.requests} in ${t.memory.seconds.toFixed(1)} s, ${t.memory.errors} error(s))`,
    ],
    [
      `throughput, ${t.connections} connections, Redis store`,
      `${t.redis.requestsPerSecond.toFixed(0)} req/s (${t.redis.requests} in ${t.redis.seconds.toFixed(1)} s, ${t.redis.errors} error(s))`,
    ],
    [
      `cross-instance refresh: ${r.concurrent} concurrent calls over ${r.instances} instances on one Redis`,
      `${r.refreshTokenGrants} refresh_token grant(s), ${r.errors} error(s), ${r.tokenErrors.length} token error(s) in ${ms(r.durationMs)}: ${figure.pass ? 'PASS' : 'FAIL'}`,
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\n@celonis-auth/server backend-for-frontend on loopback, ${API} (Node ${process.version}, ${seconds.toFixed(1)} s)\n`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);
  console.log('\n  Emulator, BFF, Redis client and the load share one event loop: the 10-connection figures are mostly queueing.');
  const results = JSON.parse(await readFile(RESULTS_FILE, 'utf8').catch(() => '{}')) as Record<string, unknown>;
  await writeFile(
    RESULTS_FILE,
    `${JSON.stringify({ ...results, bff: { generatedAt: new Date().toISOString(), node: process.version, durationSeconds: Number(seconds.toFixed(1)), ...figure } }, null, 2)}\n`,
  );
  console.log(`\n  added bff to ${RESULTS_FILE.pathname}\n`);
  if (!figure.pass) process.exitCode = 1;
}

async function listenInstance(): Promise<Instance> {
  let handler: ReturnType<typeof toNodeHandler> = (_req, res) => void res.writeHead(503).end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    serve: (options) => void (handler = toNodeHandler(createCelonisBff(options))),
  };
}

// Headless sign-in: the login on `loginOrigin`, the emulator's approval, the callback on `callbackOrigin`.
async function signIn(emulator: RunningEmulator, loginOrigin: string, callbackOrigin = loginOrigin): Promise<CookieJar> {
  // One jar for 127.0.0.1: cookies ignore the port, so every instance gets them.
  const jar = cookieJar();
  const login = await jarFetch(jar, `${loginOrigin}/auth/login?returnTo=%2F`);
  const location = login.headers.get('location');
  await login.body?.cancel();
  if (login.status !== 302 || !location) throw new Error(`GET /auth/login answered ${login.status}`);
  const callback = new URL(emulator.approve(location, { username: 'analyst@example.com' }));
  const done = await jarFetch(jar, `${callbackOrigin}${callback.pathname}${callback.search}`);
  if (done.status !== 302) throw new Error(`the callback answered ${done.status}: ${await done.text()}`);
  const session = (await (await jarFetch(jar, `${loginOrigin}/auth/session`)).json()) as { status?: string };
  if (session.status !== 'authenticated') throw new Error(`signed in, yet /auth/session says ${JSON.stringify(session)}`);
  return jar;
}

async function jarFetch(jar: CookieJar, url: string): Promise<Response> {
  const response = await fetch(url, { headers: { Cookie: jar.header() }, redirect: 'manual' });
  jar.take(response);
  return response;
}

/** A proxied API call as `auth.fetch` sends it in bff mode. */
function browserHeaders(origin: string, jar: CookieJar): Record<string, string> {
  return { Cookie: jar.header(), 'X-Celonis-Auth': '1', Origin: origin, 'Sec-Fetch-Site': 'same-origin' };
}

// `workers` loops sending GETs until `seconds` have passed; non-200 answers and thrown requests are errors.
async function timedRun(
  url: string,
  headers: Record<string, string>,
  agent: Agent,
  seconds: number,
  workers: number,
): Promise<BffFigure['throughput']['memory']> {
  let requests = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < deadline) {
        const status = await getStatus(url, headers, agent).catch(() => 0);
        requests += 1;
        if (status !== 200) errors += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { requests, seconds: elapsed, requestsPerSecond: requests / elapsed, errors };
}
