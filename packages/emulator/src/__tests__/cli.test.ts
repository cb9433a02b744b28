import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '@celonis-auth/emulator';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const CLI = join(ROOT, 'packages/emulator/src/cli.ts');
const WAIT_MS = 15_000;

/** A CLI process with its combined output, and bounded waits on it. */
interface CliRun {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects after `WAIT_MS`. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves with the exit code; rejects after `WAIT_MS`. */
  exited(): Promise<number | null>;
}

const running = new Set<ChildProcess>();

function runCli(args: string[]): CliRun {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(TSX, ['--conditions=@celonis-auth/source', CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => (running.delete(child), resolve(code))));

  const bounded = <T>(what: string, promise: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what}; output so far:\n${output}`)), WAIT_MS);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  };

  return {
    child,
    output: () => output,
    waitFor: (pattern) =>
      bounded(
        String(pattern),
        new Promise<RegExpMatchArray>((resolve, reject) => {
          const check = () => {
            const match = pattern.exec(output);
            if (!match) return;
            listeners.delete(check);
            resolve(match);
          };
          listeners.add(check);
          check();
          void exit.then(() => {
            check();
            if (listeners.delete(check)) reject(new Error(`the CLI exited before printing ${String(pattern)}; output:\n${output}`));
          });
        }),
      ),
    exited: () => bounded('the CLI to exit', exit),
  };
}

// Tests run concurrently (each CLI is its own process on its own port); a test that failed midway
// leaves its process behind, so the ones still running are stopped here, by their own handle.
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

const BANNER = /Celonis emulator running at (http:\/\/127\.0\.0\.1:(\d+))\n/;

describe.concurrent('celonis-emulator CLI', () => {
  it('starts on a free port with --port 0, prints the URL, clients and users, and serves tokens', async () => {
    const cli = runCli(['--port', '0']);
    const [, url, port] = await cli.waitFor(BANNER);
    await cli.waitFor(/Press Ctrl-C to stop\./);
    expect(Number(port)).toBeGreaterThan(0);
    const banner = cli.output();
    for (const expected of [
      'dashboard',
      'portal',
      'secret portal-secret',
      'm2m',
      'secret m2m-secret',
      'analyst@example.com',
      'password analyst',
      'viewer@example.com',
      `${url}/oauth2/token`,
      'GET /api/me',
    ]) {
      expect(banner).toContain(expected);
    }

    const root = await (await fetch(`${url}/`)).json();
    expect(root).toEqual({ name: 'celonis-emulator', teamUrl: url, authorize: `${url}/oauth2/authorize`, token: `${url}/oauth2/token` });
    const token = await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'm2m', client_secret: 'm2m-secret' }),
    });
    expect(token.status).toBe(200);

    cli.child.kill('SIGINT');
    expect(await cli.exited()).toBe(0);
    expect(cli.output()).toContain('celonis-emulator stopped');
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });

  it('stops with exit code 0 on SIGTERM too', async () => {
    const cli = runCli(['--port', '0']);
    await cli.waitFor(/Press Ctrl-C to stop\./);
    cli.child.kill('SIGTERM');
    expect(await cli.exited()).toBe(0);
  });

  it('prints the usage with --help and exits 0', async () => {
    const cli = runCli(['--help']);
    expect(await cli.exited()).toBe(0);
    expect(cli.output()).toContain('Usage: celonis-emulator [--port 8787]');
  });

  it.each([
    { args: ['--port', 'abc'], message: '--port must be a whole number from 0 to 65535, got "abc"' },
    { args: ['--port', '70000'], message: '--port must be a whole number from 0 to 65535, got "70000"' },
    { args: ['--port', '1.5'], message: '--port must be a whole number' },
    { args: ['--port=-1'], message: '--port must be a whole number' },
    { args: ['--bogus'], message: "Unknown option '--bogus'" },
    { args: ['--port'], message: "Option '--port <value>' argument missing" },
  ])('exits 2 with a clear message for $args', async ({ args, message }) => {
    const cli = runCli(args);
    expect(await cli.exited()).toBe(2);
    expect(cli.output()).toContain(message);
    expect(cli.output()).not.toContain('running at');
  });

  it('exits 1 naming the port when it is in use', async () => {
    const blocker = await startEmulator();
    try {
      const cli = runCli(['--port', String(blocker.port)]);
      expect(await cli.exited()).toBe(1);
      expect(cli.output()).toContain(`Port ${blocker.port} on 127.0.0.1 is in use`);
    } finally {
      await blocker.close();
    }
  });
});

describe.concurrent('celonis-emulator --config', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'celonis-emulator-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function configFile(name: string, content: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content, 'utf8');
    return path;
  }

  it('serves the clients of a good config file', async () => {
    const path = await configFile(
      'good.json',
      JSON.stringify({
        clients: [{ clientId: 'cli-client', clientSecret: 'cli-secret', grantTypes: ['client_credentials'] }],
        accessTokenLifetimeSeconds: 300,
      }),
    );
    const cli = runCli(['--port', '0', '--config', path]);
    const [, url] = await cli.waitFor(BANNER);
    await cli.waitFor(/Press Ctrl-C to stop\./);
    expect(cli.output()).toContain('cli-client');
    expect(cli.output()).not.toContain('m2m-secret');
    const response = await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cli-client', client_secret: 'cli-secret' }),
    });
    expect(await response.json()).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    cli.child.kill('SIGINT');
    expect(await cli.exited()).toBe(0);
  });

  it.each([
    { name: 'a file that is not JSON', file: 'broken.json', content: '{ "clients": [', code: 2, message: 'Cannot read --config' },
    {
      name: 'an unknown field',
      file: 'unknown.json',
      content: '{ "port": 8787 }',
      code: 1,
      message: 'Invalid --config: emulator config: unknown field "port"',
    },
    {
      name: 'a client without its secret',
      file: 'client.json',
      content: '{ "clients": [{ "clientId": "x", "grantTypes": ["client_credentials"] }] }',
      code: 1,
      message: 'Invalid --config: clients[0]: a client_credentials client needs a clientSecret',
    },
    { name: 'a JSON array', file: 'array.json', content: '[]', code: 1, message: 'Invalid --config: emulator config must be a JSON object' },
  ])('exits $code with a clear message for $name', async ({ file, content, code, message }) => {
    const cli = runCli(['--port', '0', '--config', await configFile(file, content)]);
    expect(await cli.exited()).toBe(code);
    expect(cli.output()).toContain(message);
    expect(cli.output()).not.toContain('running at');
  });

  it('exits 2 naming a config file that does not exist', async () => {
    const missing = join(dir, 'missing.json');
    const cli = runCli(['--port', '0', '--config', missing]);
    expect(await cli.exited()).toBe(2);
    expect(cli.output()).toContain(`Cannot read --config ${missing}: ENOENT`);
  });
});
