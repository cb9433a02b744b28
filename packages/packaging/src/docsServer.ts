import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { killGroup } from './run.js';
import { ROOT } from './workspace.js';

/** A server block started by {@link startServerBlock}: where it listens, what it printed so far, and how to end it. */
export interface RunningServerBlock {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Its stdout and stderr so far, for failure messages. */
  output(): string;
  /** Kills it and whatever it started (its process group); resolves once it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options of {@link startServerBlock}. */
export interface ServerBlockOptions {
  /** The port it must listen on, from `freePort` of @celonis-auth/test-utils; handed over as `PORT` (and to Vite as `--port`). */
  port: number;
  /** Its whole environment (a `childEnv(...)`); `PORT` is set from `port`. */
  env: Record<string, string | undefined>;
  /** How long it may take to accept connections; default 20 000 ms (tsx compiles the sources first, on a busy machine). */
  readyTimeoutMs?: number;
}

const VITE_BIN = join(ROOT, 'node_modules/vite/bin/vite.js');

/**
 * The command that serves a block written to `path`: Vite's dev server for a Vite config (a block that
 * `export default defineConfig(...)`s), loaded natively as the dashboard does; anything else with Node.
 * Both through tsx with the source condition, as the server README says to run examples in this repository.
 */
export function serveCommand(path: string, code: string, port: number): string[] {
  const node = [process.execPath, '--conditions=@celonis-auth/source', '--import', 'tsx'];
  if (!/^export default defineConfig\(/m.test(code)) return [...node, path];
  return [...node, VITE_BIN, '--config', path, '--configLoader', 'native', '--host', '127.0.0.1', '--port', String(port), '--strictPort'];
}

/**
 * Starts the block written to `path` (its folder as the working directory) and resolves once
 * 127.0.0.1:`port` accepts connections. Rejects, with what it printed, if it exits first or is not
 * listening within the timeout; it is killed then, so a failed start leaves nothing running.
 */
export async function startServerBlock(path: string, code: string, options: ServerBlockOptions): Promise<RunningServerBlock> {
  const [command, ...args] = serveCommand(path, code, options.port);
  // Its own process group, so stop() also ends what it started (Vite's workers, a redis client's sockets).
  const child = spawn(command!, args, {
    cwd: join(path, '..'),
    env: { ...options.env, PORT: String(options.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString('utf8')).slice(-16_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));
  const stop = async () => {
    if (running) killGroup(child.pid);
    await exited;
  };
  child.once('error', (error) => void (output += `\n[${error.message}]`));

  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  while (!(await accepts(options.port))) {
    const problem = !running ? 'exited before it listened' : Date.now() > deadline ? `did not listen within ${options.readyTimeoutMs ?? 20_000} ms` : undefined;
    if (problem) {
      await stop();
      throw new Error(`${path} ${problem} on 127.0.0.1:${options.port}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `http://127.0.0.1:${options.port}`, output: () => output, stop };
}

/** Whether a TCP connection to 127.0.0.1:`port` is accepted (within a second). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => done(true));
  });
}
