import { pathToFileURL } from 'node:url';
import { codeBlocks, documentedFiles, where, type CodeBlock } from './codeBlocks.js';
import { snippetDir, writeSnippets } from './snippets.js';

/** The vitest environment a test block asks for in its own `@vitest-environment` comment; default node. */
export function environmentOf(block: CodeBlock): string {
  return /@vitest-environment\s+([\w-]+)/.exec(block.code)?.[1] ?? 'node';
}

/** Every block marked `flag` (`run` or `test`) in the documented files. */
export function blocksMarked(flag: 'run' | 'test'): CodeBlock[] {
  return documentedFiles()
    .flatMap((file) => codeBlocks(file))
    .filter((block) => block.flags.includes(flag));
}

/**
 * Whether a `run` block is a server (`run server`): it listens on `PORT` until it is stopped, so the
 * docs test starts it, probes it over HTTP and kills it, rather than waiting for it to exit.
 */
export function isServerBlock(block: CodeBlock): boolean {
  return block.flags.includes('server');
}

/** A test block written to a file: its place in the docs and the URL to import it by. */
export interface WrittenTestBlock {
  name: string;
  url: string;
}

/**
 * Writes the test blocks meant for `environment` to a new folder, for a test file of that
 * environment to import while it is collected (their `test(...)` calls then become its tests).
 */
export function writeTestBlocks(environment: string): { dir: string; blocks: WrittenTestBlock[] } {
  const blocks = blocksMarked('test').filter((block) => environmentOf(block) === environment);
  const dir = snippetDir(`docs-tests-${environment}`);
  const paths = writeSnippets(blocks, dir);
  return { dir, blocks: blocks.map((block, i) => ({ name: where(block), url: pathToFileURL(paths[i]!).href })) };
}
