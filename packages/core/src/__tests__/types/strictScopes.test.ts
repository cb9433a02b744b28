// The strict-scope mode (`Register { strictScopes: true }`) as a type test. A module augmentation is
// global to the program that sees it, and `pnpm typecheck` compiles every file of the workspace as one
// program: an augmenting *.test-d.ts there would make the whole workspace strict. So each mode gets a
// program of its own here, built with the compiler API from one in-memory file: the same lines, with and
// without the augmentation, and the test asserts which of them are type errors in each.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../../../..');
// Beside the real type tests, so '@celonis-auth/core' resolves as it does for them (the package's own name).
const VIRTUAL = join(HERE, 'strictScopes.virtual.ts').replaceAll('\\', '/');

const HEADER = [
  "import { createCelonisAuth, isKnownCelonisScope, type CelonisAuth, type CelonisAuthError, type CelonisScope, type KnownCelonisScope } from '@celonis-auth/core';",
  "import type { CelonisScope as ProtocolScope } from '@celonis-auth/core/protocol';",
  'type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;',
  'declare const auth: CelonisAuth;',
  'declare const someString: string;',
  'declare const missing: CelonisAuthError | undefined;',
  'export {};',
];

/** How the user switches the strict mode on, through either entry point (the same interface). */
const AUGMENT = {
  core: "declare module '@celonis-auth/core' { interface Register { strictScopes: true } }",
  protocol: "declare module '@celonis-auth/core/protocol' { interface Register { strictScopes: true } }",
};

const config = "teamUrl: 'https://t.celonis.cloud', clientId: 'c', redirectUri: 'https://a.test/cb'";

/** One line each; whether it is a type error in the open (default) mode and in the strict one. */
const CASES: { name: string; code: string; open: boolean; strict: boolean }[] = [
  {
    name: 'documented scopes in the configuration',
    code: `createCelonisAuth({ ${config}, scopes: ['studio', 'audit.log:read'] });`,
    open: false,
    strict: false,
  },
  { name: 'a typo in the configuration', code: `createCelonisAuth({ ${config}, scopes: ['studoi'] });`, open: false, strict: true },
  { name: 'a custom scope in login()', code: "void auth.login({ scopes: ['acme.custom:read'] });", open: false, strict: true },
  { name: 'a documented scope in login()', code: "void auth.login({ scopes: ['machine-learning'] });", open: false, strict: false },
  { name: 'a typo in hasScopes()', code: "auth.hasScopes(['audit.log:raed']);", open: false, strict: true },
  { name: 'documented scopes in hasScopes()', code: "auth.hasScopes(['audit.log:read', 'studio'], 'any');", open: false, strict: false },
  { name: 'an unchecked string', code: 'auth.hasScopes([someString]);', open: false, strict: true },
  { name: 'a string narrowed by isKnownCelonisScope', code: 'if (isKnownCelonisScope(someString)) auth.hasScopes([someString]);', open: false, strict: false },
  { name: "an API's requiredScopes as they came", code: 'void auth.login({ scopes: missing?.requiredScopes ?? [] });', open: false, strict: true },
  {
    name: "an API's requiredScopes, filtered",
    code: 'void auth.login({ scopes: (missing?.requiredScopes ?? []).filter(isKnownCelonisScope) });',
    open: false,
    strict: false,
  },
  { name: 'a typo as the protocol entry point’s CelonisScope', code: "const _protocol: ProtocolScope = 'studoi';", open: false, strict: true },
  { name: 'CelonisScope is exactly KnownCelonisScope', code: 'const _exact: Equal<CelonisScope, KnownCelonisScope> = true;', open: true, strict: false },
  { name: 'CelonisScope is the open union', code: 'const _open: Equal<CelonisScope, KnownCelonisScope | (string & {})> = true;', open: false, strict: true },
  { name: 'a number is never a scope', code: 'auth.hasScopes([42]);', open: true, strict: true },
];

function compilerOptions(): ts.CompilerOptions {
  const read = ts.readConfigFile(join(ROOT, 'tsconfig.base.json'), (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT);
  return { ...parsed.options, noEmit: true, incremental: false };
}

const parsed = new Map<string, ts.SourceFile | undefined>();

/**
 * The program of the in-memory file and the diagnostics of each case's line; with `everyFile`, also those
 * of every other file of the program (the library's own source, checked in that mode).
 */
function check(options: ts.CompilerOptions, augmentation: string | null, everyFile: boolean) {
  const header = augmentation === null ? HEADER : [...HEADER, augmentation];
  const text = [...header, ...CASES.map((c) => c.code)].join('\n');
  // The real file system's host, with the in-memory file added in front of it.
  const disk = ts.createCompilerHost(options, true);
  const host: ts.CompilerHost = {
    ...disk,
    getSourceFile: (fileName, language, ...rest) => {
      if (fileName === VIRTUAL) return ts.createSourceFile(fileName, text, language);
      // Parsed once for all three programs (the DOM's declarations alone take a second to parse).
      if (!parsed.has(fileName)) parsed.set(fileName, disk.getSourceFile(fileName, language, ...rest));
      return parsed.get(fileName);
    },
    fileExists: (fileName) => fileName === VIRTUAL || disk.fileExists(fileName),
    readFile: (fileName) => (fileName === VIRTUAL ? text : disk.readFile(fileName)),
  };
  const program = ts.createProgram({ rootNames: [VIRTUAL], options, host });
  // Checking only the in-memory file is much cheaper: the library's files are then read for types, not checked.
  const diagnostics = everyFile ? ts.getPreEmitDiagnostics(program) : ts.getPreEmitDiagnostics(program, program.getSourceFile(VIRTUAL));
  const lineOf = (d: ts.Diagnostic) => d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line;
  const inVirtual = diagnostics.filter((d) => d.file?.fileName === VIRTUAL);
  return {
    perCase: CASES.map((_, i) => inVirtual.filter((d) => lineOf(d) === header.length + i).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '))),
    header: inVirtual.filter((d) => lineOf(d) < header.length).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')),
    elsewhere: diagnostics
      .filter((d) => d.file?.fileName !== VIRTUAL)
      .map((d) => `${d.file?.fileName ?? '?'}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`),
  };
}

type Checked = ReturnType<typeof check>;
const modes: Partial<Record<'open' | 'core' | 'protocol', Checked>> = {};

beforeAll(() => {
  const options = compilerOptions();
  // `pnpm typecheck` checks the library in the open mode already; here it is checked once in the strict one.
  modes.open = check(options, null, false);
  modes.core = check(options, AUGMENT.core, true);
  modes.protocol = check(options, AUGMENT.protocol, false);
}, 120_000);

describe('strict scopes through Register', () => {
  it.each(['open', 'core', 'protocol'] as const)('%s: the header compiles', (mode) => {
    expect(modes[mode]!.header).toEqual([]);
  });

  it("strict: the library's own source has no error (a strict app that compiles it from source still builds)", () => {
    expect(modes.core!.elsewhere).toEqual([]);
  });

  it.each(CASES.map((c, i) => ({ ...c, i })))('$name: an error open: $open, strict: $strict', ({ i, open, strict }) => {
    expect(modes.open!.perCase[i]!.length > 0, modes.open!.perCase[i]!.join('; ')).toBe(open);
    expect(modes.core!.perCase[i]!.length > 0, modes.core!.perCase[i]!.join('; ')).toBe(strict);
    // Augmenting @celonis-auth/core/protocol (what a server imports) switches the same mode on.
    expect(modes.protocol!.perCase[i]!.length > 0, modes.protocol!.perCase[i]!.join('; ')).toBe(strict);
  });

  it('the strict error names the typo and the documented scope it is closest to', () => {
    const message = modes.core!.perCase[CASES.findIndex((c) => c.name === 'a typo in hasScopes()')]!.join(' ');
    expect(message).toContain(`Type '"audit.log:raed"' is not assignable`);
    expect(message).toContain(`Did you mean '"audit.log:read"'?`);
  });
});
