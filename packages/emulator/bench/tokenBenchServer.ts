/**
 * One token server for `tokenEndpoint.bench.ts`, run in a child process so that the server and
 * the load generator do not share an event loop (on a two-core machine each gets a core).
 *
 * Usage: `node <tsx loader flags> bench/tokenBenchServer.ts emulator|mock`
 *
 * Binds 127.0.0.1 on a free port, prints one JSON line ({@link BenchServerReady}) when it listens,
 * and stops when its stdin closes: the parent ends stdin to stop it, and a parent that dies
 * closes it too, so no server outlives the benchmark.
 */
import { readFile } from 'node:fs/promises';
import { OAuth2Server } from 'oauth2-mock-server';
import { startEmulator } from '../src/index.js';

/** The kinds of server this script can run. */
export type BenchServerKind = 'emulator' | 'mock';

/** The line the child prints once it listens. */
export interface BenchServerReady {
  server: string;
  version: string;
  tokenUrl: string;
  pid: number;
}

interface Running {
  ready: BenchServerReady;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

async function packageVersion(relativePath: string): Promise<string> {
  const json = JSON.parse(await readFile(new URL(relativePath, import.meta.url), 'utf8')) as { version?: unknown };
  return typeof json.version === 'string' ? json.version : 'unknown';
}

async function startEmulatorServer(): Promise<Running> {
  const emulator = await startEmulator({ host: HOST, port: 0 });
  return {
    ready: { server: 'celonis-emulator', version: await packageVersion('../package.json'), tokenUrl: `${emulator.url}/oauth2/token`, pid: process.pid },
    close: () => emulator.close(),
  };
}

async function startMockServer(): Promise<Running> {
  const server = new OAuth2Server();
  // ES384, like the emulator's tokens, so both servers pay for the same kind of signature.
  await server.issuer.keys.generate('ES384');
  await server.start(0, HOST);
  // issuer.url says "localhost" for a loopback bind; the benchmark must hit 127.0.0.1 itself.
  const { port } = server.address();
  return {
    ready: {
      server: 'oauth2-mock-server',
      version: await packageVersion('../node_modules/oauth2-mock-server/package.json'),
      tokenUrl: `http://${HOST}:${port}/token`,
      pid: process.pid,
    },
    close: () => server.stop(),
  };
}

const kind = process.argv[2];
if (kind !== 'emulator' && kind !== 'mock') {
  console.error('usage: tokenBenchServer.ts emulator|mock');
  process.exit(2);
}

const running = kind === 'emulator' ? await startEmulatorServer() : await startMockServer();
process.stdout.write(`${JSON.stringify(running.ready)}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  // oauth2-mock-server's stop() waits for keep-alive sockets to go idle: bound the wait.
  await Promise.race([running.close(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
  process.exit(0);
}
process.stdin.on('end', () => void stop());
process.stdin.on('error', () => void stop());
process.stdin.resume();
process.once('SIGTERM', () => void stop());
