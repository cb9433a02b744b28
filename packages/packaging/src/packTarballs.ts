import { cpSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { childEnv } from './childEnv.js';
import { runOrThrow } from './run.js';
import { publishedPackages, ROOT, type Manifest } from './workspace.js';

/** A packed package. */
export interface Tarball {
  name: string;
  version: string;
  /** Folder under `packages/`. */
  dir: string;
  /** Absolute path of the `.tgz`. */
  file: string;
  bytes: number;
  /** How long its `pnpm pack` (prepack: clean and build) took, in ms. */
  packMs: number;
}

// Root files a package build or pnpm pack reads; the rest of the repository is not needed.
const ROOT_FILES = ['package.json', 'pnpm-workspace.yaml', 'tsconfig.base.json', 'LICENSE', '.npmrc'];
// Never copied into the staged packages: installed, built or test-only.
const SKIPPED = new Set(['node_modules', 'dist', '__tests__', 'bench', 'test-artifacts', '.vite', 'coverage']);

/**
 * Packs every published package with `pnpm pack` (which runs its prepack: clean `dist/`, build)
 * into `outDir`, as `pnpm publish -r` would pack it (`workspace:` ranges rewritten). The packages
 * are copied first into a workspace under the OS temp dir whose node_modules link to this one's,
 * so building never touches the `dist/` of the working tree, which other runs may be using.
 */
export async function packTarballs(outDir: string): Promise<Tarball[]> {
  const stage = mkdtempSync(join(tmpdir(), 'celonis-auth-stage-'));
  try {
    for (const file of ROOT_FILES) cpSync(`${ROOT}${file}`, join(stage, file));
    symlinkSync(`${ROOT}node_modules`, join(stage, 'node_modules'));
    const packages = publishedPackages();
    for (const pkg of packages) {
      const target = join(stage, 'packages', pkg.dir);
      cpSync(pkg.path, target, { recursive: true, filter: (source) => !SKIPPED.has(basename(source)) });
      symlinkSync(`${pkg.path}node_modules`, join(target, 'node_modules'));
    }
    return await Promise.all(packages.map(async ({ dir, manifest }) => pack(join(stage, 'packages', dir), dir, manifest, outDir)));
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

async function pack(cwd: string, dir: string, manifest: Manifest, outDir: string): Promise<Tarball> {
  const { ms } = await runOrThrow('pnpm', ['pack', '--pack-destination', outDir], { cwd, env: childEnv(), timeoutMs: 180_000 });
  const file = join(outDir, tarballName(manifest));
  return { name: manifest.name, version: manifest.version, dir, file, bytes: statSync(file).size, packMs: ms };
}

/** The file name `pnpm pack` gives a package: `@scope/name@1.2.3` → `scope-name-1.2.3.tgz`. */
export function tarballName({ name, version }: Pick<Manifest, 'name' | 'version'>): string {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}
