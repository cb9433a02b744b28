import { readFileSync, readdirSync } from 'node:fs';
import { ROOT } from './workspace.js';

/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The Markdown file, relative to the repository root. */
  file: string;
  /** Line of the opening fence (1-based). */
  line: number;
  /** The first word of the info string: `ts`, `tsx`, `sh`, ... (empty when none). */
  lang: string;
  /** The other words: `fragment`, `run`, `test`. */
  flags: string[];
  code: string;
}

/** Languages whose blocks are complete files unless marked `fragment`: type-checked (and run when marked). */
export const CHECKED_LANGS = ['ts', 'tsx', 'js', 'json'];
/** Languages read, not checked: commands, output, and commented JSON examples. */
export const PROSE_LANGS = ['sh', 'text', 'jsonc'];

/**
 * The Markdown files whose code blocks must hold: the root README, CONTRIBUTING.md, SECURITY.md,
 * every package's and app's README, and docs/*.md.
 */
export function documentedFiles(): string[] {
  const inFolder = (folder: string) =>
    readdirSync(`${ROOT}${folder}`, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${folder}/${entry.name}/README.md`)
      .filter((file) => exists(file));
  const docs = readdirSync(`${ROOT}docs`)
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  return ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', ...inFolder('packages'), ...inFolder('apps'), ...docs.sort()];
}

function exists(file: string): boolean {
  try {
    readFileSync(`${ROOT}${file}`);
    return true;
  } catch {
    return false;
  }
}

/** Every fenced block of `file` (relative to the repository root), in order. */
export function codeBlocks(file: string): CodeBlock[] {
  const lines = readFileSync(`${ROOT}${file}`, 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const [lang = '', ...flags] = open[2]!.trim().split(/\s+/).filter(Boolean);
    const start = i;
    const body: string[] = [];
    for (i += 1; i < lines.length && !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[i]!); i += 1) body.push(lines[i]!);
    blocks.push({ file, line: start + 1, lang, flags, code: `${body.join('\n')}\n` });
  }
  return blocks;
}

/** Whether `block` is a complete file the docs test compiles (and maybe runs). */
export function isComplete(block: CodeBlock): boolean {
  return CHECKED_LANGS.includes(block.lang) && !block.flags.includes('fragment');
}

/** `packages/react/README.md:8`, for messages and test names. */
export function where(block: Pick<CodeBlock, 'file' | 'line'>): string {
  return `${block.file}:${block.line}`;
}

/** The file name a complete block is written to: its place in the docs, and the extension its language needs. */
export function snippetFileName(block: CodeBlock): string {
  const base = `${block.file.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '_')}_L${block.line}`;
  const test = block.flags.includes('test') ? '.test' : '';
  return `${base}${test}.${block.lang === 'js' ? 'mjs' : block.lang}`;
}
