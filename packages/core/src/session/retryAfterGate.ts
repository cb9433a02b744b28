import { CelonisAuthError, isCelonisAuthError } from '../protocol/celonisAuthError.js';

/** Holds refreshes back while the token endpoint asked to wait. */
export interface RetryAfterGate {
  /** The typed error for a caller now (with the seconds still to wait), or `undefined` when a request may go. */
  check(this: void): CelonisAuthError | undefined;
  /** Learns from a refresh: a `server_unavailable` with `retryAfterSeconds` closes the gate that long; a success opens it. */
  observe(this: void, outcome: { error: unknown } | 'succeeded'): void;
}

/**
 * `Retry-After` binds every caller, not only the scheduler: after a 429 or 503 that asked for five
 * seconds, five quick `getAccessToken()` calls get the typed error instead of sending five requests,
 * and the first call after the wait sends one.
 */
export function createRetryAfterGate(now: () => number): RetryAfterGate {
  let until = 0;
  let reason: CelonisAuthError | undefined;
  return {
    check() {
      const left = until - now();
      if (left <= 0 || !reason) return undefined;
      return new CelonisAuthError('server_unavailable', `${reason.message}; it asked to wait, ${Math.ceil(left / 1000)} s left`, {
        ...(reason.status === undefined ? {} : { status: reason.status }),
        ...(reason.oauthError === undefined ? {} : { oauthError: reason.oauthError }),
        retryAfterSeconds: Math.ceil(left / 1000),
        cause: reason,
      });
    },
    observe(outcome) {
      if (outcome === 'succeeded') until = 0;
      else if (isCelonisAuthError(outcome.error, 'server_unavailable') && outcome.error.retryAfterSeconds) {
        reason = outcome.error;
        until = now() + outcome.error.retryAfterSeconds * 1000;
      }
    },
  };
}
