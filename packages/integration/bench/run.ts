/**
 * The core's benchmarks that talk to the emulator, run by `pnpm bench` at the repository root (or
 * in this package); the core's bundle size is measured in packages/core/bench:
 * 1. single-flight: 100 concurrent getAccessToken() after expiry send one refresh_token grant;
 * 2. callback processing time beyond the one token POST, beside oidc-client-ts's UserManager.
 *
 * Prints one table and writes `bench/results.json`. Exits 1 only when single-flight fails (a
 * correctness check).
 */
import { writeFile } from 'node:fs/promises';
import { startEmulator } from '@celonis-auth/emulator';
import { measureCallbackOverhead } from './callbackOverhead.js';
import { measureSingleFlight } from './singleFlight.js';

const RESULTS_FILE = new URL('./results.json', import.meta.url);
const CALLBACK_ITERATIONS = 50;
const CALLBACK_WARMUP = 10;
const CONCURRENT_CALLS = 100;

const ms = (value: number) => `${value.toFixed(3)} ms`;

/** Runs the core's emulator-backed benchmarks, prints the table, writes the JSON and sets the exit code. */
export async function runCoreEmulatorBenchmarks(): Promise<void> {
  const started = performance.now();

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
  console.log(`\n@celonis-auth/core against the emulator (Node ${process.version}, ${seconds.toFixed(1)} s)\n`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);
  console.log(`\n  UserManager's token POST cannot be timed without patching the global fetch; its overhead subtracts the median POST of our run.`);

  const results = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    durationSeconds: Number(seconds.toFixed(1)),
    singleFlight,
    callbackOverhead: callback,
  };
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n  wrote ${RESULTS_FILE.pathname}\n`);
  if (!singleFlight.pass) process.exitCode = 1;
}

await runCoreEmulatorBenchmarks();
