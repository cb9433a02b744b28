/**
 * Latency series over loopback HTTP and their statistics, shared by the API proxy's and the BFF's
 * benches (`apiProxy.ts`, `bff.ts`), so both report p50, p99 and throughput the same way.
 */
import { type Agent, request } from 'node:http';

/** Latency of one series, in milliseconds. */
export interface LatencySpread {
  p50Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
}

/** One series: each request's duration in ms, and the wall time of the whole series in seconds. */
export interface LatencySeries {
  durations: number[];
  seconds: number;
}

/**
 * p50, p99 and requests per second of one or more series taken together (the nearest-rank
 * percentile of all their durations; throughput over the sum of their wall times).
 *
 * @example
 * ```ts
 * const { p50Ms, p99Ms } = latencyStats([await latencySeries(url, headers, agent, 1_000, 1)]);
 * ```
 */
export function latencyStats(runs: readonly LatencySeries[]): LatencySpread {
  const sorted = runs.flatMap((run) => run.durations).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  return { p50Ms: at(0.5), p99Ms: at(0.99), requestsPerSecond: sorted.length / seconds };
}

/**
 * `count` GETs of `url` by `workers` loops, each waiting for its answer before the next; throws
 * when an answer is not 200, as a failed request would skew the figures.
 *
 * @example
 * ```ts
 * const run = await latencySeries('http://127.0.0.1:3000/api', {}, new Agent({ keepAlive: true, maxSockets: 10 }), 2_000, 10);
 * ```
 */
export async function latencySeries(url: string, headers: Record<string, string>, agent: Agent, count: number, workers: number): Promise<LatencySeries> {
  const durations: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < count) {
        next += 1;
        const t0 = performance.now();
        const status = await getStatus(url, headers, agent);
        if (status !== 200) throw new Error(`GET ${url} answered ${status}`);
        durations.push(performance.now() - t0);
      }
    }),
  );
  return { durations, seconds: (performance.now() - started) / 1000 };
}

/**
 * One GET through `agent`, the body read and dropped; resolves to the status code (0 when there is
 * none) and rejects when the request fails or gets no answer within 10 s.
 *
 * @example
 * ```ts
 * const status = await getStatus(url, { Authorization: `Bearer ${token}` }, agent).catch(() => 0);
 * ```
 */
export function getStatus(url: string, headers: Record<string, string>, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent, timeout: 10_000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', reject);
    });
    req.once('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.once('error', reject);
    req.end();
  });
}
