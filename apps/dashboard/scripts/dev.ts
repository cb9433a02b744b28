// `pnpm dev`: the emulator on 127.0.0.1:8787 (unless VITE_CELONIS_TEAM_URL points at a real team)
// and the dashboard's Vite dev server on 127.0.0.1:5173, stopped together with Ctrl-C.
// `pnpm dev --relay` signs in with the emulator's confidential `portal` client through a token relay;
// `--token-lifetime 60` shortens the emulator's access tokens (to watch a refresh); `--config` as for `pnpm emulator`.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createServer } from 'vite';
import { EmulatorConfigError, describeEmulatorSettings, startEmulator, type RunningEmulator } from '@celonis-auth/emulator';

const USAGE = `Usage: pnpm dev [--relay] [--token-lifetime S] [--config file.json]

The emulator on 127.0.0.1:8787 (unless VITE_CELONIS_TEAM_URL is set) and the dashboard on http://localhost:5173.
  --relay               sign in with the confidential portal client through the token relay
  --token-lifetime S    the emulator's access-token lifetime in seconds (default 899); 60 shows a refresh within a minute
  --config FILE         the emulator's JSON config, as for pnpm emulator --config
  -h, --help            print this help`;
const MAX_LIFETIME = 31_536_000;

/** Exits with `code` after printing `message` to stderr. */
function fail(message: string, code: 1 | 2): never {
  console.error(message);
  process.exit(code);
}

let values;
try {
  ({ values } = parseArgs({
    // `pnpm dev -- --relay` hands the `--` on: a leading one is not the end of the options here.
    args: process.argv[2] === '--' ? process.argv.slice(3) : process.argv.slice(2),
    options: {
      relay: { type: 'boolean' },
      'token-lifetime': { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (error) {
  fail(`${(error as Error).message}\n\n${USAGE}`, 2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const relay = values.relay ?? false;
const lifetime = values['token-lifetime'];
if (lifetime !== undefined && (!/^\d+$/.test(lifetime) || Number(lifetime) > MAX_LIFETIME)) {
  fail(`--token-lifetime must be a whole number of seconds from 0 to ${MAX_LIFETIME}, got "${lifetime}"`, 2);
}
const realTeam = process.env.VITE_CELONIS_TEAM_URL;
if (realTeam && (lifetime !== undefined || values.config !== undefined)) {
  fail(`--token-lifetime and --config set up the emulator, which pnpm dev does not start while VITE_CELONIS_TEAM_URL is set (${realTeam}).`, 2);
}
// An empty variable is not a missing one: the dashboard would not fall back to its default.
for (const [name, value] of Object.entries(process.env)) {
  if (name.startsWith('VITE_CELONIS_') && name !== 'VITE_CELONIS_TEAM_URL' && value === '') {
    console.warn(`Warning: ${name} is set but empty. Unset it to use the default, or give it a value.`);
  }
}

let emulator: RunningEmulator | undefined;
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
    emulator = await startEmulator({ port: 8787, config: config as object });
  } catch (error) {
    if (error instanceof EmulatorConfigError) fail(`Invalid --config: ${error.message}`, 1);
    fail(`Cannot start the emulator on 127.0.0.1:8787 (${(error as Error).message}). Is another one running?`, 1);
  }
  process.env.VITE_CELONIS_TEAM_URL = emulator.url;
}
console.log(
  emulator
    ? `Celonis team: ${emulator.url}, the emulator started by pnpm dev (set VITE_CELONIS_TEAM_URL to use a real team)\nEmulator settings:\n${describeEmulatorSettings(emulator.config)}`
    : `Celonis team: ${realTeam}, from VITE_CELONIS_TEAM_URL (no emulator started)`,
);
if (relay) {
  process.env.VITE_CELONIS_CLIENT_ID ??= 'portal';
  process.env.VITE_CELONIS_TOKEN_ENDPOINT ??= '/api/celonis/token';
  process.env.CELONIS_RELAY_CLIENT_SECRET ??= 'portal-secret';
}

const server = await createServer({ root: fileURLToPath(new URL('..', import.meta.url)), configLoader: 'native' });
await server.listen();
const stop = async () => {
  await server.close();
  await emulator?.close();
  process.exit(0);
};
// Listening before saying "press Ctrl-C", so a Ctrl-C right away stops both servers too.
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
console.log(
  `\n  Celonis team   ${process.env.VITE_CELONIS_TEAM_URL}${emulator ? ' (emulator: analyst@example.com / analyst, viewer@example.com / viewer)' : ''}`,
);
console.log(`  Client         ${process.env.VITE_CELONIS_CLIENT_ID ?? 'dashboard'}${relay ? ' via the token relay at /api/celonis/token' : ''}`);
console.log('  Dashboard      http://localhost:5173/  (press Ctrl-C to stop)\n');
