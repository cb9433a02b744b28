/**
 * The longest wait a `Retry-After` can impose, 5 minutes (the scheduler's longest backoff too): a
 * server asking for a year would otherwise leave a tab unable to refresh until it reloads.
 */
export const MAX_RETRY_AFTER_SECONDS = 300;

/**
 * Seconds to wait from a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP date,
 * at most {@link MAX_RETRY_AFTER_SECONDS}; `undefined` when absent or unreadable (a bare number
 * like "2026" is no date).
 *
 * @example
 * ```ts
 * parseRetryAfter('120', Date.now()) // 120
 * ```
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text), MAX_RETRY_AFTER_SECONDS);
  const date = Date.parse(text);
  if (!/[a-z]/i.test(text) || Number.isNaN(date)) return undefined;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(0, Math.ceil((date - nowMs) / 1000)));
}
