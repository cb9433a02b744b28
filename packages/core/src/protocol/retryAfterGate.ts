import { CelonisAuthError, isCelonisAuthError } from './celonisAuthError.js';

/** Holds refreshes back while the token endpoint asked to wait. */
export interface RetryAfterGate {
  /** The typed error for a caller now (with the seconds still to wait), or `undefined` when a request may go. */
  check(this: void): CelonisAuthError | undefined;
  /** Learns from a refresh as it settles: a `server_unavailable` with `retryAfterSeconds` closes the gate that long; a success opens it. */
  watch<T>(this: void, refresh: Promise<T>): Promise<T>;
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
    watch(refresh) {
      return refresh.then(
        (result) => {
          until = 0;
          return result;
        },
        (error: unknown) => {
          if (isCelonisAuthError(error, 'server_unavailable') && error.retryAfterSeconds) {
            reason = error;
            until = now() + error.retryAfterSeconds * 1000;
          }
          throw error;
        },
      );
    },
  };
}
