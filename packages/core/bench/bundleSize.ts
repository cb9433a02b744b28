import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, defaultClientConditions, type Rolldown } from 'vite';

/** The size of one built entry: minified, and minified then gzipped at level 9. */
export interface BundleFigure {
  name: string;
  entry: string;
  minBytes: number;
  gzipBytes: number;
}

/** The bundle-size goal for an app using @celonis-auth/core, in gzipped bytes (12 kB). */
export const CORE_GZIP_GOAL_BYTES = 12_000;

const ENTRIES = [
  { name: '@celonis-auth/core app (createCelonisAuth)', entry: 'entries/celonisAuthApp.ts' },
  { name: 'oidc-client-ts UserManager app', entry: 'entries/userManagerApp.ts' },
  { name: 'oidc-client-ts OidcClient alone', entry: 'entries/oidcClientApp.ts' },
] as const;

const CORE_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds each bench entry with vite (production, minified, nothing written) the way an app would
 * bundle it, and measures the JavaScript it emits. `@celonis-auth/core` resolves to its source
 * through the workspace's source condition, so no `dist/` build is needed.
 *
 * @example
 * ```ts
 * const [core] = await measureBundleSizes(); // core.gzipBytes
 * ```
 */
export async function measureBundleSizes(): Promise<BundleFigure[]> {
  const figures: BundleFigure[] = [];
  for (const { name, entry } of ENTRIES) {
    const output = await build({
      configFile: false,
      root: CORE_DIR,
      mode: 'production',
      logLevel: 'silent',
      resolve: { conditions: ['@celonis-auth/source', ...defaultClientConditions] },
      build: {
        write: false,
        minify: true,
        // A plain (non-library) entry: library mode keeps whitespace in ES output, which would not be what an app ships.
        rolldownOptions: { input: fileURLToPath(new URL(entry, new URL('./', import.meta.url))) },
        modulePreload: false,
        reportCompressedSize: false,
        copyPublicDir: false,
      },
    });
    const chunks = outputsOf(output).flatMap((o) => o.output).filter((file): file is Rolldown.OutputChunk => file.type === 'chunk');
    figures.push({
      name,
      entry,
      minBytes: chunks.reduce((sum, c) => sum + Buffer.byteLength(c.code), 0),
      gzipBytes: chunks.reduce((sum, c) => sum + gzipSync(c.code, { level: 9 }).byteLength, 0),
    });
  }
  return figures;
}

function outputsOf(result: Awaited<ReturnType<typeof build>>): Rolldown.RolldownOutput[] {
  if (Array.isArray(result)) return result;
  if ('output' in result) return [result];
  throw new Error('vite build returned a watcher; expected the output of a one-off build');
}
