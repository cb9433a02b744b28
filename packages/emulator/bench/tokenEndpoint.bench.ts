/**
 * Token-endpoint throughput: the client-credentials grant against the Celonis emulator and against
 * oauth2-mock-server, with the same autocannon settings, on 127.0.0.1.
 *
 * Run with `pnpm bench` at the repository root (or in this package). Each server runs in its own
 * child process (`tokenBenchServer.ts`, same harness for both); autocannon drives it from this one.
 * Prints a table and writes `bench/results/token-endpoint.json`. Exits 1 when a run saw non-2xx
 * responses, connection errors or bodies without an access token, since its figures then mean little.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { BenchServerKind, BenchServerReady } from './tokenBenchServer.js';

const SETTINGS = {
  connections: 10,
  pipelining: 1,
  warmupSeconds: 1,
  durationSeconds: 5,
  timeoutSeconds: 10,
  grantType: 'client_credentials',
  scope: 'intelligence.knowledge-models:read audit.log:read',
  clientAuthentication: 'client_secret_basic',
  clientId: 'm2m',
  bodyEncoding: 'application/x-www-form-urlencoded',
} as const;

const SERVER_SCRIPT = fileURLToPath(new URL('./tokenBenchServer.ts', import.meta.url));
const RESULTS_FILE = new URL('./results/token-endpoint.json', import.meta.url);
const BODY = new URLSearchParams({ grant_type: SETTINGS.grantType, scope: SETTINGS.scope }).toString();
const HEADERS = {
  'content-type': SETTINGS.bodyEncoding,
  // m2m:m2m-secret is the emulator's seeded machine client; oauth2-mock-server accepts any client.
  authorization: `Basic ${Buffer.from('m2m:m2m-secret').toString('base64')}`,
};

interface ServerFigures {
  server: string;
  version: string;
  tokenUrl: string;
  /** `alg` of the access token from the check request before the run. */
  signingAlg: string;
  requestsPerSecond: number;
  totalResponses: number;
  durationSeconds: number;
  /** From each response's own timing (autocannon rounds its histogram to whole ms). */
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  connectionErrors: number;
  timeouts: number;
  /** 2xx responses whose body held no `access_token`. */
  mismatches: number;
  statusCodes: Record<string, number>;
  ok: boolean;
}

/** Starts `tokenBenchServer.ts` for `kind` with this process's loader flags and waits for its ready line. */
async function startServer(kind: BenchServerKind): Promise<{ child: ChildProcess; ready: BenchServerReady }> {
  // process.execArgv carries tsx's loader and the @celonis-auth/source condition into the child.
  const child = spawn(process.execPath, [...process.execArgv, SERVER_SCRIPT, kind], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  try {
    const first = await Promise.race([
      once(lines, 'line') as Promise<[string]>,
      once(child, 'exit').then(([code]) => Promise.reject(new Error(`${kind} server exited with code ${String(code)} before it was ready`))),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${kind} server not ready within 20 s`)), 20_000).unref()),
    ]);
    return { child, ready: JSON.parse(first[0]) as BenchServerReady };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    lines.close();
  }
}

/** Ends the child's stdin (its stop signal) and waits for it to exit, killing it after 5 s. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** One token request outside the load, so a server that answers errors fails loudly, not as a fast run. */
async function checkTokenResponse(tokenUrl: string): Promise<string> {
  const response = await fetch(tokenUrl, { method: 'POST', headers: HEADERS, body: BODY });
  const text = await response.text();
  if (!response.ok) throw new Error(`${tokenUrl} answered ${response.status}: ${text.slice(0, 200)}`);
  const json = JSON.parse(text) as { access_token?: unknown; token_type?: unknown };
  if (typeof json.access_token !== 'string' || json.token_type !== 'Bearer') throw new Error(`${tokenUrl} sent no Bearer access_token: ${text.slice(0, 200)}`);
  const header = JSON.parse(Buffer.from(json.access_token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { alg?: unknown };
  return typeof header.alg === 'string' ? header.alg : 'unknown';
}

function runAutocannon(tokenUrl: string, seconds: number, onResponse?: (statusCode: number, ms: number) => void): Promise<autocannon.Result> {
  const instance = autocannon({
    url: tokenUrl,
    method: 'POST',
    headers: HEADERS,
    body: BODY,
    connections: SETTINGS.connections,
    pipelining: SETTINGS.pipelining,
    duration: seconds,
    timeout: SETTINGS.timeoutSeconds,
    verifyBody: (body) => body.includes('"access_token"'),
  });
  if (onResponse) instance.on('response', (_client, statusCode, _bytes, ms) => onResponse(statusCode, ms));
  return Promise.resolve(instance);
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** Starts one server, checks it, warms it up, measures it and stops it. */
async function measure(kind: BenchServerKind): Promise<ServerFigures> {
  const { child, ready } = await startServer(kind);
  try {
    const signingAlg = await checkTokenResponse(ready.tokenUrl);
    process.stdout.write(`${ready.server} ${ready.version} (pid ${ready.pid}) at ${ready.tokenUrl}: warm-up ${SETTINGS.warmupSeconds} s, `);
    await runAutocannon(ready.tokenUrl, SETTINGS.warmupSeconds);
    process.stdout.write(`measuring ${SETTINGS.durationSeconds} s\n`);

    let latencies = new Float64Array(1 << 16);
    let count = 0;
    const result = await runAutocannon(ready.tokenUrl, SETTINGS.durationSeconds, (_status, ms) => {
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = ms;
    });
    const sorted = latencies.slice(0, count).sort();
    const mean = count === 0 ? Number.NaN : sorted.reduce((sum, ms) => sum + ms, 0) / count;
    const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([status, { count: n }]) => [status, n]));
    return {
      server: ready.server,
      version: ready.version,
      tokenUrl: ready.tokenUrl,
      signingAlg,
      requestsPerSecond: round(count / result.duration, 0),
      totalResponses: count,
      durationSeconds: result.duration,
      latencyMs: {
        mean: round(mean, 3),
        p50: round(percentile(sorted, 50), 3),
        p90: round(percentile(sorted, 90), 3),
        p99: round(percentile(sorted, 99), 3),
        max: round(sorted[count - 1] ?? Number.NaN, 3),
      },
      non2xx: result.non2xx,
      connectionErrors: result.errors,
      timeouts: result.timeouts,
      mismatches: result.mismatches,
      statusCodes,
      ok: count > 0 && result.non2xx === 0 && result.errors === 0 && result.timeouts === 0 && result.mismatches === 0,
    };
  } finally {
    await stopServer(child);
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')).join('\n');
}

async function main(): Promise<number> {
  const started = Date.now();
  const emulator = await measure('emulator');
  const mock = await measure('mock');
  const ratios = {
    requestsPerSecond: round(emulator.requestsPerSecond / mock.requestsPerSecond, 2),
    p99Latency: round(emulator.latencyMs.p99 / mock.latencyMs.p99, 2),
  };
  const ok = emulator.ok && mock.ok;

  const errorsOf = (f: ServerFigures) => f.non2xx + f.connectionErrors + f.timeouts + f.mismatches;
  console.log(
    `\nToken endpoint, ${SETTINGS.grantType} grant, ${SETTINGS.connections} connections, ${SETTINGS.durationSeconds} s after ${SETTINGS.warmupSeconds} s warm-up, 127.0.0.1\n`,
  );
  console.log(
    table([
      ['server', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'token alg'],
      ...[emulator, mock].map((f) => [
        `${f.server} ${f.version}`,
        String(f.requestsPerSecond),
        f.latencyMs.p50.toFixed(2),
        f.latencyMs.p99.toFixed(2),
        f.ok ? '0' : `${errorsOf(f)} !`,
        f.signingAlg,
      ]),
      ['emulator / mock', `${ratios.requestsPerSecond.toFixed(2)}x`, '', `${ratios.p99Latency.toFixed(2)}x`, '', ''],
    ]),
  );
  if (!ok) {
    for (const f of [emulator, mock].filter((x) => !x.ok)) {
      console.error(
        `\n! ${f.server}: ${f.non2xx} non-2xx (${JSON.stringify(f.statusCodes)}), ${f.connectionErrors} connection errors, ${f.timeouts} timeouts, ${f.mismatches} bodies without access_token: its figures are not comparable`,
      );
    }
  }

  const autocannonVersion = (JSON.parse(await readFile(new URL('../node_modules/autocannon/package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
  const report = {
    benchmark: 'token endpoint throughput, client_credentials grant',
    date: new Date(started).toISOString(),
    ok,
    machine: { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown' },
    settings: {
      ...SETTINGS,
      loadGenerator: `autocannon ${autocannonVersion}, in the parent process`,
      servers: 'each in its own child process (bench/tokenBenchServer.ts), one at a time',
    },
    results: [emulator, mock],
    ratios: { description: 'emulator / oauth2-mock-server', ...ratios },
  };
  await mkdir(new URL('.', RESULTS_FILE), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nWrote ${fileURLToPath(RESULTS_FILE)} (${((Date.now() - started) / 1000).toFixed(1)} s in all)`);
  return ok ? 0 : 1;
}

process.exitCode = await main();
