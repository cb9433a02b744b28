import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './freePort.js';

/** A redis-server started by {@link startRedisServer}, listening on 127.0.0.1 only, without persistence. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`, for `createClient({ url })`. */
  readonly url: string;
  readonly port: number;
  /** Stops it: SIGTERM, then SIGKILL after 5 s. Resolves once the process has exited; safe to call twice. */
  stop(): Promise<void>;
  /** SIGKILL at once, as in a crash: clients see their connections drop. Resolves once it has exited. */
  kill(): Promise<void>;
  /** SIGSTOP: the process keeps its sockets but answers nothing, as a hung or partitioned server would. */
  pause(): void;
  /** SIGCONT after {@link RedisServer.pause}: it answers again, with everything it held. */
  resume(): void;
}

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** The port to listen on, e.g. to restart on the port of a killed server; default: a free port. */
  port?: number;
  /** How long to wait for the first `+PONG`; default 10 000 ms. */
  readyTimeoutMs?: number;
}

const MISSING = "redis-server is not on the PATH; run `bash packages/server/scripts/ensure-redis-server.sh` (it installs Debian's redis-server)";
const STOP_GRACE_MS = 5_000;
const PING = '*1\r\n$4\r\nPING\r\n';

/**
 * Starts Debian's `redis-server` on a free 127.0.0.1 port with `--save '' --appendonly no`, and
 * resolves once it answers PING. There is no silent skip: without redis-server the promise rejects
 * and says how to install it. A process exit stops it too, so no server outlives a test run.
 *
 * @example
 * ```ts
 * const redis = await startRedisServer();
 * afterAll(() => redis.stop());
 * const client = await createClient({ url: redis.url }).connect();
 * ```
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  // A free port can be taken between our probe and redis-server's bind: try again with another.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startOn(port, options.readyTimeoutMs ?? 10_000);
    } catch (error) {
      const raced = error instanceof Error && /Address already in use/.test(error.message);
      if (!raced || options.port !== undefined || attempt >= 3) throw error;
    }
  }
}

async function startOn(port: number, readyTimeoutMs: number): Promise<RedisServer> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString('utf8')).slice(-8_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new Error(MISSING, { cause: error }) : error));
    void exited.then(() => reject(new Error(`redis-server exited before it answered PING on port ${port}:\n${output}`)));
  });
  failed.catch(() => undefined);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await Promise.race([waitForPong(port, readyTimeoutMs, () => output), failed]);
  } catch (error) {
    await end(child, exited, 'SIGKILL');
    process.off('exit', killOnExit);
    throw error;
  }
  const finish = async (signal: NodeJS.Signals) => {
    await end(child, exited, signal);
    process.off('exit', killOnExit);
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => finish('SIGTERM'),
    kill: () => finish('SIGKILL'),
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
  };
}

async function end(child: ChildProcess, exited: Promise<void>, signal: NodeJS.Signals): Promise<void> {
  // Never spawned (ENOENT) or already gone: there is nothing to wait for.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  // A paused process takes SIGTERM only once it runs again.
  child.kill('SIGCONT');
  child.kill(signal);
  const grace = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(grace);
}

async function waitForPong(port: number, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // Its own log line first: a PONG alone could come from another server that holds the port.
    if (output().includes('Ready to accept connections') && (await pong(port))) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms:\n${output()}`);
}

/** Whether a raw RESP PING on a fresh connection gets `+PONG` (test-utils depends on no Redis client). */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write(PING));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
