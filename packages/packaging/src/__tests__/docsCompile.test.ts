// Docs that run: every code block of the READMEs and docs/*.md is a complete file or marked as a fragment,
// and the complete ones type-check against the workspace sources (docsRun*.test.ts run the marked ones).
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECKED_LANGS, codeBlocks, documentedFiles, isComplete, PROSE_LANGS, where } from '../codeBlocks.js';
import { snippetDir, typeCheck, writeSnippets } from '../snippets.js';

const FLAGS = ['fragment', 'run', 'server', 'test'];
const blocks = documentedFiles().flatMap((file) => codeBlocks(file));
const complete = blocks.filter(isComplete);
const code = complete.filter((block) => block.lang !== 'json');
const dir = snippetDir('docs-compile');
const paths = writeSnippets(code, dir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('finds the code blocks (the extraction works)', () => {
  expect(code.length).toBeGreaterThanOrEqual(10);
  console.log(
    `${blocks.length} code blocks in ${documentedFiles().length} files: ${code.length} complete TypeScript/JavaScript, ${complete.length - code.length} JSON, ${blocks.filter((b) => b.flags.includes('fragment')).length} fragments`,
  );
});

it.each(blocks.map((block) => [where(block), block] as const))('%s has a known language and flags', (_, block) => {
  expect([...CHECKED_LANGS, ...PROSE_LANGS], 'a language after the fence').toContain(block.lang);
  expect(block.flags.filter((flag) => !FLAGS.includes(flag))).toEqual([]);
  if (block.flags.includes('run') || block.flags.includes('test')) expect(block.flags).not.toContain('fragment');
  if (block.flags.includes('server')) expect(block.flags, 'a server is a block that runs').toContain('run');
});

describe('complete TypeScript and JavaScript blocks', () => {
  let diagnostics = new Map<string, string[]>();
  it('type-check in one program (strict, the repository options); a block that augments a module in one of its own', () => {
    // A `declare module` (the strict-scope Register) would change the types of every other block in a shared program.
    const augmenting = paths.filter((_, i) => /^\s*declare module /m.test(code[i]!.code));
    diagnostics = new Map([...typeCheck(paths.filter((path) => !augmenting.includes(path))), ...augmenting.flatMap((path) => [...typeCheck([path])])]);
  }, 60_000);
  it.each(code.map((block, i) => [where(block), paths[i]!] as const))('%s compiles', (_, path) => {
    expect(diagnostics.get(path)).toEqual([]);
  });
});

it.each(complete.filter((block) => block.lang === 'json').map((block) => [where(block), block.code] as const))('%s is valid JSON', (_, text) => {
  expect(() => JSON.parse(text) as unknown).not.toThrow();
});
