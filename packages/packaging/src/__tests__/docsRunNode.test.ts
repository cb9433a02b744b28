// Docs that run, in Node: the blocks marked `run` against a fresh emulator, and the `test` blocks
// for the node environment as tests of this file.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '@celonis-auth/emulator';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv } from '../childEnv.js';
import { where } from '../codeBlocks.js';
import { blocksMarked, writeTestBlocks } from '../docsRun.js';
import { run } from '../run.js';
import { snippetDir, writeSnippets } from '../snippets.js';

const runnable = blocksMarked('run');
const runDir = snippetDir('docs-run');
const runPaths = writeSnippets(runnable, runDir);
const tests = writeTestBlocks('node');
afterAll(() => {
  rmSync(runDir, { recursive: true, force: true });
  rmSync(tests.dir, { recursive: true, force: true });
});

describe('blocks marked run', () => {
  it('are there (the server quick start at least)', () => {
    expect(runnable.map(where)).toContainEqual(expect.stringMatching(/^packages\/server\/README\.md:/));
  });

  it.each(runnable.map((block, i) => [where(block), runPaths[i]!] as const))('%s runs to exit 0 against the emulator (CELONIS_TEAM_URL)', async (_, path) => {
    const emulator = await startEmulator();
    try {
      // As the README says to run it in this repository: TypeScript through tsx, with the source condition.
      const result = await run(process.execPath, ['--conditions=@celonis-auth/source', '--import', 'tsx', path], {
        cwd: join(path, '..'),
        env: childEnv({ CELONIS_TEAM_URL: emulator.url }),
        timeoutMs: 30_000,
      });
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    } finally {
      await emulator.close();
    }
  });
});

for (const block of tests.blocks)
  describe(block.name, async () => {
    await import(block.url);
  });
