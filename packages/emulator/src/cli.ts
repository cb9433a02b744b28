#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EmulatorExposureError } from './bindAddress.js';
import { EmulatorConfigError, readEmulatorProfile } from './emulatorConfig.js';
import type { EmulatorProfile } from './emulatorProfile.js';
import { describeEmulator } from './describeEmulator.js';
import { startEmulator } from './startEmulator.js';

const USAGE = `Usage: celonis-emulator [--port 8787] [--host 127.0.0.1] [--config file.json] [options]

A local Celonis-compatible OAuth 2.0 authorization server with sample APIs.
  --port N               TCP port (default 8787; 0 picks a free one)
  --host ADDRESS         interface to bind (default 127.0.0.1; beyond loopback needs --allow-remote)
  --config FILE          JSON file overriding the seeded clients, users and settings
  --profile NAME         permissive (the default: public PKCE clients, CORS for the dev origins) or celonis
                         (what Celonis documents: a client secret on every token request, no CORS); over --config
  --token-lifetime S     access-token lifetime in seconds (default 899), over --config
  --send-issuer          add iss (RFC 9207) to authorization responses (Celonis does not document it)
  --allow-remote         allow a --host beyond loopback; the control surface is then off
  --control-surface      serve /__emulator even with --allow-remote
  --version              print the version
  -h, --help             print this help`;

const MAX_LIFETIME = 31_536_000;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      // `pnpm emulator -- --help` hands the `--` on: a leading one is not the end of the options here.
      args: argv[0] === '--' ? argv.slice(1) : argv,
      options: {
        port: { type: 'string', default: '8787' },
        host: { type: 'string', default: '127.0.0.1' },
        config: { type: 'string' },
        profile: { type: 'string' },
        'token-lifetime': { type: 'string' },
        'send-issuer': { type: 'boolean' },
        'allow-remote': { type: 'boolean' },
        'control-surface': { type: 'boolean' },
        version: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.version) {
    // src/cli.ts and dist/cli.js both sit one level below the package's package.json.
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    console.log(`celonis-emulator ${version}`);
    return 0;
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65_535) {
    console.error(`--port must be a whole number from 0 to 65535, got "${values.port}"`);
    return 2;
  }
  const lifetime = values['token-lifetime'];
  if (lifetime !== undefined && (!/^\d+$/.test(lifetime) || Number(lifetime) > MAX_LIFETIME)) {
    console.error(`--token-lifetime must be a whole number of seconds from 0 to ${MAX_LIFETIME}, got "${lifetime}"`);
    return 2;
  }
  let profile: EmulatorProfile | undefined;
  try {
    profile = values.profile === undefined ? undefined : readEmulatorProfile(values.profile, '--profile');
  } catch (error) {
    if (!(error instanceof EmulatorConfigError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  let config: unknown = {};
  if (values.config) {
    try {
      // pnpm and npm run scripts in the package directory; INIT_CWD is where the user typed the command.
      config = JSON.parse(await readFile(resolve(process.env.INIT_CWD ?? process.cwd(), values.config), 'utf8'));
    } catch (error) {
      console.error(`Cannot read --config ${values.config}: ${(error as Error).message}`);
      return 2;
    }
  }
  // Flags win over the file; a file that is no object is left as it is, for startEmulator to refuse.
  if (typeof config === 'object' && config !== null && !Array.isArray(config)) {
    config = {
      ...config,
      ...(lifetime === undefined ? {} : { accessTokenLifetimeSeconds: Number(lifetime) }),
      ...(values['send-issuer'] ? { sendIssuer: true } : {}),
      ...(values['control-surface'] ? { controlSurface: true } : {}),
    };
  }
  let emulator;
  try {
    emulator = await startEmulator({ port, host: values.host, allowRemote: values['allow-remote'] ?? false, config: config as object, profile });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof EmulatorExposureError) {
      console.error(
        `--host ${values.host}${error.address === values.host ? '' : ` (${error.address})`} is not a loopback address: the seeded client secrets and user passwords would be usable from the network.\n` +
          'Pass --allow-remote to bind it anyway; the control surface is then off unless you add --control-surface.',
      );
      return 2;
    }
    if (error instanceof EmulatorConfigError) console.error(`Invalid --config: ${error.message}`);
    else if (code === 'EADDRINUSE') console.error(`Port ${port} on ${values.host} is in use: pass --port with another number.`);
    else console.error(`Cannot start the emulator: ${(error as Error).message}`);
    return 1;
  }
  // Listening for the signals before saying "Press Ctrl-C": one sent right after the banner must stop the emulator cleanly too.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log(describeEmulator(emulator.url, emulator.config));
  await stopped;
  await emulator.close();
  console.log('celonis-emulator stopped');
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
