import type { CelonisAuthDeps } from '../platform/celonisAuthDeps.js';
import { isCelonisAuthError } from '../protocol/celonisAuthError.js';
import type { SessionManager } from './sessionManager.js';
import { isUnexpired } from './tokenFreshness.js';
import type { StoredSession } from './sessionRecordStore.js';

// setTimeout overflows past 2^31-1 ms (about 24.8 days) and would fire at once.
const MAX_TIMER_MS = 2 ** 31 - 1;
const BACKOFF_BASE_MS = 2_000;
const BACKOFF_CAP_MS = 5 * 60_000;
// A token is never renewed by the schedule sooner than this after it was issued.
const MIN_TOKEN_AGE_MS = 5_000;

/**
 * Refreshes `leewaySeconds` before expiry, marks the session expired when its time is up, and
 * after a failure tries again with jittered exponential backoff or the server's `Retry-After`.
 * When the page may have slept (wake events), it looks at the wall clock again.
 */
export class RefreshScheduler {
  readonly #manager: SessionManager;
  readonly #deps: CelonisAuthDeps;
  readonly #leewayMs: number;
  #refreshTimer: unknown;
  #expiryTimer: unknown;
  #scheduledFor: string | undefined;
  #failures = 0;
  #retryNotBefore = 0;
  #running = false;
  #stopListening: (() => void)[] = [];

  constructor(manager: SessionManager, deps: CelonisAuthDeps, leewaySeconds: number) {
    this.#manager = manager;
    this.#deps = deps;
    this.#leewayMs = leewaySeconds * 1000;
  }

  /** Starts timers and wake listeners; returns the way to stop them (a refresh under way finishes). */
  start(): () => void {
    this.#running = true;
    // A new access token (this tab, another tab, or a login) means a new schedule and a fresh backoff.
    this.#stopListening.push(
      this.#manager.store.subscribe(() => {
        if (this.#manager.session?.accessToken === this.#scheduledFor) return;
        this.#failures = 0;
        this.#retryNotBefore = 0;
        this.#schedule();
      }),
    );
    if (this.#deps.onWake) this.#stopListening.push(this.#deps.onWake(() => this.#onWake()));
    this.#schedule();
    return () => this.#stop();
  }

  #stop(): void {
    this.#running = false;
    this.#clearTimers();
    this.#stopListening.forEach((stop) => stop());
    this.#stopListening = [];
    this.#scheduledFor = undefined;
  }

  #schedule(delayMs?: number): void {
    this.#clearTimers();
    const session = this.#manager.session;
    this.#scheduledFor = session?.accessToken;
    if (!session) return;
    const now = this.#deps.now();
    if (session.refreshToken) this.#refreshTimer = this.#timer(delayMs ?? this.#refreshAt(session) - now, () => void this.#refresh());
    this.#expiryTimer = this.#timer(session.expiresAt - now, () => this.#markExpiredIfDue());
  }

  /**
   * When to renew: `leeway` before expiry, but never in the first half of the token's life nor in
   * its first seconds, so a short-lived token or a large leeway cannot make refreshes back to back.
   */
  #refreshAt(session: StoredSession): number {
    const byLeeway = session.expiresAt - this.#leewayMs;
    if (session.issuedAt === undefined) return byLeeway;
    return Math.max(byLeeway, session.issuedAt + (session.expiresAt - session.issuedAt) / 2, session.issuedAt + MIN_TOKEN_AGE_MS);
  }

  async #refresh(): Promise<void> {
    const token = this.#manager.session?.accessToken;
    try {
      await this.#manager.refresh();
      this.#failures = 0;
      this.#retryNotBefore = 0;
    } catch (error) {
      // Stopped while the request was under way, signed out (invalid_grant, logout), or overtaken by
      // a newer session (which has its own schedule already): nothing to retry.
      if (!this.#running || !this.#manager.session || this.#manager.session.accessToken !== token) return;
      if (isCelonisAuthError(error, 'session_expired', 'login_required')) return;
      this.#failures += 1;
      const retryAfterMs = isCelonisAuthError(error) && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 0;
      const backoff = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (this.#failures - 1));
      // Equal jitter: half fixed, half random, so tabs and clients do not retry in lockstep; never sooner than the server asked.
      const delay = Math.max(retryAfterMs, backoff / 2 + (this.#deps.random() * backoff) / 2);
      // Coming back online may retry at once; a busy server is left alone until the delay is over.
      this.#retryNotBefore = isCelonisAuthError(error, 'network_error', 'token_endpoint_unreachable') ? 0 : this.#deps.now() + delay;
      this.#schedule(delay);
    }
  }

  #onWake(): void {
    // Back from the authorization server without signing in (Back button, bfcache): not redirecting any more.
    if (this.#manager.store.getState().status === 'redirecting') this.#manager.restore(null);
    this.#manager.syncFromStorage();
    this.#markExpiredIfDue();
    const session = this.#manager.session;
    const now = this.#deps.now();
    if (session?.refreshToken && this.#refreshAt(session) <= now && now >= this.#retryNotBefore) void this.#refresh();
  }

  // The time-driven `expired` transition, written once the access token's time is up.
  #markExpiredIfDue(): void {
    const session = this.#manager.session;
    const { status, error } = this.#manager.store.getState();
    if (session && !isUnexpired(session, this.#deps.now()) && (status === 'authenticated' || status === 'refreshing')) this.#manager.restore(error);
  }

  #timer(ms: number, callback: () => void): unknown {
    // A wait past the cap is split: the capped timer fires early, so it only plans again.
    if (ms > MAX_TIMER_MS) return this.#deps.timers.setTimeout(() => this.#schedule(), MAX_TIMER_MS);
    return this.#deps.timers.setTimeout(callback, Math.max(0, ms));
  }

  #clearTimers(): void {
    if (this.#refreshTimer !== undefined) this.#deps.timers.clearTimeout(this.#refreshTimer);
    if (this.#expiryTimer !== undefined) this.#deps.timers.clearTimeout(this.#expiryTimer);
    this.#refreshTimer = this.#expiryTimer = undefined;
  }
}
