import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The size of one built entry: minified, and minified then gzipped at level 9. */
export interface BundleFigure {
  id: BundleEntryId;
  name: string;
  minBytes: number;
  gzipBytes: number;
}

/** The entries measured, ours first. */
export const BUNDLE_ENTRIES = [
  { id: 'core', name: '@celonis-auth/core minimal app', file: 'entries/coreApp.ts' },
  { id: 'react', name: '@celonis-auth/react + core app (React external)', file: 'entries/reactApp.tsx' },
  { id: 'userManager', name: 'oidc-client-ts UserManager app', file: 'entries/userManagerApp.ts' },
  { id: 'oidcClient', name: 'oidc-client-ts OidcClient alone', file: 'entries/oidcClientApp.ts' },
  { id: 'signinState', name: "oidc-client-ts SigninState alone (the core's share)", file: 'entries/signinStateApp.ts' },
] as const;

/** Which entry a figure is of. */
export type BundleEntryId = (typeof BUNDLE_ENTRIES)[number]['id'];

/**
 * Builds each entry the way the issue measures it: `esbuild --bundle --minify --format=esm`, then
 * gzip -9, with workspace packages resolved to their source (the `@celonis-auth/source` condition,
 * so no `dist/` build is needed) and React left out (the app brings it). Nothing is written.
 * Deterministic: the same sources give the same bytes, so budgets are checks, not timings.
 *
 * @example
 * ```ts
 * const [core] = await measureBundles(['core']) // core.gzipBytes
 * ```
 */
export async function measureBundles(ids: readonly BundleEntryId[] = BUNDLE_ENTRIES.map((e) => e.id)): Promise<BundleFigure[]> {
  const figures: BundleFigure[] = [];
  for (const entry of BUNDLE_ENTRIES.filter((e) => ids.includes(e.id))) {
    const result = await build({
      entryPoints: [fileURLToPath(new URL(entry.file, import.meta.url))],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      conditions: ['@celonis-auth/source'],
      external: ['react', 'react-dom', 'react/*', 'react-dom/*'],
      jsx: 'automatic',
      logLevel: 'silent',
    });
    const code = result.outputFiles.map((file) => file.text).join('');
    figures.push({ id: entry.id, name: entry.name, minBytes: Buffer.byteLength(code), gzipBytes: gzipSync(code, { level: 9 }).byteLength });
  }
  return figures;
}
