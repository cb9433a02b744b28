import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv } from './childEnv.js';
import { run, type RunResult } from './run.js';

/** One npm cache for every scratch app and run, so a second run installs from it. */
export const NPM_CACHE = join(tmpdir(), 'celonis-auth-npm-cache');

// As any user's npm would run, minus the noise: the configured registry, this cache, no audit or fund calls.
const NPM_FLAGS = ['--cache', NPM_CACHE, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
const env = () => childEnv({ npm_config_update_notifier: 'false' });

/**
 * Asks the registry npm is configured with whether it answers (`npm ping`), and throws with npm's
 * reason when it does not: the consumer smoke test must fail then, never pass on a warm cache.
 * `registry` overrides the configured one (its test points it at a closed port).
 */
export async function assertRegistryReachable(cwd: string, registry?: string): Promise<void> {
  // Few, short retries: an unreachable registry should fail in seconds, with npm's own reason.
  const args = ['ping', '--cache', NPM_CACHE, '--fetch-retries=2', '--fetch-retry-mintimeout=1000', '--fetch-retry-maxtimeout=5000', '--loglevel=notice'];
  if (registry !== undefined) args.push('--registry', registry);
  const result = await run('npm', args, { cwd, env: env(), timeoutMs: 60_000 });
  if (result.code !== 0)
    throw new Error(
      `The npm registry cannot be reached, so the consumer smoke test cannot install anything (npm ping exited ${result.code}):\n${result.stderr}${result.stdout}`,
    );
}

/** `npm install` in `cwd` with the shared cache; resolves with the result, whatever the exit code. */
export function npmInstall(cwd: string): Promise<RunResult> {
  return run('npm', ['install', ...NPM_FLAGS], { cwd, env: env(), timeoutMs: 240_000 });
}

/** Runs `npx` in `cwd` with the shared cache and no prompt; `--no-install` so only what the app installed runs. */
export function npx(cwd: string, args: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
  return run('npx', ['--no-install', ...args], { cwd, env: { ...env(), npm_config_cache: NPM_CACHE }, timeoutMs });
}
