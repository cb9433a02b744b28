import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { packTarballs, type Tarball } from './packTarballs.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder where the published packages are packed once per run (see globalSetup.ts). */
    celonisAuthTarballDir: string;
  }
}

const DONE = 'tarballs.json';
const FAILED = 'error.txt';

/**
 * The packed tarballs of this run, packed once for every test file and project that asks: the
 * first caller takes a lock (a folder made atomically) and packs; the others, in other worker
 * processes, wait for its result file. A failed pack fails every caller with its output.
 */
export async function sharedTarballs(dir: string, timeoutMs = 300_000): Promise<Tarball[]> {
  if (tryLock(join(dir, '.lock'))) {
    try {
      const tarballs = await packTarballs(dir);
      writeFileSync(join(dir, DONE), JSON.stringify(tarballs));
      return tarballs;
    } catch (error) {
      writeFileSync(join(dir, FAILED), String((error as Error).stack ?? error));
      throw error;
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(join(dir, DONE))) return JSON.parse(readFileSync(join(dir, DONE), 'utf8')) as Tarball[];
    if (existsSync(join(dir, FAILED))) throw new Error(`Packing failed (in another test file):\n${readFileSync(join(dir, FAILED), 'utf8')}`);
    await sleep(250);
  }
  throw new Error(`No tarballs in ${dir} after ${timeoutMs} ms: the test file packing them did not finish`);
}

function tryLock(path: string): boolean {
  try {
    mkdirSync(path);
    return true;
  } catch {
    return false;
  }
}
