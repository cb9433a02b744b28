#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EmulatorConfigError } from './emulatorConfig.js';
import { describeEmulator } from './describeEmulator.js';
import { startEmulator } from './startEmulator.js';

const USAGE = `Usage: celonis-emulator [--port 8787] [--host 127.0.0.1] [--config file.json]

A local Celonis-compatible OAuth 2.0 authorization server with sample APIs.
  --port    TCP port (default 8787; 0 picks a free one)
  --host    interface to bind (default 127.0.0.1; any other than loopback warns on stderr)
  --config  JSON file overriding the seeded clients, users and settings`;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '8787' },
        host: { type: 'string', default: '127.0.0.1' },
        config: { type: 'string' },
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
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65_535) {
    console.error(`--port must be a whole number from 0 to 65535, got "${values.port}"`);
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
  let emulator;
  try {
    emulator = await startEmulator({ port, host: values.host, config: config as object });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof EmulatorConfigError) console.error(`Invalid --config: ${error.message}`);
    else if (code === 'EADDRINUSE') console.error(`Port ${port} on ${values.host} is in use: pass --port with another number.`);
    else console.error(`Cannot start the emulator: ${(error as Error).message}`);
    return 1;
  }
  console.log(describeEmulator(emulator.url, emulator.config));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.close();
  console.log('celonis-emulator stopped');
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
