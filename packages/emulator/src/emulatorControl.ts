import { checkAuthorizationRequest, decideAuthorization } from './authorizationRequest.js';
import type { EmulatorConfig } from './emulatorConfig.js';
import type { EmulatorContext } from './emulatorContext.js';
import type { FaultInjection } from './faultInjector.js';
import type { LoggedEndpoint, RequestLogEntry } from './requestLog.js';

/** Thrown by {@link EmulatorControl.approve} when the authorization request cannot be decided. */
export class EmulatorApproveError extends Error {
  override readonly name = 'EmulatorApproveError';
}

/** Options of a headless decision on an authorization request. */
export interface ApproveOptions {
  /** The user who decides. Default `analyst@example.com`. */
  username?: string;
  /** Default `approve`. */
  decision?: 'approve' | 'deny';
}

/** What tests can see and steer, programmatically or over HTTP under `/__emulator`. */
export interface EmulatorControl {
  /** The configuration in force, seeded clients and users included. */
  readonly config: EmulatorConfig;
  /** Requests as they arrived (control requests excluded), optionally for one endpoint. */
  requests(endpoint?: LoggedEndpoint): RequestLogEntry[];
  /** Empties the request log. */
  clearRequests(): void;
  /**
   * Queues a fault for the next `count` requests to an endpoint.
   *
   * @throws {TypeError} for a malformed injection, or when 1000 injections are queued already.
   */
  injectFault(injection: FaultInjection): void;
  /** Drops every queued fault. */
  clearFaults(): void;
  /**
   * Moves the emulator's clock forward, so codes and tokens expire without waiting.
   *
   * @throws {RangeError} for a negative or non-finite number, or one that would pass the year 9999.
   */
  advanceClock(seconds: number): void;
  /** The emulator's time, ms since the epoch. */
  now(): number;
  /** Forgets codes, tokens, the log, faults and the clock offset; keeps configuration and keys. */
  reset(): void;
  /**
   * Decides an authorization request as the login form would, without a browser: returns the
   * redirect location (with `code` and `state`, or an `error`).
   *
   * @throws {EmulatorApproveError} when the request would show an error page, the user is unknown, or
   *   `decision` is neither `approve` nor `deny`.
   */
  approve(authorizeUrl: string | URL, options?: ApproveOptions): string;
}

/** Creates the control surface over an emulator's shared context. */
export function createEmulatorControl(ctx: EmulatorContext): EmulatorControl {
  return {
    config: ctx.config,
    requests: (endpoint) => ctx.log.entries(endpoint),
    clearRequests: () => ctx.log.clear(),
    injectFault: (injection) => ctx.faults.inject(injection),
    clearFaults: () => ctx.faults.clear(),
    advanceClock: (seconds) => ctx.clock.advance(seconds),
    now: () => ctx.clock.now(),
    reset() {
      ctx.grants.clear();
      ctx.log.clear();
      ctx.faults.clear();
      ctx.clock.reset();
    },
    approve(authorizeUrl, options = {}) {
      let url: URL;
      try {
        url = new URL(authorizeUrl);
      } catch {
        throw new EmulatorApproveError(`not an absolute URL: ${String(authorizeUrl)}`);
      }
      // Checked first: from untrusted JSON, a typo such as "Deny" must not approve.
      if (options.decision !== undefined && options.decision !== 'approve' && options.decision !== 'deny') {
        throw new EmulatorApproveError(`decision must be "approve" or "deny", got ${JSON.stringify(options.decision)}`);
      }
      const check = checkAuthorizationRequest(ctx, url.searchParams);
      if (check.kind === 'error-page') throw new EmulatorApproveError(check.description);
      if (check.kind === 'redirect') return check.location;
      if (options.decision === 'deny') return decideAuthorization(ctx, check.request, { approve: false });
      const username = options.username ?? 'analyst@example.com';
      const user = ctx.config.users.find((u) => u.username === username);
      if (!user) throw new EmulatorApproveError(`unknown user "${username}"`);
      return decideAuthorization(ctx, check.request, { approve: true, user });
    },
  };
}
