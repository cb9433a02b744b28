// The release flow: changesets make the versions and changelogs, pnpm release publishes (never here).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childEnv } from '../childEnv.js';
import { releasePlan, describeStep } from '../releasePlan.js';
import { run } from '../run.js';
import { publishedPackages, readJson, ROOT, workspacePackages, type Manifest } from '../workspace.js';

const appManifests = () =>
  readdirSync(`${ROOT}apps`).map((name) => ({ dir: `apps/${name}`, manifest: readJson<Manifest>(`${ROOT}apps/${name}/package.json`) }));

describe('pnpm release', () => {
  it.each([[[]], [['--tag', 'next']]])('refuses to publish without confirmation (%j), and says how', (argv) => {
    const plan = releasePlan(argv, {});
    expect(plan.kind).toBe('refused');
    expect(plan.kind === 'refused' && plan.message).toContain('pnpm release --yes-publish');
  });

  it('builds and checks (pnpm test) before pnpm publish -r, then tags, with --yes-publish or CELONIS_AUTH_RELEASE=publish', () => {
    for (const plan of [releasePlan(['--yes-publish', '--tag', 'next'], {}), releasePlan(['--tag', 'next'], { CELONIS_AUTH_RELEASE: 'publish' })]) {
      expect(plan.kind).toBe('release');
      expect(plan.steps.map(describeStep)).toEqual([
        'pnpm install --frozen-lockfile',
        'pnpm test',
        'pnpm publish -r --access public --tag next',
        'pnpm changeset git-tag',
      ]);
    }
  });

  it('runs a --dry-run without confirmation, passing it to pnpm publish, and tags nothing', () => {
    const plan = releasePlan(['--dry-run'], {});
    expect(plan).toMatchObject({ kind: 'release', dryRun: true });
    expect(plan.steps.map(describeStep).at(-1)).toBe('pnpm publish -r --access public --dry-run');
  });

  it('is the root release script', () => {
    expect(readJson<Manifest>(`${ROOT}package.json`).scripts).toMatchObject({
      release: 'tsx packages/packaging/src/releaseCli.ts',
      docs: 'node packages/packaging/scripts/apiReference.mjs',
    });
  });
});

describe('changesets', () => {
  it('ignores exactly the private packages, publishes public, from main', () => {
    const config = readJson<{ ignore: string[]; access: string; baseBranch: string }>(`${ROOT}.changeset/config.json`);
    const privateNames = [...workspacePackages(), ...appManifests()].filter(({ manifest }) => manifest.private === true).map(({ manifest }) => manifest.name);
    expect(config.ignore.sort()).toEqual(privateNames.sort());
    expect(config).toMatchObject({ access: 'public', baseBranch: 'main' });
  });

  it('pnpm changeset version writes a CHANGELOG.md per published package and bumps its version (in a copy; the repository is untouched)', async () => {
    const stage = mkdtempSync(join(tmpdir(), 'celonis-auth-changesets-'));
    try {
      for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(`${ROOT}${file}`, join(stage, file));
      cpSync(`${ROOT}.changeset`, join(stage, '.changeset'), { recursive: true });
      symlinkSync(`${ROOT}node_modules`, join(stage, 'node_modules'));
      for (const { dir } of [...workspacePackages().map((pkg) => ({ dir: `packages/${pkg.dir}` })), ...appManifests()]) {
        mkdirSync(join(stage, dir), { recursive: true });
        cpSync(`${ROOT}${dir}/package.json`, join(stage, dir, 'package.json'));
      }
      const pending = readdirSync(`${ROOT}.changeset`).filter((name) => name.endsWith('.md') && name !== 'README.md');
      expect(pending.length, 'a changeset for the coming release').toBeGreaterThan(0);

      const result = await run('node', [`${ROOT}packages/packaging/scripts/changeset.mjs`, 'version'], { cwd: stage, env: childEnv(), timeoutMs: 60_000 });
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);

      for (const { dir, manifest } of publishedPackages()) {
        const after = readJson<Manifest>(join(stage, 'packages', dir, 'package.json'));
        expect(after.version, dir).not.toBe(manifest.version);
        const changelog = readFileSync(join(stage, 'packages', dir, 'CHANGELOG.md'), 'utf8');
        expect(changelog).toContain(`# ${manifest.name}\n\n## ${after.version}\n`);
        // Internal ranges stay workspace:^ (pnpm publish turns them into ^x.y.z).
        expect(JSON.stringify(after)).not.toMatch(/"@celonis-auth\/[^"]+": "(?!workspace:\^)/);
      }
      for (const { dir, manifest } of workspacePackages().filter((pkg) => pkg.manifest.private === true))
        expect(readJson<Manifest>(join(stage, 'packages', dir, 'package.json')).version, `${dir} (private) keeps its version`).toBe(manifest.version);
      // The changesets are used up by the version.
      expect(pending.filter((name) => existsSync(join(stage, '.changeset', name)))).toEqual([]);
    } finally {
      rmSync(stage, { recursive: true, force: true });
    }
  });
});
