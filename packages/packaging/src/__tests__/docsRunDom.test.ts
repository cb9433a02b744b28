// @vitest-environment happy-dom
// Docs that run, in a DOM: the `test` blocks that ask for happy-dom (the React testing example) as tests of this file.
import { rmSync } from 'node:fs';
import { afterAll, describe } from 'vitest';
import { writeTestBlocks } from '../docsRun.js';

const tests = writeTestBlocks('happy-dom');
afterAll(() => rmSync(tests.dir, { recursive: true, force: true }));

for (const block of tests.blocks)
  describe(block.name, async () => {
    await import(block.url);
  });
