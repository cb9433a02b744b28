import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOrThrow } from './run.js';

/**
 * Unpacks `tarball` into a new folder under the OS temp dir and returns the package's folder
 * (npm tarballs hold everything under `package/`). The caller removes the parent when done.
 */
export async function unpack(tarball: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'celonis-auth-unpacked-'));
  await runOrThrow('tar', ['-xzf', tarball, '-C', dir], { cwd: dir });
  return join(dir, 'package');
}

/** The paths in `tarball`, relative to its `package/` folder, sorted. */
export async function tarballPaths(tarball: string): Promise<string[]> {
  const { stdout } = await runOrThrow('tar', ['-tzf', tarball], { cwd: tmpdir() });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('package/') && !line.endsWith('/'))
    .map((line) => line.slice('package/'.length))
    .sort();
}
