import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import './sharedTarballs.js';

// Vitest runs every project's global setup in its main process: the first one makes the folder,
// the others reuse it, and the last teardown removes it.
const KEY = Symbol.for('celonis-auth.tarballDir');
interface Shared {
  dir: string;
  users: number;
}
const shared = globalThis as typeof globalThis & { [KEY]?: Shared };

/** Gives the packaging and consumer projects one folder to pack the tarballs into, once per run. */
export function setup(project: TestProject): () => void {
  const state = (shared[KEY] ??= { dir: mkdtempSync(join(tmpdir(), 'celonis-auth-tarballs-')), users: 0 });
  state.users += 1;
  project.provide('celonisAuthTarballDir', state.dir);
  return () => {
    state.users -= 1;
    if (state.users > 0) return;
    rmSync(state.dir, { recursive: true, force: true });
    delete shared[KEY];
  };
}
