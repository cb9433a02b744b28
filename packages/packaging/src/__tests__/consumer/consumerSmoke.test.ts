// The consumer smoke test: the packed tarballs installed with npm (not pnpm) into scratch apps under
// the OS temp dir, outside the workspace, with React and the rest from the registry as any user's.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { childEnv } from '../../childEnv.js';
import { writeNodeApp, writeReactApp, type ConsumerApp } from '../../consumerApps.js';
import { assertRegistryReachable, npmInstall, npx } from '../../npm.js';
import { killGroup, run, type RunResult } from '../../run.js';
import { sharedTarballs } from '../../sharedTarballs.js';

const root = mkdtempSync(join(tmpdir(), 'celonis-auth-consumer-'));
const timings: Record<string, number> = {};
let apps: Record<'react19' | 'react18' | 'node', ConsumerApp>;
const started = performance.now();

/** Fails with the command's output unless it exited 0; records its time under `label`. */
function expectSuccess(result: RunResult, label: string): void {
  timings[label] = result.ms;
  expect(result.code, `${label}:\n${result.stdout}\n${result.stderr}`).toBe(0);
}

beforeAll(async () => {
  await assertRegistryReachable(root);
  const tarballs = await sharedTarballs(inject('celonisAuthTarballDir'));
  timings['tarballs ready'] = Math.round(performance.now() - started);
  apps = {
    react19: writeReactApp(join(root, 'react19'), 19, tarballs),
    react18: writeReactApp(join(root, 'react18'), 18, tarballs),
    node: writeNodeApp(join(root, 'node'), tarballs),
  };
  // The three installs share the cache and mostly wait on the network: side by side.
  const installs = await Promise.all(Object.values(apps).map(async (app) => [app.name, await npmInstall(app.dir)] as const));
  for (const [name, result] of installs) expectSuccess(result, `npm install (${name})`);
}, 300_000);

afterAll(() => {
  timings.total = Math.round(performance.now() - started);
  console.log(`consumer smoke timings (ms): ${JSON.stringify(timings, null, 1)}`);
  rmSync(root, { recursive: true, force: true });
});

describe.each(['react19', 'react18'] as const)('a Vite + React app (%s) using the React README quick start', (name) => {
  it('type-checks with tsc --strict --noEmit (skipLibCheck off: our declarations too)', async () => {
    expectSuccess(await npx(apps[name].dir, ['tsc', '--strict', '--noEmit', '-p', 'tsconfig.json']), `tsc (${name})`);
  });

  it('builds with vite build', async () => {
    const result = await npx(apps[name].dir, ['vite', 'build']);
    expectSuccess(result, `vite build (${name})`);
    expect(existsSync(join(apps[name].dir, 'dist/index.html'))).toBe(true);
  });

  it('has one copy of @celonis-auth/core and of zustand (no nested duplicates)', async () => {
    const result = await run('npm', ['ls', '@celonis-auth/core', 'zustand', '--all', '--parseable'], { cwd: apps[name].dir, env: childEnv() });
    const paths = [...new Set(result.stdout.split('\n').filter(Boolean))].map((path) => path.slice(apps[name].dir.length));
    expect(paths.sort()).toEqual(['/node_modules/@celonis-auth/core', '/node_modules/zustand']);
  });
});

describe('a plain Node ESM app', () => {
  it("gets a client-credentials token from the emulator with the server README's quick start", async () => {
    const emulator = await startInstalledEmulator(apps.node.dir);
    try {
      const result = await run(process.execPath, ['token.mjs'], { cwd: apps.node.dir, env: childEnv({ CELONIS_TEAM_URL: emulator.url }), timeoutMs: 30_000 });
      expectSuccess(result, 'node token.mjs');
      expect(result.stdout).toMatch(/^200 /);
    } finally {
      killGroup(emulator.pid);
    }
  });

  it('runs npx celonis-emulator --help', async () => {
    const result = await npx(apps.node.dir, ['celonis-emulator', '--help']);
    expectSuccess(result, 'npx celonis-emulator --help');
    expect(result.stdout).toContain('Usage: celonis-emulator [--port 8787]');
  });

  it('runs npx celonis-auth doctor --help (the server package bin)', async () => {
    const result = await npx(apps.node.dir, ['celonis-auth', 'doctor', '--help']);
    expectSuccess(result, 'npx celonis-auth doctor --help');
    expect(result.stdout).toContain('Usage: celonis-auth doctor');
  });

  it('constructs the browser core where there is no window without printing anything on stderr', async () => {
    const result = await run(process.execPath, ['core-in-node.mjs'], { cwd: apps.node.dir, env: childEnv() });
    expectSuccess(result, 'node core-in-node.mjs');
    expect(result.stdout.trim()).toBe('signedOut');
    expect(result.stderr).toBe('');
  });
});

/** Starts the emulator's CLI from the app's node_modules on a free 127.0.0.1 port; resolves once it prints its URL. */
function startInstalledEmulator(cwd: string): Promise<{ url: string; pid: number | undefined }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(cwd, 'node_modules/.bin/celonis-emulator'), ['--port', '0'], {
      cwd,
      env: childEnv(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => {
      killGroup(child.pid);
      reject(new Error(`The emulator printed no URL within 15 s:\n${output}`));
    }, 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({ url, pid: child.pid });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The emulator exited ${code} before printing its URL:\n${output}`));
    });
  });
}
