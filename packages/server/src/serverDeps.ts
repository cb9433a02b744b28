import { CodedTypeError } from '@celonis-auth/core/protocol';

/** The `fetch` signature the package calls; `globalThis.fetch` fits, and so does a test double. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Where warnings go. Lines never contain secrets or tokens. */
export interface ServerLogger {
  warn(message: string): void;
}

/**
 * Platform access, injected so tests need no global patches.
 *
 * @example
 * ```ts
 * const delays: number[] = [];
 * createClientCredentialsTokenSource({ ...options, deps: { sleep: async (ms) => void delays.push(ms) } });
 * ```
 */
export interface ServerDeps {
  /** Default `globalThis.fetch`. */
  fetch?: FetchFunction;
  /** Milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Waits between retries. Default a `setTimeout` promise. */
  sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1) for retry jitter. Default `Math.random`. */
  random?: () => number;
  /** Default `console`. */
  logger?: ServerLogger;
}

/** {@link ServerDeps} with every field present. */
export type ResolvedServerDeps = Required<ServerDeps>;

/**
 * Fills in the defaults of {@link ServerDeps}.
 *
 * @throws {CodedTypeError} `invalid_deps` when a given field is not a function (or a logger without `warn`).
 */
export function resolveServerDeps(deps: ServerDeps | undefined, where: string): ResolvedServerDeps {
  if (deps !== undefined && (typeof deps !== 'object' || deps === null)) throw new CodedTypeError(`${where}: deps must be an object`, 'invalid_deps');
  const given = deps ?? {};
  for (const name of ['fetch', 'now', 'sleep', 'random'] as const) {
    if (given[name] !== undefined && typeof given[name] !== 'function') throw new CodedTypeError(`${where}: deps.${name} must be a function`, 'invalid_deps');
  }
  if (given.logger !== undefined && typeof given.logger?.warn !== 'function')
    throw new CodedTypeError(`${where}: deps.logger must have a warn(message) method`, 'invalid_deps');
  return {
    // Looked up per call so a fetch installed later (or by an APM agent) is still used.
    fetch: given.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    now: given.now ?? (() => Date.now()),
    sleep: given.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: given.random ?? Math.random,
    logger: given.logger ?? console,
  };
}
