/**
 * The browser packages' benchmarks, run by `pnpm bench` at the repository root (or in this package):
 * 1. bundle size (esbuild --bundle --minify --format=esm, gzip -9) of a minimal core app and a
 *    react + core app, beside oidc-client-ts's UserManager and OidcClient, with budgets and goals;
 * 2. single-flight: 100 concurrent getAccessToken() after expiry send one refresh_token grant;
 * 3. callback processing time beyond the one token POST, beside oidc-client-ts's UserManager.
 *
 * Prints one table and writes `bench/results.json`. Exits 1 only when single-flight fails (a
 * correctness check).
 */
import { writeFile } from 'node:fs/promises';
import { startEmulator } from '@celonis-auth/emulator';
import { BUNDLE_BUDGETS } from './bundle/bundleBudgets.js';
import { measureBundles } from './bundle/measureBundles.js';
import { measureCallbackOverhead } from './callbackOverhead.js';
import { measureSingleFlight } from './singleFlight.js';

const RESULTS_FILE = new URL('./results.json', import.meta.url);
const CALLBACK_ITERATIONS = 50;
const CALLBACK_WARMUP = 10;
const CONCURRENT_CALLS = 100;

const ms = (value: number) => `${value.toFixed(3)} ms`;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(2)} kB`;

/** Runs the core's emulator-backed benchmarks, prints the table, writes the JSON and sets the exit code. */
export async function runCoreEmulatorBenchmarks(): Promise<void> {
  const started = performance.now();
  const bundles = await measureBundles();

  // Both network benches share one emulator on 127.0.0.1, always closed.
  const emulator = await startEmulator();
  let singleFlight: Awaited<ReturnType<typeof measureSingleFlight>>;
  let callback: Awaited<ReturnType<typeof measureCallbackOverhead>>;
  try {
    singleFlight = await measureSingleFlight(emulator, CONCURRENT_CALLS);
    callback = await measureCallbackOverhead(emulator, CALLBACK_ITERATIONS, CALLBACK_WARMUP);
  } finally {
    await emulator.close();
  }
  const seconds = (performance.now() - started) / 1000;

  const rows: [string, string][] = [
    ...bundles.map((b): [string, string] => {
      const budget = b.id === 'core' || b.id === 'react' ? BUNDLE_BUDGETS[b.id] : undefined;
      const goal = budget
        ? `; goal ${kb(budget.goalGzipBytes)} ${b.gzipBytes <= budget.goalGzipBytes ? 'MET' : 'NOT MET'}, budget ${kb(budget.maxGzipBytes)}`
        : '';
      return [`bundle: ${b.name}`, `${kb(b.minBytes)} min, ${kb(b.gzipBytes)} gzip${goal}`];
    }),
    [
      `single-flight: ${singleFlight.concurrentCalls} concurrent getAccessToken()`,
      `${singleFlight.refreshTokenGrants} refresh_token grant(s), ${singleFlight.distinctTokens} distinct token(s): ${singleFlight.pass ? 'PASS' : 'FAIL'}`,
    ],
    [`callback overhead, @celonis-auth/core (N=${callback.iterations})`, `median ${ms(callback.celonisAuth.medianMs)}, p95 ${ms(callback.celonisAuth.p95Ms)}`],
    ['  its token POST / its total (medians)', `${ms(callback.celonisAuth.tokenPostMedianMs)} / ${ms(callback.celonisAuth.totalMedianMs)}`],
    [
      `callback overhead, oidc-client-ts UserManager (N=${callback.iterations})`,
      `median ${ms(callback.userManager.medianMs)}, p95 ${ms(callback.userManager.p95Ms)}`,
    ],
    ['  its total (median); overhead = total - our median POST', ms(callback.userManager.totalMedianMs)],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\n@celonis-auth browser packages: bundle size, and the core against the emulator (Node ${process.version}, ${seconds.toFixed(1)} s)\n`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);
  console.log(`\n  UserManager's token POST cannot be timed without patching the global fetch; its overhead subtracts the median POST of our run.`);

  const results = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    durationSeconds: Number(seconds.toFixed(1)),
    bundleSize: { tool: 'esbuild --bundle --minify --format=esm; gzip -9 (node:zlib level 9)', budgets: BUNDLE_BUDGETS, entries: bundles },
    singleFlight,
    callbackOverhead: callback,
  };
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n  wrote ${RESULTS_FILE.pathname}\n`);
  if (!singleFlight.pass) process.exitCode = 1;
}

await runCoreEmulatorBenchmarks();
await (await import('./apiProxy.js')).runApiProxyBenchmark();
await (await import('./bff.js')).runBffBenchmark();
