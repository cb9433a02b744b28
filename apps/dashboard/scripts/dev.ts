// `pnpm dev`: the emulator on 127.0.0.1:8787 (unless VITE_CELONIS_TEAM_URL points at a real team)
// and the dashboard's Vite dev server on 127.0.0.1:5173, stopped together with Ctrl-C.
// `--mode direct` (the default) is the public `dashboard` client against the permissive emulator;
// `--mode relay` is the confidential `portal` client through a token relay and an API proxy on the
// dashboard's origin, against the emulator's `celonis` profile (a real team's rules: secrets, no CORS);
// `--mode bff` is the backend-for-frontend on the dashboard's origin (tokens never reach the browser),
// against the same profile, its sessions in memory or, with `--redis URL`, in Redis.
// `--token-lifetime 60` shortens the emulator's access tokens (to watch a refresh); `--config` as for `pnpm emulator`.
// CELONIS_DEV_EMULATOR_PORT and CELONIS_DEV_DASHBOARD_PORT move the two servers, for the tests (0 picks a free port);
// signing in needs the defaults, which the seeded redirect URIs, CORS origins and allowed origins name.
// Ctrl-C or SIGTERM closes both servers and exits 0, also while they are still starting.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, createServer, type Logger, type ViteDevServer } from 'vite';
import {
  DEFAULT_EMULATOR_CONFIG,
  EmulatorConfigError,
  describeEmulatorSettings,
  startEmulator,
  type EmulatorClient,
  type RunningEmulator,
} from '@celonis-auth/emulator';
import { PANELS } from '../src/panels.js';
import { fail, readDevOptions } from './devOptions.js';
import { isRedisUnreachableError, redactRedisUrl } from './redisSessionStore.js';

// The dashboard's scopes (PORTAL_SCOPES of src/auth.ts, which reads Vite's env), which the BFF asks for at login.
const PORTAL_SCOPES = [...new Set(['studio', 'team.user-group-info:read', ...PANELS.map((panel) => panel.scope)])];

/** A seeded client that redirects to the dashboard's /callback may also redirect to the BFF's /auth/callback. */
function withBffCallback(client: EmulatorClient): EmulatorClient {
  const uris = client.redirectUris ?? [];
  return uris.length === 0 ? client : { ...client, redirectUris: [...uris, ...uris.map((uri) => uri.replace(/\/callback$/, '/auth/callback'))] };
}

const { values, relay, bff, profile, lifetime, emulatorPort, dashboardPort } = readDevOptions();
const realTeam = process.env.VITE_CELONIS_TEAM_URL;
if (realTeam && (lifetime !== undefined || values.config !== undefined || values.profile !== undefined)) {
  fail(`--token-lifetime, --profile and --config set up the emulator, which pnpm dev does not start while VITE_CELONIS_TEAM_URL is set (${realTeam}).`, 2);
}
// An empty variable is not a missing one: the dashboard would not fall back to its default.
for (const [name, value] of Object.entries(process.env)) {
  if (name.startsWith('VITE_CELONIS_') && name !== 'VITE_CELONIS_TEAM_URL' && value === '') {
    console.warn(`Warning: ${name} is set but empty. Unset it to use the default, or give it a value.`);
  }
}

if (relay) {
  process.env.VITE_CELONIS_CLIENT_ID ??= 'portal';
  process.env.VITE_CELONIS_TOKEN_ENDPOINT ??= '/api/celonis/token';
  process.env.VITE_CELONIS_API_BASE_URL ??= '/celonis';
  process.env.CELONIS_RELAY_CLIENT_SECRET ??= 'portal-secret';
}
if (bff) {
  process.env.VITE_CELONIS_MODE = 'bff';
  process.env.VITE_CELONIS_CLIENT_ID ??= 'portal';
  process.env.CELONIS_BFF_CLIENT_SECRET ??= 'portal-secret';
  // A new key each run: sessions of an earlier run cannot be opened, which is what a restart means here anyway.
  process.env.CELONIS_BFF_ENCRYPTION_KEY ??= randomBytes(32).toString('base64url');
  process.env.VITE_CELONIS_SCOPES ??= PORTAL_SCOPES.join(' ');
  if (values.redis !== undefined) process.env.CELONIS_BFF_REDIS_URL = values.redis;
}

// What the banner and the client-secrets line speak of: the client the dashboard signs in with.
const clientId = process.env.VITE_CELONIS_CLIENT_ID ?? 'dashboard';
const redisUrl = process.env.CELONIS_BFF_REDIS_URL;

let emulator: RunningEmulator | undefined;
let server: ViteDevServer | undefined;
let stopping = false;
// From the start, not once both listen: a Ctrl-C while the emulator, Vite or Redis is still starting is a stop too
// (with no handler, tsx exits 130 and pnpm prints "Command failed"). Registered before Vite's own SIGTERM handler,
// which would exit 143: server.close() removes it before it runs. A repeated signal (pnpm, tsx and the terminal may
// each send one) changes nothing; servers that take longer than STOP_MS to close are left to the exit.
const STOP_MS = 5_000;
const stop = () => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), STOP_MS).unref();
  void Promise.allSettled([server?.close(), emulator?.close()]).then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

if (!realTeam) {
  let config: unknown = {};
  if (values.config !== undefined) {
    try {
      // INIT_CWD is where the user typed the command; pnpm may run this script elsewhere.
      config = JSON.parse(await readFile(resolve(process.env.INIT_CWD ?? process.cwd(), values.config), 'utf8'));
    } catch (error) {
      fail(`Cannot read --config ${values.config}: ${(error as Error).message}`, 2);
    }
  }
  try {
    // The flag wins over the file; a file that is no object is passed on as it is, for startEmulator to refuse.
    if (lifetime !== undefined && typeof config === 'object' && config !== null && !Array.isArray(config)) {
      config = { ...(config as Record<string, unknown>), accessTokenLifetimeSeconds: Number(lifetime) };
    }
    // The BFF's callback is its own route: the portal client may redirect there too (unless a --config says otherwise).
    if (bff && values.config === undefined) config = { ...(config as object), clients: DEFAULT_EMULATOR_CONFIG.clients.map(withBffCallback) };
    emulator = await startEmulator({ port: emulatorPort, profile, config: config as object });
  } catch (error) {
    if (error instanceof EmulatorConfigError) fail(`Invalid --config: ${error.message}`, 1);
    fail(`Cannot start the emulator on 127.0.0.1:${emulatorPort} (${(error as Error).message}). Is another one running?`, 1);
  }
  process.env.VITE_CELONIS_TEAM_URL = emulator.url;
}
console.log(
  emulator
    ? `Celonis team: ${emulator.url}, the emulator started by pnpm dev (set VITE_CELONIS_TEAM_URL to use a real team)\nEmulator settings:\n${describeEmulatorSettings(
        // The settings as they concern the client in use: the portal client of relay and bff mode has its secret, and
        // the public dashboard client, which cannot exchange codes in the celonis profile, is not the one signing in.
        { ...emulator.config, clients: emulator.config.clients.filter((client) => client.clientId === clientId) },
      )}`
    : `Celonis team: ${realTeam}, from VITE_CELONIS_TEAM_URL (no emulator started)`,
);
/** Closes what started, then exits with code 1 after printing `message`. */
async function failAfterClosing(message: string): Promise<never> {
  await Promise.allSettled([server?.close(), emulator?.close()]);
  fail(message, 1);
}

// Vite's logger, but a Redis that cannot be reached is said once, in plain words, below (not as a config that failed to load).
const viteLogger = createLogger();
const customLogger: Logger = {
  ...viteLogger,
  error: (message, options) => (isRedisUnreachableError(options?.error) ? undefined : viteLogger.error(message, options)),
};
const vite = await createServer({
  root: fileURLToPath(new URL('..', import.meta.url)),
  configLoader: 'native',
  customLogger,
  ...(dashboardPort === undefined ? {} : { server: { port: dashboardPort } }),
}).then(
  // Held for stop() as soon as it exists.
  (started) => (server = started),
  async (error: unknown) => {
    if (!isRedisUnreachableError(error)) {
      await emulator?.close();
      throw error;
    }
    const flag = values.redis === undefined ? 'CELONIS_BFF_REDIS_URL' : '--redis';
    const help = error.refused
      ? `Check the user name, password and database in ${flag}.`
      : `Start redis-server, or ${values.redis === undefined ? 'unset CELONIS_BFF_REDIS_URL' : 'leave out --redis'} to keep sessions in memory.`;
    return failAfterClosing(`${error.message} ${help}`);
  },
);
const port = vite.config.server.port;
await vite.listen().catch((error: Error) => {
  const reason = /already in use/.test(error.message) ? 'port in use' : error.message;
  return failAfterClosing(`Cannot start the dashboard on 127.0.0.1:${port} (${reason}). Is another pnpm dev running?`);
});
console.log(
  `\n  Celonis team   ${process.env.VITE_CELONIS_TEAM_URL}${emulator ? ' (emulator: analyst@example.com / analyst, viewer@example.com / viewer)' : ''}`,
);
console.log(
  bff
    ? `  Mode           bff: /auth/* and /celonis/* on this origin keep the tokens; sessions in ${redisUrl ? `Redis at ${redactRedisUrl(redisUrl)}` : 'memory'}`
    : relay
      ? `  Mode           relay: tokens through /api/celonis/token, APIs through ${process.env.VITE_CELONIS_API_BASE_URL}/* (the secret stays in this process)`
      : '  Mode           direct: the browser calls the team itself',
);
if (emulator)
  console.log(
    `  Profile        ${emulator.config.profile}${emulator.config.profile === 'celonis' ? " (a real team's rules: client secrets, no CORS)" : ' (public PKCE client, CORS for the dev origins)'}`,
  );
console.log(`  Client         ${clientId}`);
console.log(`  Dashboard      http://localhost:${(vite.httpServer?.address() as AddressInfo | null)?.port ?? port}/  (press Ctrl-C to stop)\n`);
