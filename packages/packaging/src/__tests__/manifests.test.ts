// The published packages' manifests: what a registry page and an npm install read from them.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLISHED, publishedPackages, readJson, ROOT, workspacePackages, type Manifest } from '../workspace.js';

const REPO = 'https://github.com/celonis-auth/celonis-auth';
const SOURCE = '@celonis-auth/source';

it('publishes exactly the four packages the checks are written for', () => {
  expect(publishedPackages().map((pkg) => pkg.manifest.name)).toEqual([...PUBLISHED].sort());
});

describe.each(publishedPackages().map((pkg) => [pkg.manifest.name, pkg] as const))('%s', (_, { dir, path, manifest }) => {
  it('says where it comes from: license, repository with directory, homepage, bugs, keywords', () => {
    expect(manifest).toMatchObject({
      license: 'MIT',
      repository: { type: 'git', url: `git+${REPO}.git`, directory: `packages/${dir}` },
      homepage: `${REPO}/tree/main/packages/${dir}#readme`,
      bugs: { url: `${REPO}/issues` },
      engines: { node: '>=20.19' },
      publishConfig: { access: 'public' },
      type: 'module',
    });
    expect(manifest.description).toBeTruthy();
    expect(manifest.keywords).toContain('celonis');
  });

  it('ships a LICENSE identical to the root one', () => {
    expect(readFileSync(`${path}LICENSE`, 'utf8')).toBe(readFileSync(`${ROOT}LICENSE`, 'utf8'));
  });

  it('exports ./package.json, and each subpath as source (first), types, default in dist', () => {
    const { './package.json': packageJson, ...subpaths } = manifest.exports ?? {};
    expect(packageJson).toBe('./package.json');
    expect(Object.keys(subpaths)).toContain('.');
    for (const [subpath, target] of Object.entries(subpaths)) {
      expect(typeof target, subpath).toBe('object');
      const conditions = target as Record<string, string>;
      // The source condition first, so the repository resolves the TypeScript before any built file.
      expect(Object.keys(conditions), subpath).toEqual([SOURCE, 'types', 'default']);
      const stem = conditions[SOURCE]!.replace(/^\.\/src\//, '').replace(/\.tsx?$/, '');
      expect(conditions, subpath).toEqual({ [SOURCE]: conditions[SOURCE], types: `./dist/${stem}.d.ts`, default: `./dist/${stem}.js` });
    }
  });

  it('cleans dist/ and builds before pack', () => {
    expect(manifest.scripts?.prepack).toBe('pnpm run clean && pnpm run build');
    expect(manifest.scripts?.clean).toContain("rmSync('dist'");
    expect(manifest.scripts?.build).toMatch(/^tsc -p tsconfig\.build\.json/);
    expect(manifest.files).toEqual(['dist', 'src', '!src/**/__tests__']);
  });

  it('builds declaration maps (go-to-definition lands in the shipped src/)', () => {
    const { compilerOptions } = readJson<{ compilerOptions: Record<string, unknown> }>(`${path}tsconfig.build.json`);
    expect(compilerOptions).toMatchObject({ declaration: true, declarationMap: true, outDir: 'dist', rootDir: 'src' });
  });

  it('takes its third-party runtime dependencies by caret ranges, so an app dedupes them', () => {
    const ranges = Object.entries({ ...manifest.dependencies }).filter(([name]) => !name.startsWith('@celonis-auth/'));
    expect(ranges.filter(([, range]) => !range.startsWith('^'))).toEqual([]);
  });
});

it('names every internal dependency workspace:^ in every workspace manifest (published as ^x.y.z)', () => {
  const apps = readdirSync(`${ROOT}apps`).map((name) => readJson<Manifest>(join(ROOT, 'apps', name, 'package.json')));
  const wrong = [...workspacePackages().map((pkg) => pkg.manifest), ...apps].flatMap((manifest) =>
    (['dependencies', 'devDependencies', 'peerDependencies'] as const).flatMap((field) =>
      Object.entries(manifest[field] ?? {})
        .filter(([name, range]) => name.startsWith('@celonis-auth/') && range !== 'workspace:^')
        .map(([name, range]) => `${manifest.name} ${field}.${name}: ${range}`),
    ),
  );
  expect(wrong).toEqual([]);
});

it('makes @celonis-auth/core a peer of @celonis-auth/react (one core per app, so instanceof holds), and a devDependency for the workspace', () => {
  const react = readJson<Manifest>(`${ROOT}packages/react/package.json`);
  expect(react.peerDependencies).toMatchObject({ '@celonis-auth/core': 'workspace:^', react: '^18 || ^19' });
  expect(react.devDependencies).toMatchObject({ '@celonis-auth/core': 'workspace:^' });
  expect(react.dependencies?.['@celonis-auth/core']).toBeUndefined();
});

it('has the core export the ./bff subpath', () => {
  expect(Object.keys(readJson<Manifest>(`${ROOT}packages/core/package.json`).exports ?? {})).toEqual(['.', './protocol', './bff', './package.json']);
});

describe.each(['emulator', 'server'])('the %s source', (dir) => {
  it('imports only @celonis-auth/core/protocol from the core (the runtime-neutral part)', () => {
    const files = readdirSync(`${ROOT}packages/${dir}/src`, { recursive: true, encoding: 'utf8' }).filter(
      (file) => /\.tsx?$/.test(file) && !file.split('/').includes('__tests__'),
    );
    const specifiers = files.flatMap((file) =>
      [
        ...readFileSync(`${ROOT}packages/${dir}/src/${file}`, 'utf8').matchAll(
          /^(?:import|export)\b[^;]*?\bfrom\s+'(@celonis-auth\/core[^']*)'|\bimport\(\s*'(@celonis-auth\/core[^']*)'/gm,
        ),
      ].map((match) => `${file}: ${match[1] ?? match[2]}`),
    );
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((line) => !line.endsWith(': @celonis-auth/core/protocol'))).toEqual([]);
  });
});
