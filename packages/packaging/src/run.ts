import { spawn } from 'node:child_process';

/** What a finished command printed and how it ended. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time in milliseconds. */
  ms: number;
}

/** Options of {@link run}. */
export interface RunOptions {
  cwd: string;
  /** Added to (and overriding) the current environment. */
  env?: Record<string, string | undefined>;
  /** Killed (SIGKILL, with its process group) after this long; default 120 000 ms. */
  timeoutMs?: number;
}

/**
 * Runs `command` with `args` (no shell), collecting its output. Never rejects for a non-zero exit:
 * the caller decides what a failure means and prints the output with it.
 */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout also ends what the command started (npm's children, a server).
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${options.timeoutMs ?? 120_000} ms]`;
      killGroup(child.pid);
    }, options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

/** Runs like {@link run} and throws, with the command's output, unless it exits 0. */
export async function runOrThrow(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new Error(`${describe(command, args, options.cwd)} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** `command args` in `cwd`, for messages. */
export function describe(command: string, args: readonly string[], cwd: string): string {
  return `\`${[command, ...args].join(' ')}\` in ${cwd}`;
}

/** Ends a process started by {@link run} and whatever it started (its process group). */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
