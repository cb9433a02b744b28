// The API reference (typedoc over every public entry point) builds without a warning, as HTML (docs/dist) and as the
// Markdown committed in docs/api, which each package's README links to.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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

/** Every file under `dir`, as paths relative to it, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

it('builds with typedoc as HTML and as Markdown, warnings treated as errors, and docs/api is the Markdown of today (pnpm run docs)', async () => {
  // Into a temp dir: pnpm run docs writes docs/dist and docs/api, which a reader of the working tree may have open.
  const out = mkdtempSync(join(tmpdir(), 'celonis-auth-typedoc-'));
  try {
    // As `pnpm run docs` builds it, from a locale whose collation sorts names otherwise (Czech: "ch" after "cr"):
    // the script pins the locale, so docs/api is the same on every contributor's machine.
    const script = `${ROOT}packages/packaging/scripts/apiReference.mjs`;
    const env = childEnv({ LC_ALL: 'cs_CZ.UTF-8', LANG: 'cs_CZ.UTF-8' });
    const result = await run(process.execPath, [script, '--html', join(out, 'html'), '--markdown', join(out, 'md')], { cwd: ROOT, env, timeoutMs: 120_000 });
    const output = `${result.stdout}\n${result.stderr}`;
    console.log(`pnpm run docs: ${result.ms} ms, ${(output.match(/\[warning\]/g) ?? []).length} warnings`);
    expect(result.code, output).toBe(0);
    expect(output).not.toMatch(/\[(warning|error)\]/);
    expect(readFileSync(join(out, 'html', 'index.html'), 'utf8')).toContain('celonis-auth API reference');
    const stale = 'docs/api is not the reference of the sources: run `pnpm run docs` and commit docs/api';
    const committed = `${ROOT}docs/api`;
    // Received: what the sources give now; expected: what is committed.
    expect(filesUnder(join(out, 'md')), stale).toEqual(filesUnder(committed));
    for (const file of filesUnder(committed))
      expect(readFileSync(join(out, 'md', file), 'utf8'), `${stale} (${file})`).toBe(readFileSync(join(committed, file), 'utf8'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

it('is linked from each published package README, at a page that exists', () => {
  for (const pkg of publishedPackages()) {
    const readme = readFileSync(`${pkg.path}README.md`, 'utf8');
    const link = /\[API reference\]\(https:\/\/github\.com\/celonis-auth\/celonis-auth\/blob\/main\/(docs\/api\/[^)]+)\)/.exec(readme);
    expect(link, `${pkg.manifest.name}'s README links to its page under docs/api`).not.toBeNull();
    expect(existsSync(`${ROOT}${link![1]}`), link![1]).toBe(true);
    expect(readFileSync(`${ROOT}${link![1]}`, 'utf8')).toContain(`# ${pkg.manifest.name}`);
  }
});
