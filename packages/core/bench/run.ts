/**
 * The core's benchmark, run by `pnpm bench` at the repository root (or in this package): bundle
 * size of a minimal app (vite, minified, gzip level 9) beside oidc-client-ts's two tiers. The
 * benches that need the emulator (single-flight refresh, callback overhead) are in
 * packages/integration/bench, so the core does not depend on the emulator.
 *
 * Prints one table and writes `bench/results.json`; the bundle-size goal is reported, met or not.
 */
import { writeFile } from 'node:fs/promises';
import { CORE_GZIP_GOAL_BYTES, measureBundleSizes } from './bundleSize.js';

const RESULTS_FILE = new URL('./results.json', import.meta.url);

const kb = (bytes: number) => `${(bytes / 1000).toFixed(2)} kB`;

/** Runs the bundle-size benchmark, prints the table and writes the JSON. */
export async function runCoreBenchmarks(): Promise<void> {
  const started = performance.now();
  const bundles = await measureBundleSizes();
  const core = bundles[0]!;
  const oidcClient = bundles[2]!;
  const goalMet = core.gzipBytes <= CORE_GZIP_GOAL_BYTES;
  const seconds = (performance.now() - started) / 1000;

  const rows: [string, string][] = [
    ...bundles.flatMap((b): [string, string][] => [[`bundle: ${b.name}`, `${kb(b.minBytes)} min, ${kb(b.gzipBytes)} min+gzip`]]),
    ['bundle: core beyond OidcClient alone (gzip)', kb(core.gzipBytes - oidcClient.gzipBytes)],
    [
      `bundle goal: core app <= ${kb(CORE_GZIP_GOAL_BYTES)} gzip`,
      goalMet ? `MET (${kb(core.gzipBytes)})` : `NOT MET (${kb(core.gzipBytes)}, ${kb(core.gzipBytes - CORE_GZIP_GOAL_BYTES)} over)`,
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\n@celonis-auth/core benchmarks (Node ${process.version}, ${seconds.toFixed(1)} s)\n`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);

  const results = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    durationSeconds: Number(seconds.toFixed(1)),
    bundleSize: {
      tool: 'vite build (production, minified, non-library entry); gzip: node:zlib gzipSync level 9',
      goal: { entry: core.name, maxGzipBytes: CORE_GZIP_GOAL_BYTES, met: goalMet },
      coreBeyondOidcClientGzipBytes: core.gzipBytes - oidcClient.gzipBytes,
      entries: bundles,
    },
  };
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n  wrote ${RESULTS_FILE.pathname}\n`);
}

await runCoreBenchmarks();
