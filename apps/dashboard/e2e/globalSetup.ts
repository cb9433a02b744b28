// Starts what the end-to-end tests talk to, once for the whole run: two emulators (in this process),
// the permissive one and one in the `celonis` profile (client secrets, no CORS, as a real team), four
// production builds of the dashboard made with its own build script, and a preview server for each:
// direct mode on the permissive emulator; relay mode on the celonis one (token relay and API proxy,
// the `portal` client's secret on the server side only); direct mode on the celonis one (what a
// browser meets there); and an empty client id, for the configuration-error page.
// Everything binds 127.0.0.1 and everything started here is stopped in the teardown.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { DEFAULT_EMULATOR_CONFIG, startEmulator, type RunningEmulator } from '@celonis-auth/emulator';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The emulator's team URL, e.g. `http://127.0.0.1:40123`. */
    emulatorUrl: string;
    /** The dashboard built for the public `dashboard` client (PKCE, token endpoint on the emulator). */
    dashboardUrl: string;
    /** The emulator in the `celonis` profile: every token request needs the client's secret, and nothing answers CORS. */
    celonisEmulatorUrl: string;
    /** The dashboard built for the confidential `portal` client against the celonis emulator, through its token relay and API proxy. */
    relayUrl: string;
    /** The dashboard built for the public `dashboard` client against the celonis emulator, as direct mode would meet a real team. */
    directCelonisUrl: string;
    /** The dashboard in backend-for-frontend mode against the celonis emulator: its preview server signs in and keeps the tokens. */
    bffUrl: string;
    /** The dashboard built with `VITE_CELONIS_CLIENT_ID=` (empty): it shows its configuration-error page. */
    configErrorUrl: string;
  }
}

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BUILD_TIMEOUT_MS = 120_000;
const PREVIEW_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
/** What the child processes printed, kept short, for the error message when one fails. */
const OUTPUT_LIMIT = 8_000;

interface Child {
  name: string;
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const children = new Set<Child>();

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let emulator: RunningEmulator | undefined;
  let celonisEmulator: RunningEmulator | undefined;
  let workDir: string | undefined;
  // Last resort if the run is killed without a teardown: no preview server outlives it.
  process.once('exit', killAllNow);
  const teardown = async () => {
    await Promise.all([...children].map(stop));
    await emulator?.close();
    await celonisEmulator?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
    process.off('exit', killAllNow);
  };

  try {
    const [dashboardPort, relayPort, configErrorPort, directCelonisPort, bffPort] = await freePorts(5);
    const dashboardOrigins = loopbackOrigins(dashboardPort!);
    const relayOrigins = loopbackOrigins(relayPort!);
    const directCelonisOrigins = loopbackOrigins(directCelonisPort!);
    const bffOrigins = loopbackOrigins(bffPort!);
    const redirectUris = [
      ...[...dashboardOrigins, ...relayOrigins, ...directCelonisOrigins].map((origin) => `${origin}/callback`),
      ...bffOrigins.map((origin) => `${origin}/auth/callback`),
    ];
    const clients = DEFAULT_EMULATOR_CONFIG.clients.map((client) => (client.redirectUris?.length ? { ...client, redirectUris } : client));

    // Port 0: the emulator runs in this process, so it can take a free port without a race.
    emulator = await startEmulator({ port: 0, config: { clients, corsOrigins: dashboardOrigins } });
    celonisEmulator = await startEmulator({ port: 0, profile: 'celonis', config: { clients } });

    workDir = await mkdtemp(join(tmpdir(), 'celonis-dashboard-e2e-'));
    const dashboardDir = join(workDir, 'dashboard');
    const relayDir = join(workDir, 'relay');
    const directCelonisDir = join(workDir, 'direct-celonis');
    const bffDir = join(workDir, 'bff');
    const bffEnv = { VITE_CELONIS_TEAM_URL: celonisEmulator.url, VITE_CELONIS_CLIENT_ID: 'portal', VITE_CELONIS_MODE: 'bff' };
    const configErrorDir = join(workDir, 'config-error');
    const teamUrl = emulator.url;
    const relayEnv = { VITE_CELONIS_TEAM_URL: celonisEmulator.url, VITE_CELONIS_CLIENT_ID: 'portal', VITE_CELONIS_API_BASE_URL: '/celonis' };

    await Promise.all([
      run('build (dashboard client)', ['build', '--outDir', dashboardDir], { VITE_CELONIS_TEAM_URL: teamUrl }),
      run('build (relay)', ['build', '--outDir', relayDir], { ...relayEnv, VITE_CELONIS_TOKEN_ENDPOINT: '/api/celonis/token' }),
      run('build (direct on celonis)', ['build', '--outDir', directCelonisDir], { VITE_CELONIS_TEAM_URL: celonisEmulator.url }),
      run('build (bff)', ['build', '--outDir', bffDir], bffEnv),
      // Set but empty, as a `.env` line `VITE_CELONIS_CLIENT_ID=` would leave it.
      run('build (config error)', ['build', '--outDir', configErrorDir], { VITE_CELONIS_TEAM_URL: teamUrl, VITE_CELONIS_CLIENT_ID: '' }),
    ]);

    const dashboardUrl = dashboardOrigins[0]!;
    const relayUrl = relayOrigins[0]!;
    const configErrorUrl = loopbackOrigins(configErrorPort!)[0]!;
    const directCelonisUrl = directCelonisOrigins[0]!;
    const bffUrl = bffOrigins[0]!;
    const previews = [
      startPreview('preview (dashboard client)', dashboardDir, dashboardPort!, { VITE_CELONIS_TEAM_URL: teamUrl }),
      startPreview('preview (relay)', relayDir, relayPort!, {
        ...relayEnv,
        CELONIS_RELAY_CLIENT_SECRET: 'portal-secret',
        CELONIS_RELAY_ALLOWED_ORIGINS: relayOrigins.join(' '),
      }),
      startPreview('preview (config error)', configErrorDir, configErrorPort!, {}),
      startPreview('preview (direct on celonis)', directCelonisDir, directCelonisPort!, {}),
      startPreview('preview (bff)', bffDir, bffPort!, {
        ...bffEnv,
        CELONIS_BFF_CLIENT_SECRET: 'portal-secret',
        CELONIS_BFF_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
        CELONIS_BFF_REDIRECT_URI: `${bffUrl}/auth/callback`,
        CELONIS_RELAY_ALLOWED_ORIGINS: bffOrigins.join(' '),
        VITE_CELONIS_SCOPES: 'studio team.user-group-info:read intelligence.knowledge-models:read audit.log:read integration.data-pools',
      }),
    ];
    const urls = [dashboardUrl, relayUrl, configErrorUrl, directCelonisUrl, bffUrl];
    await Promise.all(previews.map((preview, i) => waitUntilServing(preview, urls[i]!)));

    project.provide('emulatorUrl', teamUrl);
    project.provide('dashboardUrl', dashboardUrl);
    project.provide('celonisEmulatorUrl', celonisEmulator.url);
    project.provide('relayUrl', relayUrl);
    project.provide('directCelonisUrl', directCelonisUrl);
    project.provide('bffUrl', bffUrl);
    project.provide('configErrorUrl', configErrorUrl);
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}

/** Both spellings of a loopback origin a developer might open; 127.0.0.1 first, it is what the tests use. */
function loopbackOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/** Ports the system reports free on 127.0.0.1 right now (listen on 0, read, close). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  // All held open at once, so the ports differ; closed together just before use.
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return ports;
}

/** The environment of a child: ours without any dashboard setting a developer may have exported, plus `extra`. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('VITE_') && !key.startsWith('CELONIS_')) env[key] = value;
  }
  return { ...env, ...extra, NO_COLOR: '1', FORCE_COLOR: '0' };
}

/** `pnpm --filter @celonis-auth/dashboard <args>` in its own process group, so stopping it stops its children too. */
function spawnDashboardScript(name: string, args: string[], env: Record<string, string>): Child {
  const child = spawn('pnpm', ['--filter', '@celonis-auth/dashboard', ...args], {
    cwd: REPO_ROOT,
    env: childEnv(env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      keep(Buffer.from(`\n${error.message}\n`));
      resolve(null);
    });
    child.once('exit', (code) => resolve(code));
  });
  const entry: Child = { name, process: child, output: () => output, exited };
  children.add(entry);
  void exited.then(() => children.delete(entry));
  return entry;
}

async function run(name: string, args: string[], env: Record<string, string>): Promise<void> {
  const child = spawnDashboardScript(name, args, env);
  const code = await Promise.race([child.exited, delay(BUILD_TIMEOUT_MS).then(() => 'timeout' as const)]);
  if (code === 0) return;
  await stop(child);
  throw new Error(`${name} ${code === 'timeout' ? `did not finish within ${BUILD_TIMEOUT_MS / 1000} s` : `failed (exit ${code})`}:\n${child.output()}`);
}

function startPreview(name: string, outDir: string, port: number, env: Record<string, string>): Child {
  return spawnDashboardScript(name, ['preview', '--outDir', outDir, '--port', String(port)], env);
}

/** Polls `url` until it answers 200, the child exits, or the time is up. */
async function waitUntilServing(child: Child, url: string): Promise<void> {
  const deadline = Date.now() + PREVIEW_TIMEOUT_MS;
  let exited = false;
  void child.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(200);
  }
  throw new Error(`${child.name} ${exited ? 'exited' : `did not answer at ${url} within ${PREVIEW_TIMEOUT_MS / 1000} s`}:\n${child.output()}`);
}

/** SIGTERM to the child's process group, then SIGKILL if it is still there after a while. */
async function stop(child: Child): Promise<void> {
  if (child.process.exitCode === null && child.process.signalCode === null) signalGroup(child, 'SIGTERM');
  const exited = await Promise.race([child.exited.then(() => true), delay(STOP_TIMEOUT_MS).then(() => false)]);
  // The group may hold grandchildren even after pnpm itself exited.
  signalGroup(child, 'SIGKILL');
  if (!exited) await Promise.race([child.exited, delay(STOP_TIMEOUT_MS)]);
  children.delete(child);
}

function signalGroup(child: Child, signal: NodeJS.Signals): void {
  if (child.process.pid === undefined) return;
  try {
    process.kill(-child.process.pid, signal);
  } catch {
    // Already gone.
  }
}

function killAllNow(): void {
  for (const child of children) signalGroup(child, 'SIGKILL');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
