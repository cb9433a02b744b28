import type { StoreApi } from 'zustand/vanilla';
import type { ResolvedConfig } from './authConfig.js';
import type { BroadcastLike, CelonisAuthDeps } from './authDeps.js';
import { createAuthStore, signedOutState, type AuthState } from './authState.js';
import { CelonisAuthError, isCelonisAuthError } from './celonisAuthError.js';
import { parseSession, SessionRecordStore, type StoredSession } from './sessionRecordStore.js';
import { SpentRefreshTokens } from './spentRefreshTokens.js';
import { requestTokens } from './tokenEndpoint.js';
import type { TokenSet } from './tokenResponse.js';

// How long to wait for another tab's rotated session to show up here: 40 × 50 ms.
const ROTATION_WAIT_ATTEMPTS = 40;
const ROTATION_WAIT_MS = 50;

/** What one tab tells the others. */
type TabMessage = { type: 'session'; sessionId: string; session: StoredSession } | { type: 'signedOut'; sessionId: string };

/**
 * Owns the session: the store the app reads, the stored record, refresh (single-flight in the tab,
 * under a Web Lock across tabs) and the messages that keep tabs in step.
 */
export class SessionManager {
  readonly store: StoreApi<AuthState>;
  readonly #config: ResolvedConfig;
  readonly #deps: CelonisAuthDeps;
  readonly #records: SessionRecordStore;
  // Tabs share the record only in local or custom storage; session storage is per tab.
  readonly #shared: boolean;
  readonly #lockName: string;
  readonly #spent: SpentRefreshTokens;
  #session: StoredSession | undefined;
  #inflight: Promise<StoredSession> | undefined;
  #abort: AbortController | undefined;
  // Bumped by sign-out and adoption, so a refresh that was overtaken writes nothing.
  #generation = 0;
  #channel: BroadcastLike | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(config: ResolvedConfig, deps: CelonisAuthDeps, keyPrefix: string) {
    this.#config = config;
    this.#deps = deps;
    this.#records = new SessionRecordStore(config.storage, keyPrefix, deps.warn);
    this.#shared = config.storage !== 'session' && config.storage !== 'memory';
    this.#lockName = `${keyPrefix}:refresh`;
    this.#spent = new SpentRefreshTokens(deps.locks, this.#lockName);
    const stored = this.#records.read();
    this.#session = stored === 'unreadable' ? undefined : stored;
    this.store = createAuthStore(this.#stateFor(this.#session, null));
  }

  /** The current session, if any. */
  get session(): StoredSession | undefined {
    return this.#session;
  }

  /** Whether the access token is valid for at least `seconds` more. */
  isFresh(seconds: number, session = this.#session): boolean {
    return session !== undefined && session.expiresAt - this.#deps.now() > seconds * 1000;
  }

  /** Stores a new session from a code exchange and tells the other tabs. */
  establish(tokens: TokenSet, callback: { state: string; returnTo: string }): StoredSession {
    this.#generation += 1;
    const session: StoredSession = {
      sessionId: randomId(),
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken ?? null,
      expiresAt: tokens.expiresAt,
      scopes: tokens.scopes,
      callbackState: callback.state,
      returnTo: callback.returnTo,
    };
    this.#commit(session, null);
    return session;
  }

  /** Sets a status that has no session of its own (`redirecting`, `handlingCallback`). */
  setTransient(status: 'redirecting' | 'handlingCallback'): void {
    this.store.setState({ ...signedOutState(), status } as AuthState, true);
  }

  /** Puts the store back to what the session says (after a failed login or callback). */
  restore(error: CelonisAuthError | null): void {
    this.store.setState(this.#stateFor(this.#session, error), true);
  }

  /** Writes the time-driven `expired` transition once the access token's time is up. */
  markExpiredIfDue(): void {
    const state = this.store.getState();
    if (this.#session && !this.isFresh(0) && (state.status === 'authenticated' || state.status === 'refreshing')) {
      this.store.setState(this.#stateFor(this.#session, state.error), true);
    }
  }

  /**
   * Refreshes once for all concurrent callers. Across tabs a Web Lock admits one refresh at a
   * time and the stored record is read again inside it, so a rotated refresh token is used once.
   */
  refresh(): Promise<StoredSession> {
    this.#inflight ??= this.#refreshUnderLock().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /** Ends the session in this tab and, by default, in every other: aborts a refresh, clears storage. */
  signOut(error: CelonisAuthError | null, options: { broadcast?: boolean } = {}): void {
    const sessionId = this.#session?.sessionId;
    this.#generation += 1;
    this.#abort?.abort();
    this.#spent.releaseAll();
    this.#session = undefined;
    this.#records.clear();
    this.store.setState(signedOutState(error), true);
    if (sessionId && options.broadcast !== false) this.#post({ type: 'signedOut', sessionId });
  }

  /** Starts listening to other tabs. */
  connect(): void {
    if (this.#channel || !this.#deps.broadcast) return;
    this.#channel = this.#deps.broadcast(`${this.#lockName}:channel`);
    this.#unsubscribe = this.#channel.subscribe((message) => this.#receive(message));
  }

  /** Stops listening to other tabs. */
  disconnect(): void {
    this.#unsubscribe?.();
    this.#channel?.close();
    this.#channel = undefined;
    this.#unsubscribe = undefined;
  }

  /** Re-reads shared storage, e.g. after the page slept; another tab may have refreshed or signed out. */
  syncFromStorage(): void {
    if (!this.#shared) return;
    const stored = this.#records.read();
    // A storage hiccup is not a sign-out in another tab: keep what this tab has.
    if (stored === 'unreadable' || stored?.accessToken === this.#session?.accessToken) return;
    if (!stored) {
      if (this.#session) this.signOut(null, { broadcast: false });
      return;
    }
    // An older record of this same session is a late view of a write this tab already has (by message).
    if (stored.sessionId === this.#session?.sessionId && stored.expiresAt < this.#session.expiresAt) return;
    this.#adopt(stored);
  }

  async #refreshUnderLock(): Promise<StoredSession> {
    const generation = this.#generation;
    const run = () => this.#refreshOnce(generation);
    return this.#deps.locks ? this.#deps.locks.request(this.#lockName, run) : run();
  }

  async #refreshOnce(generation: number): Promise<StoredSession> {
    if (generation !== this.#generation) {
      // Another tab's refresh reached this one (by message) while it waited for the lock: that is the result, not a cancellation.
      if (this.#session && this.isFresh(0)) return this.#session;
      throw aborted();
    }
    const before = this.#session;
    this.syncFromStorage();
    // Another tab refreshed while this one waited for the lock: use its result.
    if (this.#session && this.#session.accessToken !== before?.accessToken && this.isFresh(0)) return this.#session;
    const current = this.#session;
    if (!current) throw new CelonisAuthError('login_required', 'There is no session: sign in first');
    if (!current.refreshToken) {
      this.signOut(new CelonisAuthError('login_required', 'The session has no refresh token: sign in again'));
      throw this.store.getState().error!;
    }
    if (this.#spent.enabled && (await this.#spent.isSpent(current.refreshToken))) return this.#awaitRotation(current, generation);
    this.store.setState({ ...this.#stateFor(current, null), status: 'refreshing' } as AuthState, true);
    const controller = new AbortController();
    this.#abort = controller;
    let tokens: TokenSet;
    try {
      tokens = await requestTokens(this.#config, this.#deps.fetch, this.#deps.now, {
        params: { grant_type: 'refresh_token', refresh_token: current.refreshToken },
        requestedScopes: current.scopes,
        signal: controller.signal,
      });
    } catch (error) {
      if (generation !== this.#generation) throw aborted(error);
      if (isCelonisAuthError(error, 'token_error') && error.oauthError === 'invalid_grant') {
        const expired = new CelonisAuthError('session_expired', 'The session has ended (the refresh token was rejected): sign in again', {
          oauthError: error.oauthError,
          ...(error.oauthErrorDescription === undefined ? {} : { oauthErrorDescription: error.oauthErrorDescription }),
          status: error.status ?? 400,
          cause: error,
        });
        this.signOut(expired);
        throw expired;
      }
      // Network trouble or an unavailable server: keep the session; the token stays usable until it expires.
      this.store.setState(this.#stateFor(current, error as CelonisAuthError), true);
      throw error;
    }
    if (generation !== this.#generation) throw aborted();
    const next: StoredSession = {
      ...current,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken ?? current.refreshToken,
      expiresAt: tokens.expiresAt,
      scopes: tokens.scopes,
    };
    this.#commit(next, null);
    // Before the refresh lock is released, so the next tab to hold it can tell the old token is spent.
    if (next.refreshToken !== current.refreshToken) await this.#spent.mark(current.refreshToken);
    return next;
  }

  /**
   * Another tab rotated `current`'s refresh token, and its new session has not reached this page
   * yet: wait for it (storage or message) instead of sending the spent token, which would revoke
   * the session everywhere.
   */
  async #awaitRotation(current: StoredSession, generation: number): Promise<StoredSession> {
    for (let attempt = 0; attempt < ROTATION_WAIT_ATTEMPTS; attempt++) {
      if (generation === this.#generation) this.syncFromStorage();
      const session = this.#session;
      if (!session) throw new CelonisAuthError('login_required', 'There is no session: sign in first');
      if (session.refreshToken !== current.refreshToken && this.isFresh(0)) return session;
      await new Promise((resolve) => this.#deps.timers.setTimeout(() => resolve(undefined), ROTATION_WAIT_MS));
    }
    throw new CelonisAuthError('aborted', "Another tab renewed the session, but its result has not reached this tab yet; try again");
  }

  #commit(session: StoredSession, error: CelonisAuthError | null): void {
    this.#records.write(session);
    this.#session = session;
    this.store.setState(this.#stateFor(session, error), true);
    this.#post({ type: 'session', sessionId: session.sessionId, session });
  }

  #adopt(session: StoredSession): void {
    this.#generation += 1;
    this.#abort?.abort();
    this.#session = session;
    this.store.setState(this.#stateFor(session, null), true);
  }

  #receive(message: unknown): void {
    const m = message as Partial<TabMessage> | null;
    const session = m?.type === 'session' ? parseSession(m.session) : undefined;
    if (this.#shared) {
      // The other tab's write to shared storage may reach this page after its message (Chromium
      // passes localStorage between tab processes asynchronously): the message itself counts too.
      const own = this.#session;
      if (m?.type === 'signedOut' && own && m.sessionId === own.sessionId) return this.signOut(null, { broadcast: false });
      if (session && session.sessionId === m?.sessionId && (session.sessionId !== own?.sessionId || session.expiresAt > own.expiresAt)) return this.#adopt(session);
      return this.syncFromStorage();
    }
    // Per-tab storage: follow only the session this tab shares (a duplicated tab's copy), and only
    // a well-formed one, so a garbled message can neither sign this tab out nor overwrite its record.
    if (session && session.sessionId === this.#session?.sessionId) {
      this.#records.write(session);
      this.#adopt(session);
    } else if (m?.type === 'signedOut' && m.sessionId === this.#session?.sessionId) {
      this.signOut(null, { broadcast: false });
    }
  }

  #post(message: TabMessage): void {
    try {
      this.#channel?.postMessage(message);
    } catch {
      // A closed channel only means no other tab listens.
    }
  }

  #stateFor(session: StoredSession | undefined, error: CelonisAuthError | null): AuthState {
    if (!session) return signedOutState(error);
    const scopes = session.scopes;
    if (this.isFresh(0, session)) return { status: 'authenticated', accessToken: session.accessToken, expiresAt: session.expiresAt, scopes, error };
    if (session.refreshToken) return { status: 'expired', accessToken: null, expiresAt: session.expiresAt, scopes, error };
    return signedOutState(error);
  }
}

function aborted(cause?: unknown): CelonisAuthError {
  return new CelonisAuthError('aborted', 'The refresh was cancelled by a sign-out or a newer session', cause === undefined ? {} : { cause });
}

function randomId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
