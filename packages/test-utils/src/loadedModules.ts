import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Module customization hooks (module.register), run in the loader thread after tsx's: every module
// that loads is appended to a file, synchronously, before its importer sees it. ESM does not show
// in process.moduleLoadList, so this is how a test can see what an import really pulls in.
const RECORDER = `import { appendFileSync } from 'node:fs';
export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  appendFileSync(process.env.LOADED_MODULES_FILE, url + '\\n');
  return result;
}`;

// The child's script: install the recorder, then import each specifier given on the command line.
const SCRIPT = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(RECORDER)}));
for (const specifier of process.argv.slice(1)) await import(specifier);`;

/**
 * The URLs of the modules a plain Node process (a child, without vitest) loads to import `specifiers`,
 * in load order, resolved from `cwd` (a package imports itself by name from its own directory) with the
 * workspace source condition and tsx for the TypeScript. Rejects when an import fails or takes over 10 s.
 */
export async function modulesLoadedBy(specifiers: readonly string[], cwd: string): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'celonis-auth-loaded-'));
  const file = join(dir, 'loaded.txt');
  try {
    await promisify(execFile)(process.execPath, ['--conditions=@celonis-auth/source', '--import', 'tsx', '--input-type=module', '-e', SCRIPT, ...specifiers], {
      cwd,
      env: { ...process.env, LOADED_MODULES_FILE: file, NODE_OPTIONS: '' },
      timeout: 10_000,
    });
    return (await readFile(file, 'utf8')).split('\n').filter((url) => url !== '');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
