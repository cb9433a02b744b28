import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { snippetFileName, type CodeBlock } from './codeBlocks.js';
import { ROOT } from './workspace.js';

/**
 * A new folder under packages/packaging/test-artifacts (git-ignored) for the blocks of one test
 * file: inside the workspace, so `@celonis-auth/*` resolves to the packages' source (this package
 * depends on all four) with the `@celonis-auth/source` condition, as in every other test.
 */
export function snippetDir(label: string): string {
  const dir = join(ROOT, 'packages/packaging/test-artifacts', `${label}-${process.pid}-${Date.now().toString(36)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes each block to `dir` as a file of its own; returns the paths in the same order. */
export function writeSnippets(blocks: readonly CodeBlock[], dir: string): string[] {
  return blocks.map((block) => {
    const path = join(dir, snippetFileName(block));
    writeFileSync(path, block.code);
    return path;
  });
}

/**
 * Type-checks `files` in one program with the repository's compiler options (strict, the source
 * condition, DOM and Node types), JavaScript included. Returns each file's diagnostics, formatted.
 */
export function typeCheck(files: readonly string[]): Map<string, string[]> {
  const { config } = ts.readConfigFile(join(ROOT, 'tsconfig.base.json'), (path) => ts.sys.readFile(path)) as { config: unknown };
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  const program = ts.createProgram(files, {
    ...options,
    moduleDetection: ts.ModuleDetectionKind.Force,
    noEmit: true,
    allowJs: true,
    checkJs: true,
    declaration: false,
    sourceMap: false,
  });
  const byFile = new Map<string, string[]>(files.map((file) => [file, []]));
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file?.fileName;
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const position = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
    const line = position ? `line ${position.line + 1}: ` : '';
    // A diagnostic outside the snippets (a library's) would be a broken setup: give it to every file.
    const targets = file && byFile.has(file) ? [file] : [...byFile.keys()];
    for (const target of targets) byFile.get(target)!.push(`${file && file !== target ? `${file} ` : ''}${line}TS${diagnostic.code} ${text}`);
  }
  return byFile;
}
