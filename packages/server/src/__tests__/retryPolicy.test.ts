import { describe, expect, it } from 'vitest';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, resolveRetryPolicy } from '../retryPolicy.js';
import { expectCodedTypeError } from './testSupport.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    [null, undefined],
    ['0', 0],
    ['120', 120],
    [' 7 ', 7],
    ['Wed, 01 Jan 2025 00:00:30 GMT', 30],
    ['Tue, 31 Dec 2024 23:59:00 GMT', 0],
    ['-5', undefined],
    ['1.5', undefined],
    ['soon', undefined],
    ['', undefined],
    // A server asking for a year (or an absurd number) is held to the 5-minute ceiling.
    ['31536000', 300],
    ['9'.repeat(400), 300],
    ['Thu, 01 Jan 2026 00:00:00 GMT', 300],
  ])('reads %j as %j seconds', (header, seconds) => {
    expect(parseRetryAfter(header, NOW)).toBe(seconds);
  });
});

describe('retry policy', () => {
  it.each([
    [429, true],
    [500, true],
    [503, true],
    [599, true],
    [400, false],
    [401, false],
    [404, false],
    [200, false],
  ])('status %i retryable: %s', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
  });

  it('uses full jitter under an exponential ceiling capped at maxDelayMs', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((retry) => backoffDelayMs(policy, retry, () => 0.999999))).toEqual([99, 199, 399, 799, 999]);
    expect(backoffDelayMs(policy, 3, () => 0)).toBe(0);
  });

  it('fills in the defaults', () => {
    expect(resolveRetryPolicy(undefined, 'x')).toEqual({ maxAttempts: 3, maxDelayMs: 10_000, baseDelayMs: 250 });
    expect(resolveRetryPolicy({ maxAttempts: 5 }, 'x')).toEqual({ maxAttempts: 5, maxDelayMs: 10_000, baseDelayMs: 250 });
  });

  it.each([
    [{ maxAttempts: 0 }, /maxAttempts/],
    [{ maxAttempts: 11 }, /maxAttempts/],
    [{ maxAttempts: 2.5 }, /maxAttempts/],
    [{ maxDelayMs: -1 }, /maxDelayMs/],
    [{ baseDelayMs: Number.NaN }, /baseDelayMs/],
    ['fast', /retry must be an object/],
  ])('refuses %j', (options, message) => {
    expect(() => resolveRetryPolicy(options as object, 'x')).toThrow(message);
    expectCodedTypeError(() => resolveRetryPolicy(options as object, 'x'), 'invalid_retry');
  });
});
