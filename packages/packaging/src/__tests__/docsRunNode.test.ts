// Docs that run, in Node: the blocks marked `run` against a fresh emulator (scripts to their exit,
// servers started, probed over HTTP and stopped), and the `test` blocks for the node environment as
// tests of this file.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRedisServer, type RedisServer } from '@celonis-auth/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv } from '../childEnv.js';
import { codeBlocks, documentedFiles, isComplete, where } from '../codeBlocks.js';
import { PORTAL_ORIGIN, probesFor, startDocsEmulator } from '../docsProbes.js';
import { blocksMarked, isServerBlock, writeTestBlocks } from '../docsRun.js';
import { freePort } from '@celonis-auth/test-utils';
import { startServerBlock } from '../docsServer.js';
import { run } from '../run.js';
import { snippetDir, writeSnippets } from '../snippets.js';

/** Complete blocks for the server package that only compile: each found by a line of it, with the reason. */
const COMPILE_ONLY = [
  {
    line: "const sessionStore = createRedisSessionStore({ client, keyPrefix: 'portal:' });",
    why: "the server README's Redis store is a piece of a BFF (it connects and hands a store on, serving nothing, never exiting); docs/deploying.md's bff.ts runs the same calls against a real redis-server",
  },
];

const runnable = blocksMarked('run');
const runDir = snippetDir('docs-run');
const runPaths = writeSnippets(runnable, runDir);
const scripts = runnable.flatMap((block, i) => (isServerBlock(block) ? [] : [[where(block), runPaths[i]!] as const]));
const servers = runnable.flatMap((block, i) => (isServerBlock(block) ? [[where(block), runPaths[i]!, block.code] as const] : []));
const tests = writeTestBlocks('node');
afterAll(() => {
  rmSync(runDir, { recursive: true, force: true });
  rmSync(tests.dir, { recursive: true, force: true });
});

// A script acts as the machine client (`m2m`, whose secret the client-credentials example reads from a file).
const secretFile = join(runDir, 'm2m-secret');
writeFileSync(secretFile, 'm2m-secret\n');
const scriptEnv = (teamUrl: string) =>
  childEnv({
    CELONIS_TEAM_URL: teamUrl,
    CELONIS_CLIENT_ID: 'm2m',
    CELONIS_CLIENT_SECRET: 'm2m-secret',
    CELONIS_CLIENT_SECRET_FILE: secretFile,
    CELONIS_API_KEY: 'docs-test-api-key',
    CELONIS_APP_KEY: 'docs-test-app-key',
  });
// A server is the portal's: the confidential `portal` client, its origin, a session key, Redis when it asks for one.
const serverEnv = (teamUrl: string, redis: RedisServer | undefined) => {
  const key = Buffer.alloc(32, 7).toString('base64url');
  return childEnv({
    CELONIS_TEAM_URL: teamUrl,
    CELONIS_CLIENT_ID: 'portal',
    CELONIS_CLIENT_SECRET: 'portal-secret',
    PORTAL_ORIGIN,
    CELONIS_BFF_KEY: key,
    CELONIS_BFF_KEYS: key,
    REDIS_URL: redis?.url,
  });
};

describe('blocks marked run', () => {
  it('are there (the server quick start at least)', () => {
    expect(scripts.map(([name]) => name)).toContainEqual(expect.stringMatching(/^packages\/server\/README\.md:/));
  });

  const forServer = documentedFiles()
    .flatMap((file) => codeBlocks(file))
    .filter((block) => isComplete(block) && /from '@celonis-auth\/server[/']/.test(block.code));
  it('cover every complete block that imports @celonis-auth/server, but the compile-only ones named here', () => {
    const left = forServer.filter((block) => !block.flags.includes('run') && !COMPILE_ONLY.some(({ line }) => block.code.includes(line)));
    expect(left.map(where)).toEqual([]);
  });
  it.each(COMPILE_ONLY)('leave one block compile-only: $why', ({ line }) => {
    expect(forServer.filter((block) => block.code.includes(line)).map((block) => block.flags)).toEqual([[]]);
  });

  it.each(scripts)('%s runs to exit 0 against the emulator', async (_, path) => {
    const emulator = await startDocsEmulator();
    try {
      // As the README says to run it in this repository: TypeScript through tsx, with the source condition.
      const result = await run(process.execPath, ['--conditions=@celonis-auth/source', '--import', 'tsx', path], {
        cwd: join(path, '..'),
        env: scriptEnv(emulator.url),
        timeoutMs: 30_000,
      });
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    } finally {
      await emulator.close();
    }
  });

  it.each(servers)('%s serves (on PORT) what its probes ask, against the emulator', async (_, path, code) => {
    const probes = probesFor(code);
    expect(probes, 'a server block calls createTokenRelay, createCelonisApiProxy or createCelonisBff').not.toEqual([]);
    const emulator = await startDocsEmulator();
    const redis = /from 'redis'/.test(code) ? await startRedisServer() : undefined;
    const server = await startServerBlock(path, code, { port: await freePort(), env: serverEnv(emulator.url, redis) }).catch(async (error: unknown) => {
      await Promise.all([emulator.close(), redis?.stop()]);
      throw error;
    });
    try {
      for (const probe of probes)
        await probe.probe(server.url, emulator).catch((error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          throw new Error(`${probe.name}: ${message}\n--- the server printed ---\n${server.output()}`, { cause: error });
        });
    } finally {
      await server.stop();
      await Promise.all([emulator.close(), redis?.stop()]);
    }
  });
});

for (const block of tests.blocks)
  describe(block.name, async () => {
    await import(block.url);
  });
