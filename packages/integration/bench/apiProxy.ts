/**
 * The same-origin API proxy's bench (`pnpm bench`): the latency it adds to a call of the emulator's
 * Knowledge Models API against a direct call (p50, p99 over loopback, a fixed number of keep-alive
 * connections), and a burst of concurrent requests through it, which must all succeed. Prints a
 * table and adds `apiProxy` to `bench/results.json` (run after the core's benches, which write it).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator } from '@celonis-auth/emulator';
import { createCelonisApiProxy, toNodeHandler } from '@celonis-auth/server';
import { getStatus, latencySeries, latencyStats, type LatencySpread } from './latencyStats.js';

const RESULTS_FILE = new URL('./results.json', import.meta.url);
const API = '/intelligence/api/knowledge-models';
const REQUESTS = 2_000;
const WARMUP = 200;
const CONNECTIONS = 10;
const BURST = 200;
// One connection as well: at 10, the added figure is mostly queueing, as emulator, proxy and client share one event loop.
const SEQUENTIAL_REQUESTS = 500;

/** What the proxy bench measured. */
export interface ApiProxyFigure {
  requests: number;
  connections: number;
  direct: LatencySpread;
  proxied: LatencySpread;
  addedP50Ms: number;
  addedP99Ms: number;
  /** The same on one connection, one request at a time: the proxy's own cost per request. */
  sequential: { requests: number; direct: LatencySpread; proxied: LatencySpread; addedP50Ms: number; addedP99Ms: number };
  burst: { concurrent: number; errors: number; durationMs: number };
  pass: boolean;
}

/**
 * Starts an emulator and the proxy (both on 127.0.0.1), measures, closes both.
 *
 * @example
 * ```ts
 * const { addedP50Ms, burst } = await measureApiProxy();
 * ```
 */
export async function measureApiProxy(requests = REQUESTS, connections = CONNECTIONS, burst = BURST): Promise<ApiProxyFigure> {
  const emulator = await startEmulator();
  const proxy = createCelonisApiProxy({ teamUrl: emulator.url, allowedOrigins: ['http://localhost:5173'], deps: { logger: { warn: () => undefined } } });
  const server = createServer(toNodeHandler(proxy));
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const single = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/celonis${API}`;
    const headers = { Authorization: `Bearer ${await accessToken(emulator.url)}` };
    const directUrl = `${emulator.url}${API}`;
    const run = (url: string, count: number) => latencySeries(url, headers, agent, count, connections);
    await run(directUrl, WARMUP);
    await run(proxyUrl, WARMUP);
    // Halves interleaved, so drift (GC, a busy machine) hits both series alike.
    const half = Math.floor(requests / 2);
    const direct = [await run(directUrl, half)];
    const proxied = [await run(proxyUrl, half)];
    direct.push(await run(directUrl, requests - half));
    proxied.push(await run(proxyUrl, requests - half));
    const one = (url: string) => latencySeries(url, headers, single, SEQUENTIAL_REQUESTS, 1);
    const [sd, sp] = [[await one(directUrl)], [await one(proxyUrl)]].map(latencyStats) as [LatencySpread, LatencySpread];
    const burstFigure = await burstThrough(proxyUrl, headers, burst);
    const d = latencyStats(direct);
    const p = latencyStats(proxied);
    return {
      requests,
      connections,
      direct: d,
      proxied: p,
      addedP50Ms: p.p50Ms - d.p50Ms,
      addedP99Ms: p.p99Ms - d.p99Ms,
      sequential: { requests: SEQUENTIAL_REQUESTS, direct: sd, proxied: sp, addedP50Ms: sp.p50Ms - sd.p50Ms, addedP99Ms: sp.p99Ms - sd.p99Ms },
      burst: burstFigure,
      pass: burstFigure.errors === 0,
    };
  } finally {
    agent.destroy();
    single.destroy();
    await new Promise((resolve) => (server.closeAllConnections(), server.close(resolve)));
    await emulator.close();
  }
}

/** Runs the bench, prints its table, records it in `bench/results.json` and sets the exit code when the burst had errors. */
export async function runApiProxyBenchmark(): Promise<void> {
  const figure = await measureApiProxy();
  const ms = (value: number) => `${value.toFixed(3)} ms`;
  const rows: [string, string][] = [
    [`direct to the emulator (N=${figure.requests}, ${figure.connections} connections)`, `p50 ${ms(figure.direct.p50Ms)}, p99 ${ms(figure.direct.p99Ms)}`],
    [`through the API proxy (N=${figure.requests}, ${figure.connections} connections)`, `p50 ${ms(figure.proxied.p50Ms)}, p99 ${ms(figure.proxied.p99Ms)}`],
    ['  added by the proxy', `p50 ${ms(figure.addedP50Ms)}, p99 ${ms(figure.addedP99Ms)}`],
    ['  throughput direct / proxied', `${figure.direct.requestsPerSecond.toFixed(0)} / ${figure.proxied.requestsPerSecond.toFixed(0)} req/s`],
    [
      `one connection, one at a time (N=${figure.sequential.requests}): direct / proxied p50`,
      `${ms(figure.sequential.direct.p50Ms)} / ${ms(figure.sequential.proxied.p50Ms)}`,
    ],
    ['  added by the proxy', `p50 ${ms(figure.sequential.addedP50Ms)}, p99 ${ms(figure.sequential.addedP99Ms)}`],
    [
      `burst: ${figure.burst.concurrent} concurrent requests through the proxy`,
      `${figure.burst.errors} error(s) in ${ms(figure.burst.durationMs)}: ${figure.pass ? 'PASS' : 'FAIL'}`,
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\n@celonis-auth/server API proxy on loopback, ${API} (Node ${process.version})\n`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);
  const results = JSON.parse(await readFile(RESULTS_FILE, 'utf8').catch(() => '{}')) as Record<string, unknown>;
  await writeFile(
    RESULTS_FILE,
    `${JSON.stringify({ ...results, apiProxy: { generatedAt: new Date().toISOString(), node: process.version, ...figure } }, null, 2)}\n`,
  );
  console.log(`\n  added apiProxy to ${RESULTS_FILE.pathname}\n`);
  if (!figure.pass) process.exitCode = 1;
}

// A client-credentials token of the seeded m2m client, with the scope the API needs.
async function accessToken(teamUrl: string): Promise<string> {
  const response = await fetch(`${teamUrl}/oauth2/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from('m2m:m2m-secret').toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'intelligence.knowledge-models:read' }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`the emulator issued no token (HTTP ${response.status})`);
  return body.access_token;
}

// All at once, each on a connection of its own; errors are thrown requests and non-200 answers.
async function burstThrough(url: string, headers: Record<string, string>, concurrent: number): Promise<ApiProxyFigure['burst']> {
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const started = performance.now();
  const statuses = await Promise.all(Array.from({ length: concurrent }, () => getStatus(url, headers, agent).catch(() => 0)));
  agent.destroy();
  return { concurrent, errors: statuses.filter((status) => status !== 200).length, durationMs: performance.now() - started };
}
