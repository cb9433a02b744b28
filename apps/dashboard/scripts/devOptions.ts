// The command line of `pnpm dev`: its flags and the variables that move its ports, checked up front. A bad
// value ends the process with the usage and exit code 2 before anything starts.
import { parseArgs } from 'node:util';
import { EMULATOR_PROFILES, type EmulatorProfile } from '@celonis-auth/emulator';

/** The help `pnpm dev --help` prints. */
export const USAGE = `Usage: pnpm dev [--mode direct|relay|bff] [--redis URL] [--profile permissive|celonis] [--token-lifetime S] [--config file.json]

The emulator on 127.0.0.1:8787 (unless VITE_CELONIS_TEAM_URL is set) and the dashboard on http://localhost:5173.
  --mode direct         the browser calls the team itself: the public dashboard client, the emulator's permissive profile (default)
  --mode relay          as against a real Celonis team: the confidential portal client through a token relay and an API
                        proxy on the dashboard's origin, the emulator's celonis profile (client secrets, no CORS)
  --mode bff            the backend-for-frontend on the dashboard's origin signs in with the portal client and keeps the
                        tokens; the browser holds only an HttpOnly cookie (the emulator's celonis profile)
  --redis URL           bff mode: keep the sessions in Redis at URL (e.g. redis://127.0.0.1:6379) instead of in memory
  --relay               the same as --mode relay
  --profile P           the emulator's profile, permissive or celonis (default: permissive in direct mode, celonis in
                        relay and bff mode); --mode direct --profile celonis shows what a browser meets on a real team
  --token-lifetime S    the emulator's access-token lifetime in seconds (default 899); 60 shows a refresh within a minute
  --config FILE         the emulator's JSON config, as for pnpm emulator --config
  -h, --help            print this help`;
const MAX_LIFETIME = 31_536_000;

const isEmulatorProfile = (value: string): value is EmulatorProfile => (EMULATOR_PROFILES as readonly string[]).includes(value);

/** Exits with `code` after printing `message` to stderr. */
export function fail(message: string, code: 1 | 2): never {
  console.error(message);
  process.exit(code);
}

/** The port in the variable `name`, undefined when it is unset. */
function portSetting(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 65_535) fail(`${name} must be a whole number from 0 to 65535, got "${value}"`, 2);
  return Number(value);
}

/** Where the tokens live in the dashboard: the browser (direct, relay) or the backend-for-frontend. */
export type DevMode = 'direct' | 'relay' | 'bff';

/** Reads and checks `pnpm dev`'s arguments and port variables; prints the help and exits on `--help`. */
export function readDevOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      // `pnpm dev -- --relay` hands the `--` on: a leading one is not the end of the options here.
      args: process.argv[2] === '--' ? process.argv.slice(3) : process.argv.slice(2),
      options: {
        mode: { type: 'string' },
        profile: { type: 'string' },
        relay: { type: 'boolean' },
        redis: { type: 'string' },
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
  const MODES = ['direct', 'relay', 'bff'] as const;
  const isMode = (value: string): value is DevMode => (MODES as readonly string[]).includes(value);
  const modeFlag = values.mode ?? (values.relay ? 'relay' : 'direct');
  if (!isMode(modeFlag)) fail(`--mode must be one of ${MODES.join(', ')}, got "${modeFlag}"`, 2);
  if (values.relay && values.mode !== undefined && values.mode !== 'relay') fail(`--relay and --mode ${values.mode} contradict each other: give one`, 2);
  const mode: DevMode = modeFlag;
  const relay = mode === 'relay';
  const bff = mode === 'bff';
  if (values.redis !== undefined && !bff) fail('--redis keeps the sessions of the backend-for-frontend: use it with --mode bff', 2);
  if (values.redis !== undefined && !/^rediss?:\/\/./.test(values.redis))
    fail(`--redis must be a redis:// URL such as redis://127.0.0.1:6379, got "${values.redis}"`, 2);
  // Relay mode is proven against what Celonis documents; direct mode needs the permissive emulator's CORS and public client.
  const profile = values.profile ?? (relay || bff ? 'celonis' : 'permissive');
  if (!isEmulatorProfile(profile)) fail(`--profile must be one of ${EMULATOR_PROFILES.join(', ')}, got "${profile}"`, 2);
  const lifetime = values['token-lifetime'];
  if (lifetime !== undefined && (!/^\d+$/.test(lifetime) || Number(lifetime) > MAX_LIFETIME)) {
    fail(`--token-lifetime must be a whole number of seconds from 0 to ${MAX_LIFETIME}, got "${lifetime}"`, 2);
  }
  const emulatorPort = portSetting('CELONIS_DEV_EMULATOR_PORT') ?? 8787;
  // Undefined: the port of vite.config.ts (5173).
  const dashboardPort = portSetting('CELONIS_DEV_DASHBOARD_PORT');
  return { values, mode, relay, bff, profile, lifetime, emulatorPort, dashboardPort };
}
