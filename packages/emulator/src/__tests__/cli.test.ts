import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL_PREFIX, startEmulator } from '@celonis-auth/emulator';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = join(ROOT, 'packages/emulator/src/cli.ts');
const DEV = join(ROOT, 'apps/dashboard/scripts/dev.ts');
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

// Node itself with tsx's loader, not the tsx command: that one relays a signal to its child and
// kills it when the child does not confirm within 30 ms, which a busy machine does not always manage.
function runCli(args: string[]): CliRun {
  return run(process.execPath, ['--import', 'tsx', '--conditions=@celonis-auth/source', CLI, ...args], ROOT);
}

/** `pnpm emulator <args>` as a user types it, in `cwd` (the repository root by default). */
function runPnpmEmulator(args: string[], cwd = ROOT): CliRun {
  return run('pnpm', ['emulator', ...args], cwd);
}

/** pnpm runs, each in a process group of its own, so each can be stopped with everything it started. */
const groups = new Set<ChildProcess>();

function run(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): CliRun {
  const env = { ...process.env, ...extraEnv };
  delete env.NODE_OPTIONS;
  const detached = command === 'pnpm';
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached });
  if (detached) groups.add(child);
  running.add(child);
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => (running.delete(child), groups.delete(child), resolve(code))));

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
  for (const child of groups) if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  for (const child of running) child.kill('SIGKILL');
  running.clear();
  groups.clear();
});

/**
 * Ends a pnpm run and everything it started. Not with Ctrl-C's SIGINT: pnpm, sh, the tsx command
 * and the CLI would all get it, and tsx's relay may kill the CLI first (see {@link runCli}); Ctrl-C
 * itself is tested on the CLI directly.
 */
function stopGroup(cli: CliRun): void {
  if (cli.child.pid !== undefined) process.kill(-cli.child.pid, 'SIGKILL');
}

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'packages/emulator/package.json'), 'utf8')) as { version: string }).version;

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

  it.each([['--help'], ['-h'], ['--', '--help']])('prints the usage with %s and exits 0, listing every flag', async (...args) => {
    const cli = runCli(args);
    expect(await cli.exited()).toBe(0);
    expect(cli.output()).toContain('Usage: celonis-emulator [--port 8787]');
    for (const flag of [
      '--port',
      '--host',
      '--config',
      '--token-lifetime',
      '--send-issuer',
      '--allow-remote',
      '--control-surface',
      '--version',
      '-h, --help',
    ]) {
      expect(cli.output()).toContain(`  ${flag} `);
    }
  });

  it('prints its version with --version and exits 0', async () => {
    const cli = runCli(['--version']);
    expect(await cli.exited()).toBe(0);
    expect(cli.output()).toBe(`celonis-emulator ${VERSION}\n`);
  });

  it('shows the settings in force in the banner: profile, lifetimes, CORS, control surface, iss', async () => {
    const cli = runCli(['--port', '0']);
    await cli.waitFor(/Press Ctrl-C to stop\./);
    expect(cli.output()).toContain(
      [
        'Settings:',
        '  profile          permissive',
        '  access tokens    899 s',
        '  refresh tokens   86400 s',
        '  codes            60 s',
        '  CORS             on for http://localhost:5173 http://127.0.0.1:5173',
        '  control surface  on at /__emulator',
        '  iss (RFC 9207)   not sent (as Celonis)',
      ].join('\n'),
    );
    cli.child.kill('SIGINT');
    expect(await cli.exited()).toBe(0);
  });

  it('shortens access tokens with --token-lifetime, and says so in the banner', async () => {
    const cli = runCli(['--port', '0', '--token-lifetime', '60']);
    const [, url] = await cli.waitFor(BANNER);
    await cli.waitFor(/Press Ctrl-C to stop\./);
    expect(cli.output()).toContain('  access tokens    60 s\n');
    const token = await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'm2m', client_secret: 'm2m-secret' }),
    });
    expect(await token.json()).toMatchObject({ expires_in: 60 });
    cli.child.kill('SIGINT');
    expect(await cli.exited()).toBe(0);
  });

  it('sends iss in authorization responses with --send-issuer, and says so in the banner', async () => {
    const cli = runCli(['--port', '0', '--send-issuer']);
    const [, url] = await cli.waitFor(BANNER);
    await cli.waitFor(/Press Ctrl-C to stop\./);
    expect(cli.output()).toContain('  iss (RFC 9207)   sent in authorization responses\n');
    const response = await fetch(
      `${url}/oauth2/authorize?response_type=code&client_id=portal&redirect_uri=${encodeURIComponent('http://localhost:5173/callback')}&scope=nope`,
      {
        redirect: 'manual',
      },
    );
    expect(new URL(response.headers.get('location')!).searchParams.get('iss')).toBe(url);
    cli.child.kill('SIGINT');
    expect(await cli.exited()).toBe(0);
  });

  it.each(['0.0.0.0', '::'])('refuses --host %s without --allow-remote: exit 2, naming the flag', async (host) => {
    const cli = runCli(['--port', '0', '--host', host]);
    expect(await cli.exited()).toBe(2);
    expect(cli.output()).toContain(`--host ${host} is not a loopback address: the seeded client secrets and user passwords would be usable from the network.`);
    expect(cli.output()).toContain('Pass --allow-remote to bind it anyway; the control surface is then off unless you add --control-surface.');
    expect(cli.output()).not.toContain('running at');
  });

  it('keeps the control surface on for a loopback --host, with or without --allow-remote', async () => {
    const cli = runCli(['--port', '0', '--host', '127.0.0.1', '--allow-remote']);
    const [, url] = await cli.waitFor(BANNER);
    await cli.waitFor(/Press Ctrl-C to stop\./);
    expect(cli.output()).not.toContain('WARNING');
    expect((await fetch(`${url}/__emulator/clock`)).status).toBe(200);
    cli.child.kill('SIGINT');
    expect(await cli.exited()).toBe(0);
  });

  it.each([
    { args: ['--port', 'abc'], message: '--port must be a whole number from 0 to 65535, got "abc"' },
    { args: ['--port', '70000'], message: '--port must be a whole number from 0 to 65535, got "70000"' },
    { args: ['--port', '1.5'], message: '--port must be a whole number' },
    { args: ['--port=-1'], message: '--port must be a whole number' },
    { args: ['--bogus'], message: "Unknown option '--bogus'" },
    { args: ['--port'], message: "Option '--port <value>' argument missing" },
    { args: ['--token-lifetime', 'abc'], message: '--token-lifetime must be a whole number of seconds from 0 to 31536000, got "abc"' },
    { args: ['--token-lifetime=-1'], message: '--token-lifetime must be a whole number of seconds' },
    { args: ['--token-lifetime', '31536001'], message: '--token-lifetime must be a whole number of seconds' },
    { args: ['--version=1'], message: "Option '--version' does not take an argument" },
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

  it('lets --token-lifetime and --control-surface win over the file', async () => {
    const path = await configFile('flags.json', JSON.stringify({ accessTokenLifetimeSeconds: 300, controlSurface: false }));
    const cli = runCli(['--port', '0', '--config', path, '--token-lifetime', '45', '--control-surface']);
    const [, url] = await cli.waitFor(BANNER);
    await cli.waitFor(/Press Ctrl-C to stop\./);
    expect(cli.output()).toContain('  access tokens    45 s\n');
    expect(cli.output()).toContain('  control surface  on at /__emulator\n');
    expect(await (await fetch(`${url}/__emulator/config`)).json()).toMatchObject({ accessTokenLifetimeSeconds: 45, controlSurface: true });
    cli.child.kill('SIGINT');
    expect(await cli.exited()).toBe(0);
  });

  it('says in the banner that the control surface is off when the file turns it off', async () => {
    const path = await configFile('off.json', JSON.stringify({ controlSurface: false, corsOrigins: [] }));
    const cli = runCli(['--port', '0', '--config', path]);
    await cli.waitFor(/Press Ctrl-C to stop\./);
    expect(cli.output()).toContain('  CORS             off (no origins)\n  control surface  off\n');
    cli.child.kill('SIGINT');
    expect(await cli.exited()).toBe(0);
  });

  it('passes --config through the root script, read from the directory the command was typed in', async () => {
    const path = await configFile('typed-in.json', JSON.stringify({ accessTokenLifetimeSeconds: 61 }));
    const typedIn = join(ROOT, 'packages');
    const cli = runPnpmEmulator(['--port', '0', '--config', relative(typedIn, path)], typedIn);
    const [, url] = await cli.waitFor(BANNER);
    await cli.waitFor(/Press Ctrl-C to stop\./);
    expect(cli.output()).toContain('  access tokens    61 s\n');
    stopGroup(cli);
    await cli.exited();
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });

  it('exits 2 naming a config file that does not exist', async () => {
    const missing = join(dir, 'missing.json');
    const cli = runCli(['--port', '0', '--config', missing]);
    expect(await cli.exited()).toBe(2);
    expect(cli.output()).toContain(`Cannot read --config ${missing}: ENOENT`);
  });
});

describe.concurrent('celonis-emulator --profile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'celonis-emulator-profile-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const configFile = async (name: string, config: object) => {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(config), 'utf8');
    return path;
  };
  const CELONIS_SETTINGS = [
    '  profile          celonis',
    '  access tokens    899 s',
    '  refresh tokens   86400 s',
    '  codes            60 s',
    '  CORS             off (the celonis profile: Celonis documents none)',
    '  client secrets   required on every token request; dashboard has none, so it cannot exchange codes in this profile',
  ].join('\n');

  it('lists --profile in the usage', async () => {
    const cli = runCli(['--help']);
    expect(await cli.exited()).toBe(0);
    expect(cli.output()).toContain('  --profile NAME         permissive (the default: public PKCE clients, CORS for the dev origins) or celonis\n');
  });

  it('runs the celonis profile with --profile celonis, and says so in the banner', async () => {
    const cli = runCli(['--port', '0', '--profile', 'celonis']);
    const [, url] = await cli.waitFor(BANNER);
    await cli.waitFor(/Press Ctrl-C to stop\./);
    expect(cli.output()).toContain(CELONIS_SETTINGS);
    expect(cli.output()).toContain('  dashboard     public (PKCE), cannot exchange codes in the celonis profile; authorization_code, refresh_token');
    const preflight = await fetch(`${url}/oauth2/token`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const token = await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'm2m', client_secret: 'm2m-secret' }),
    });
    expect(token.status).toBe(200);
    cli.child.kill('SIGINT');
    expect(await cli.exited()).toBe(0);
  });

  it.each<{ name: string; args: () => Promise<string[]>; profile: string }>([
    { name: 'the file says celonis', args: async () => ['--config', await configFile('celonis.json', { profile: 'celonis' })], profile: 'celonis' },
    {
      name: '--profile permissive wins over a celonis file',
      args: async () => ['--config', await configFile('over-celonis.json', { profile: 'celonis' }), '--profile', 'permissive'],
      profile: 'permissive',
    },
    {
      name: '--profile celonis wins over a permissive file',
      args: async () => ['--profile', 'celonis', '--config', await configFile('over-permissive.json', { profile: 'permissive' })],
      profile: 'celonis',
    },
  ])('runs the right profile when $name', async ({ args, profile }) => {
    const cli = runCli(['--port', '0', ...(await args())]);
    const [, url] = await cli.waitFor(BANNER);
    await cli.waitFor(/Press Ctrl-C to stop\./);
    expect(cli.output()).toContain(`  profile          ${profile}\n`);
    expect(await (await fetch(`${url}/__emulator/config`)).json()).toMatchObject({ profile });
    cli.child.kill('SIGINT');
    expect(await cli.exited()).toBe(0);
  });

  it.each([
    { args: ['--profile', 'strict'], message: '--profile: "strict" is not one of permissive, celonis' },
    { args: ['--profile', 'Celonis'], message: '--profile: "Celonis" is not one of permissive, celonis' },
    { args: ['--profile='], message: '--profile: "" is not one of permissive, celonis' },
    { args: ['--profile'], message: "Option '--profile <value>' argument missing" },
  ])('exits 2 with the message and the usage for $args', async ({ args, message }) => {
    const cli = runCli(['--port', '0', ...args]);
    expect(await cli.exited()).toBe(2);
    expect(cli.output()).toContain(message);
    expect(cli.output()).toContain('Usage: celonis-emulator [--port 8787]');
    expect(cli.output()).not.toContain('running at');
  });

  it.each([
    {
      name: 'a bad profile in the file',
      config: { profile: 'strict' },
      args: [],
      message: 'Invalid --config: profile: "strict" is not one of permissive, celonis',
    },
    {
      name: 'corsOrigins in a celonis file',
      config: { profile: 'celonis', corsOrigins: ['http://localhost:5173'] },
      args: [],
      message: 'Invalid --config: corsOrigins cannot be used with profile "celonis": Celonis documents no CORS for browser origins.',
    },
    {
      name: 'corsOrigins in the file with --profile celonis',
      config: { corsOrigins: ['http://localhost:5173'] },
      args: ['--profile', 'celonis'],
      message: 'Invalid --config: corsOrigins cannot be used with profile "celonis"',
    },
  ])('exits 1 for $name, saying what to change', async ({ name, config, args, message }) => {
    const cli = runCli(['--port', '0', '--config', await configFile(`${name.replace(/\W+/g, '-')}.json`, config), ...args]);
    expect(await cli.exited()).toBe(1);
    expect(cli.output()).toContain(message);
    expect(cli.output()).not.toContain('running at');
  });
});

// The root script runs the CLI itself (not `pnpm --filter ... start`), so pnpm hands every flag on
// and ends with the CLI's own exit code.
describe.concurrent('pnpm emulator at the repository root', () => {
  it.each(['--help', '-h'])('prints the emulator’s usage for %s, not pnpm’s, and exits 0', async (flag) => {
    const cli = runPnpmEmulator([flag]);
    expect(await cli.exited(), cli.output()).toBe(0);
    expect(cli.output()).toContain('Usage: celonis-emulator [--port 8787]');
    expect(cli.output()).not.toContain('Usage: pnpm');
  });

  it('prints the emulator’s version for --version', async () => {
    const cli = runPnpmEmulator(['--version']);
    expect(await cli.exited(), cli.output()).toBe(0);
    expect(cli.output()).toContain(`celonis-emulator ${VERSION}\n`);
  });

  it.each([
    { args: ['--bogus'], message: "Unknown option '--bogus'" },
    { args: ['--port', 'abc'], message: '--port must be a whole number from 0 to 65535, got "abc"' },
    { args: ['--host', '0.0.0.0'], message: 'Pass --allow-remote to bind it anyway' },
  ])('exits 2 for $args with the emulator’s message, not a pnpm failure', async ({ args, message }) => {
    const cli = runPnpmEmulator(args);
    expect(await cli.exited(), cli.output()).toBe(2);
    expect(cli.output()).toContain(message);
    expect(cli.output()).not.toContain('ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL');
  });

  it('starts on the --port it is given, with the flags it is given', async () => {
    const cli = runPnpmEmulator(['--port', '0', '--token-lifetime', '60']);
    const [, url] = await cli.waitFor(BANNER);
    await cli.waitFor(/Press Ctrl-C to stop\./);
    expect(cli.output()).toContain('  access tokens    60 s\n');
    expect((await fetch(`${url}/`)).status).toBe(200);
    stopGroup(cli);
    await cli.exited();
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });
});

// `pnpm dev` binds the fixed ports 8787 and 5173, so only what it says before starting anything is tested here.
describe.concurrent('pnpm dev at the repository root, before it starts anything', () => {
  const runDev = (args: string[], env: Record<string, string> = {}) => run('pnpm', ['dev', ...args], ROOT, env);

  it('prints its usage for --help, listing --mode (direct, relay, bff), --redis, --profile, --token-lifetime and --config', async () => {
    const cli = runDev(['--help']);
    expect(await cli.exited(), cli.output()).toBe(0);
    expect(cli.output()).toContain(
      'Usage: pnpm dev [--mode direct|relay|bff] [--redis URL] [--profile permissive|celonis] [--token-lifetime S] [--config file.json]',
    );
  });

  it.each<{ args: string[]; env: Record<string, string>; message: string }>([
    { args: ['--bogus'], env: {}, message: "Unknown option '--bogus'" },
    { args: ['--mode', 'proxy'], env: {}, message: '--mode must be one of direct, relay, bff, got "proxy"' },
    { args: ['--redis', 'redis://127.0.0.1:6379'], env: {}, message: '--redis keeps the sessions of the backend-for-frontend: use it with --mode bff' },
    {
      args: ['--mode', 'bff', '--redis', 'localhost:6379'],
      env: {},
      message: '--redis must be a redis:// URL such as redis://127.0.0.1:6379, got "localhost:6379"',
    },
    { args: ['--relay', '--mode', 'bff'], env: {}, message: '--relay and --mode bff contradict each other: give one' },
    { args: ['--token-lifetime', 'soon'], env: {}, message: '--token-lifetime must be a whole number of seconds from 0 to 31536000, got "soon"' },
    {
      args: ['--token-lifetime', '60'],
      env: { VITE_CELONIS_TEAM_URL: 'https://acme.eu-1.celonis.cloud' },
      message: 'pnpm dev does not start while VITE_CELONIS_TEAM_URL is set (https://acme.eu-1.celonis.cloud)',
    },
  ])('exits 2 for $args with a clear message', async ({ args, env, message }) => {
    const cli = runDev(args, env);
    expect(await cli.exited(), cli.output()).toBe(2);
    expect(cli.output()).toContain(message);
    expect(cli.output()).not.toContain('ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL');
    // The line it prints once the emulator runs; its usage, printed with the error, speaks of "a real Celonis team:".
    expect(cli.output()).not.toMatch(/^Celonis team: /m);
  });
});

/** A TCP server on 127.0.0.1 that accepts connections and never answers, or answers anything with `reply`; `close` ends it and them. */
async function silentServer(reply?: string): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (reply !== undefined) socket.on('data', () => socket.write(reply));
  });
  await new Promise<void>((resolve, reject) => (server.once('error', reject), server.listen(0, '127.0.0.1', resolve)));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => (sockets.forEach((socket) => socket.destroy()), server.close(() => resolve()))),
  };
}

/** A port on 127.0.0.1 that nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = await silentServer();
  await server.close();
  return server.port;
}

// The dev script itself, as in runCli (Node with tsx's loader, no relay of signals), on ports of its own:
// CELONIS_DEV_EMULATOR_PORT and CELONIS_DEV_DASHBOARD_PORT, 0 for a free one. One at a time: each Vite server
// optimizes the dashboard's dependencies into the same cache directory.
describe('pnpm dev on ports of its own', () => {
  const runDevScript = (args: string[], env: Record<string, string> = {}) =>
    run(process.execPath, ['--import', 'tsx', '--conditions=@celonis-auth/source', DEV, ...args], ROOT, {
      CELONIS_DEV_EMULATOR_PORT: '0',
      CELONIS_DEV_DASHBOARD_PORT: '0',
      ...env,
    });
  const EMULATOR = /Celonis team: (http:\/\/127\.0\.0\.1:\d+), the emulator started by pnpm dev/;
  const DASHBOARD = /Dashboard {6}http:\/\/localhost:(\d+)\/ {2}\(press Ctrl-C to stop\)/;

  const UNREACHABLE = 'Start redis-server, or leave out --redis to keep sessions in memory.';
  it.each([
    {
      name: 'nothing listens there',
      redis: async () => ({ port: await closedPort(), close: async () => undefined }),
      message: (where: string) => `Cannot reach Redis at ${where} (ECONNREFUSED). ${UNREACHABLE}`,
    },
    {
      name: 'it accepts and never answers',
      redis: () => silentServer(),
      message: (where: string) => `Cannot reach Redis at ${where} (no answer within 3 s). ${UNREACHABLE}`,
    },
    {
      // What Redis answers a wrong password with, to whatever the client sends first.
      name: 'it refuses the password',
      redis: () => silentServer('-WRONGPASS invalid username-password pair or user is disabled.\r\n'),
      message: (where: string) =>
        `Redis at ${where} refused the connection (WRONGPASS invalid username-password pair or user is disabled). Check the user name, password and database in --redis.`,
    },
  ])('exits 1 within seconds, in plain words and without the password, when Redis cannot be used: $name', async ({ redis, message }) => {
    const server = await redis();
    try {
      const dev = runDevScript(['--mode', 'bff', '--redis', `redis://app:s3cret@127.0.0.1:${server.port}/2`]);
      const [, emulatorUrl] = await dev.waitFor(EMULATOR);
      expect(await dev.exited(), dev.output()).toBe(1);
      expect(dev.output()).toContain(`${message(`redis://127.0.0.1:${server.port}/2`)}\n`);
      expect(dev.output()).not.toContain('s3cret');
      expect(dev.output()).not.toContain('app:');
      // Neither a stack trace nor Vite's "failed to load config from".
      expect(dev.output()).not.toMatch(/^\s+at /m);
      expect(dev.output()).not.toContain('failed to load config');
      expect(dev.output()).not.toMatch(DASHBOARD);
      await expect(fetch(`${emulatorUrl}/`)).rejects.toThrow();
    } finally {
      await server.close();
    }
  });

  it('exits 1 with a clear message, no stack trace, when the dashboard’s port is in use, and stops the emulator', async () => {
    const blocker = await silentServer();
    try {
      const dev = runDevScript([], { CELONIS_DEV_DASHBOARD_PORT: String(blocker.port) });
      const [, emulatorUrl] = await dev.waitFor(EMULATOR);
      expect(await dev.exited(), dev.output()).toBe(1);
      expect(dev.output()).toContain(`Cannot start the dashboard on 127.0.0.1:${blocker.port} (port in use). Is another pnpm dev running?\n`);
      expect(dev.output()).not.toMatch(/^\s+at /m);
      await expect(fetch(`${emulatorUrl}/`)).rejects.toThrow();
    } finally {
      await blocker.close();
    }
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'closes both servers and exits 0 on %s, in relay mode naming the portal client’s settings, not the dashboard’s',
    async (signal) => {
      const dev = runDevScript(['--mode', 'relay']);
      const [, emulatorUrl] = await dev.waitFor(EMULATOR);
      const [, port] = await dev.waitFor(DASHBOARD);
      expect(dev.output()).toContain('  client secrets   required on every token request\n');
      expect(dev.output()).not.toContain('dashboard has none');
      expect(dev.output()).toContain('  Client         portal\n');
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
      expect((await fetch(`${emulatorUrl}${CONTROL_PREFIX}`)).status).toBe(200);
      dev.child.kill(signal);
      expect(await dev.exited(), dev.output()).toBe(0);
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
      await expect(fetch(`${emulatorUrl}/`)).rejects.toThrow();
    },
  );

  it('exits 0 on SIGTERM while still starting, and names the dashboard client where it signs in on the celonis profile', async () => {
    const dev = runDevScript(['--profile', 'celonis']);
    const [, emulatorUrl] = await dev.waitFor(EMULATOR);
    await dev.waitFor(/ {2}iss \(RFC 9207\) {3}not sent/);
    dev.child.kill('SIGTERM');
    expect(await dev.exited(), dev.output()).toBe(0);
    expect(dev.output()).toContain('  client secrets   required on every token request; dashboard has none, so it cannot exchange codes in this profile\n');
    await expect(fetch(`${emulatorUrl}/`)).rejects.toThrow();
  });
});
