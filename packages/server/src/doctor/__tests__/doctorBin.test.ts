import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { expectNothingLeaked } from './doctorSupport.js';

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const BIN = fileURLToPath(new URL('../bin.ts', import.meta.url));
const WAIT_MS = 15_000;

let emulator: RunningEmulator;
beforeAll(async () => void (emulator = await startEmulator({ profile: 'celonis' })));
afterAll(() => emulator?.close());

/** Runs bin.ts as the executable runs, under Node with tsx's loader (as the emulator's CLI tests do), bounded. */
function runBin(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  // Only the secret the test gives, never one from the machine running the tests.
  const childEnv: Record<string, string | undefined> = { ...process.env, NODE_OPTIONS: undefined, CELONIS_CLIENT_SECRET: undefined, ...env };
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@celonis-auth/source', BIN, ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill(), reject(new Error(`bin.ts did not exit within ${WAIT_MS} ms; output so far:\n${output}`))), WAIT_MS);
    child.once('exit', (code) => (clearTimeout(timer), resolve({ code, output })));
  });
}

it('runs end to end: celonis profile, portal, the secret from the environment (exit 0)', async () => {
  const { code, output } = await runBin(['doctor', '--team', emulator.url, '--client-id', 'portal', '--origin', 'http://localhost:5173'], {
    CELONIS_CLIENT_SECRET: 'portal-secret',
  });
  expect(code, output).toBe(0);
  expect(output).toContain('✓ relay   ');
  expect(output).toContain('✗ direct  ');
  expectNothingLeaked(output, 'portal', 'portal-secret', []);
});

it('exits 1 for a client-credentials client and prints no token; 2 for a refused --client-secret flag', async () => {
  const m2m = await runBin(['doctor', '--team', emulator.url, '--client-id', 'm2m'], { CELONIS_CLIENT_SECRET: 'm2m-secret' });
  expect(m2m.code, m2m.output).toBe(1);
  expect(m2m.output).toContain('✓ machine-to-machine');
  expectNothingLeaked(m2m.output, 'm2m', 'm2m-secret', []);
  const flag = await runBin(['doctor', '--team', emulator.url, '--client-id', 'm2m', '--client-secret', 'm2m-secret'], {});
  expect(flag.code, flag.output).toBe(2);
  expect(flag.output).toContain('--client-secret is not accepted');
  expect(flag.output).not.toContain('m2m-secret');
});
