// The API reference (typedoc over every public entry point) builds without a warning.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';
import { childEnv } from '../childEnv.js';
import { run } from '../run.js';
import { publishedPackages, ROOT } from '../workspace.js';

/** Reads a typedoc.json, which may hold comments as tsconfig files do. */
function readTypedocJson(file: string): { entryPoints: string[] } {
  const { config, error } = ts.readConfigFile(file, (path) => ts.sys.readFile(path)) as { config: { entryPoints: string[] }; error?: ts.Diagnostic };
  if (error) throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  return config;
}

it('documents every published package, and in each the source of every subpath of its exports', () => {
  expect(readTypedocJson(`${ROOT}typedoc.json`).entryPoints.sort()).toEqual(publishedPackages().map((pkg) => `packages/${pkg.dir}`));
  for (const pkg of publishedPackages()) {
    const sources = Object.values(pkg.manifest.exports ?? {}).flatMap((target) => (typeof target === 'string' ? [] : [target['@celonis-auth/source']]));
    expect(readTypedocJson(`${pkg.path}typedoc.json`).entryPoints, pkg.manifest.name).toEqual(sources);
  }
});

it('builds with typedoc, warnings treated as errors (pnpm run docs)', async () => {
  const out = mkdtempSync(join(tmpdir(), 'celonis-auth-typedoc-'));
  try {
    // Into a temp dir: pnpm run docs writes docs/dist, which a reader of the working tree may have open.
    const result = await run(`${ROOT}node_modules/.bin/typedoc`, ['--out', out], { cwd: ROOT, env: childEnv(), timeoutMs: 90_000 });
    const output = `${result.stdout}\n${result.stderr}`;
    console.log(`typedoc: ${result.ms} ms, ${(output.match(/\[warning\]/g) ?? []).length} warnings`);
    expect(result.code, output).toBe(0);
    expect(output).not.toMatch(/\[(warning|error)\]/);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('celonis-auth API reference');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
