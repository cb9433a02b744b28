/**
 * The environment for a command that should run as a user's would: without what the outer
 * `pnpm test` and vitest set (npm_package_*, npm_lifecycle_*, PNPM_*, VITEST*, NODE_ENV=test,
 * NODE_OPTIONS), which would change how npm, pnpm, Vite and Node behave. User npm config stays.
 */
export function childEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!DROPPED.some((pattern) => pattern.test(key))) env[key] = value;
  return { ...env, ...extra };
}

const DROPPED = [
  /^npm_package_/,
  /^npm_lifecycle_/,
  /^npm_(command|execpath|node_execpath)$/,
  /^npm_config_(user_agent|frozen_lockfile|verify_deps_before_run|node_gyp)$/,
  /^PNPM_/,
  /^VITEST/,
  /^VITE_/,
  /^NODE_ENV$/,
  /^NODE_OPTIONS$/,
  /^TEST$/,
  /^INIT_CWD$/,
];
