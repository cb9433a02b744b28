// The packed tarballs, as `pnpm publish -r` would upload them: publint, attw, contents, 'use client'.
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { childEnv } from '../childEnv.js';
import type { Tarball } from '../packTarballs.js';
import { run } from '../run.js';
import { sharedTarballs } from '../sharedTarballs.js';
import { tarballPaths, unpack } from '../tarballFiles.js';
import { PUBLISHED, ROOT, type Manifest } from '../workspace.js';

const BIN = `${ROOT}node_modules/.bin/`;
let tarballs: Tarball[] = [];
const unpacked = new Map<string, string>();

beforeAll(async () => {
  tarballs = await sharedTarballs(inject('celonisAuthTarballDir'));
  for (const tarball of tarballs) unpacked.set(tarball.name, await unpack(tarball.file));
  console.log(tarballs.map((t) => `${t.name}: ${(t.bytes / 1024).toFixed(1)} kB packed in ${t.packMs} ms`).join('\n'));
}, 300_000);
afterAll(() => {
  for (const dir of unpacked.values()) rmSync(dirname(dir), { recursive: true, force: true });
});

/** The tarball of `name`. */
function tarball(name: string): Tarball {
  const found = tarballs.find((t) => t.name === name);
  if (!found) throw new Error(`${name} was not packed`);
  return found;
}

describe.each(PUBLISHED)('%s', (name) => {
  it('passes publint --strict', async () => {
    const result = await run(`${BIN}publint`, ['run', tarball(name).file, '--strict'], { cwd: ROOT, env: childEnv() });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('All good!');
  });

  it('passes attw --profile esm-only (the types resolve under node16 ESM and bundler)', async () => {
    const result = await run(`${BIN}attw`, [tarball(name).file, '--profile', 'esm-only', '--no-color', '--format', 'ascii'], { cwd: ROOT, env: childEnv() });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  });

  it('holds LICENSE, README, dist with declaration maps and src, and no tests', async () => {
    const paths = await tarballPaths(tarball(name).file);
    expect(paths).toEqual(
      expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/index.d.ts.map', 'src/index.ts']),
    );
    expect(paths.filter((path) => path.includes('__tests__'))).toEqual([]);
    expect(readFileSync(join(unpacked.get(name)!, 'LICENSE'), 'utf8')).toBe(readFileSync(`${ROOT}LICENSE`, 'utf8'));
  });

  it('has a file for every export target and bin, and a shebang on each bin', async () => {
    const dir = unpacked.get(name)!;
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    const paths = new Set(await tarballPaths(tarball(name).file));
    const targets = Object.values(manifest.exports ?? {}).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)));
    expect(targets.map((target) => target.replace(/^\.\//, '')).filter((path) => !paths.has(path))).toEqual([]);
    for (const bin of Object.values(manifest.bin ?? {})) expect(readFileSync(join(dir, bin), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('names its workspace dependencies by caret ranges of their versions (no workspace: left)', () => {
    const text = readFileSync(join(unpacked.get(name)!, 'package.json'), 'utf8');
    expect(text).not.toContain('workspace:');
    const manifest = JSON.parse(text) as Manifest;
    for (const field of ['dependencies', 'peerDependencies'] as const)
      for (const [dependency, range] of Object.entries(manifest[field] ?? {}))
        if (dependency.startsWith('@celonis-auth/')) expect(range, `${field}.${dependency}`).toBe(`^${tarball(dependency).version}`);
  });
});

describe("@celonis-auth/react's 'use client'", () => {
  it("starts every built module with 'use client' (the Next.js App Router's client boundary)", () => {
    const dist = join(unpacked.get('@celonis-auth/react')!, 'dist');
    const modules = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('.js'));
    expect(modules).toEqual(expect.arrayContaining(['index.js', 'testing/index.js', 'CelonisAuthProvider.js', 'useCelonisToken.js']));
    expect(modules.filter((path) => !readFileSync(join(dist, path), 'utf8').startsWith("'use client';\n"))).toEqual([]);
  });

  it('keeps the source maps in step with the added line', () => {
    const map = JSON.parse(readFileSync(join(unpacked.get('@celonis-auth/react')!, 'dist/index.js.map'), 'utf8')) as { mappings: string };
    // The first generated line (the directive) maps to nothing; the second is index.ts's first line.
    expect(map.mappings).toMatch(/^;AAAA/);
  });

  it('leaves the other packages without it (they export no components)', () => {
    for (const name of PUBLISHED.filter((n) => n !== '@celonis-auth/react'))
      expect(readFileSync(join(unpacked.get(name)!, 'dist/index.js'), 'utf8'), name).not.toMatch(/^['"]use client/);
  });
});
