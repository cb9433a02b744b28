import { CodedTypeError } from '@celonis-auth/core/protocol';

// Which statuses are retried and how Retry-After is read: the same rules as the browser core.
export { isRetryableStatus, parseRetryAfter } from '@celonis-auth/core/protocol';

/** How token requests are retried on 5xx, 429 and network failures. */
export interface RetryOptions {
  /** Requests in all, the first included. Default 3; 1 turns retries off. */
  maxAttempts?: number;
  /** The longest wait before a retry. A `Retry-After` above it is not waited for. Default 10 000. */
  maxDelayMs?: number;
  /** The backoff before the first retry, doubled for each further one (before jitter). Default 250. */
  baseDelayMs?: number;
}

/** {@link RetryOptions} with every field present. */
export type RetryPolicy = Required<RetryOptions>;

/** The defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({ maxAttempts: 3, maxDelayMs: 10_000, baseDelayMs: 250 });

/**
 * Fills in the defaults of {@link RetryOptions}.
 *
 * @throws {CodedTypeError} `invalid_retry` when a field is out of range (maxAttempts 1 to 10; delays 0 to 300 000 ms).
 */
export function resolveRetryPolicy(options: RetryOptions | undefined, where: string): RetryPolicy {
  if (options !== undefined && (typeof options !== 'object' || options === null))
    throw new CodedTypeError(`${where}: retry must be an object`, 'invalid_retry');
  const policy = { ...DEFAULT_RETRY_POLICY, ...stripUndefined(options ?? {}) };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1 || policy.maxAttempts > 10) {
    throw new CodedTypeError(`${where}: retry.maxAttempts must be a whole number from 1 to 10`, 'invalid_retry');
  }
  for (const name of ['maxDelayMs', 'baseDelayMs'] as const) {
    const value = policy[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 300_000) {
      throw new CodedTypeError(`${where}: retry.${name} must be a number of milliseconds from 0 to 300000`, 'invalid_retry');
    }
  }
  return policy;
}

/**
 * Exponential backoff with full jitter: a random wait up to `baseDelayMs * 2^(retry - 1)`,
 * capped at `maxDelayMs`, so many clients recovering at once do not retry in lockstep.
 *
 * @param retry 1 for the first retry.
 */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(Math.min(Math.max(random(), 0), 1) * ceiling);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
