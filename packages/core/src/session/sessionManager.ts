import type { StoreApi } from 'zustand/vanilla';
import type { ResolvedConfig } from '../config/resolveConfig.js';
import type { CelonisAuthDeps } from '../platform/celonisAuthDeps.js';
import { createAuthStore, signedOutState, type AuthState } from './authState.js';
import { CelonisAuthError, isCelonisAuthError } from '../protocol/celonisAuthError.js';
import { supersedes } from '../tabs/supersedes.js';
import { SessionRecordStore, type StoredSession } from './sessionRecordStore.js';
import { SpentRefreshTokens } from '../tabs/spentRefreshTokens.js';
import { TabChannel, type TabMessage } from '../tabs/tabChannel.js';
import { requestTokens } from '../http/requestTokens.js';
import type { TokenSet } from '../protocol/readTokenResponse.js';

// How long to wait for another tab's rotated session to show up here: 40 × 50 ms.
const ROTATION_WAIT_ATTEMPTS = 40;
const ROTATION_WAIT_MS = 50;
// Sessions this tab signed out of, remembered so a late write or message cannot bring one back.
const SIGNED_OUT_MEMORY = 20;

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
  readonly #channel: TabChannel;
  readonly #signedOut: string[] = [];

  constructor(config: ResolvedConfig, deps: CelonisAuthDeps, keyPrefix: string) {
    this.#config = config;
    this.#deps = deps;
    this.#records = new SessionRecordStore(config.storage, keyPrefix, deps.warn);
    this.#shared = config.storage !== 'session' && config.storage !== 'memory';
    this.#lockName = `${keyPrefix}:refresh`;
    this.#spent = new SpentRefreshTokens(deps.locks, this.#lockName);
    this.#channel = new TabChannel(`${this.#lockName}:channel`, deps.broadcast);
    const stored = this.#records.read();
    this.#session = stored === 'unreadable' ? undefined : stored;
    this.store = createAuthStore(this.#stateFor(this.#session, null));
  }

  /** The current session, if any. */
  get session(): StoredSession | undefined {
    return this.#session;
  }

  /** Changes whenever the session is replaced or ended, so a slow operation can tell it was overtaken. */
  get generation(): number {
    return this.#generation;
  }

  /** Whether the access token is valid for at least `seconds` more. */
  isFresh(seconds: number, session = this.#session): boolean {
    return session !== undefined && session.expiresAt - this.#deps.now() > seconds * 1000;
  }

  /** Stores a new session from a code exchange and tells the other tabs. */
  establish(tokens: TokenSet, callback: { state: string; returnTo: string }): StoredSession {
    this.#generation += 1;
    const now = this.#deps.now();
    const session: StoredSession = {
      sessionId: randomId(),
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken ?? null,
      expiresAt: tokens.expiresAt,
      scopes: tokens.scopes,
      loginAt: now,
      rotation: 0,
      issuedAt: now,
      callbackState: callback.state,
      returnTo: callback.returnTo,
    };
    this.#commit(session, 'login');
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

  /** Leaves `redirecting` when the page is back without having left (Back from the login page, a cancelled navigation). */
  cancelRedirecting(): void {
    if (this.store.getState().status === 'redirecting') this.restore(null);
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
    if (!sessionId) return;
    this.#signedOut.push(sessionId);
    this.#signedOut.splice(0, this.#signedOut.length - SIGNED_OUT_MEMORY);
    if (options.broadcast !== false) this.#channel.post({ type: 'signedOut', sessionId });
  }

  /** Starts listening to other tabs. */
  connect(): void {
    this.#channel.connect((message) => this.#receive(message));
  }

  /** Stops listening to other tabs. */
  disconnect(): void {
    this.#channel.disconnect();
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
    // A session signed out here, written back by another tab's late refresh: the sign-out wins.
    if (this.#signedOut.includes(stored.sessionId)) return this.#records.clear();
    // Otherwise an older view (of this session, or of an earlier login) is only late news.
    if (supersedes(stored, this.#session)) this.#adopt(stored);
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
      tokens = await requestTokens(this.#config, this.#deps, {
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
    // Another tab may have signed out or signed in anew while the request ran: then this result is stale.
    this.syncFromStorage();
    if (this.#session?.sessionId !== current.sessionId) throw aborted();
    const next: StoredSession = {
      ...current,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken ?? current.refreshToken,
      expiresAt: tokens.expiresAt,
      scopes: tokens.scopes,
      rotation: current.rotation + 1,
      issuedAt: this.#deps.now(),
    };
    this.#commit(next, 'refresh');
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

  #commit(session: StoredSession, kind: 'login' | 'refresh'): void {
    this.#records.write(session);
    this.#session = session;
    this.store.setState(this.#stateFor(session, null), true);
    this.#channel.post({ type: 'session', kind, sessionId: session.sessionId, session });
  }

  #adopt(session: StoredSession): void {
    this.#generation += 1;
    this.#abort?.abort();
    this.#session = session;
    this.store.setState(this.#stateFor(session, null), true);
  }

  #receive(message: TabMessage): void {
    const own = this.#session;
    if (message.type === 'signedOut') {
      if (own?.sessionId === message.sessionId) this.signOut(null, { broadcast: false });
      return;
    }
    const { kind, session } = message;
    // A renewal concerns only the tabs holding that session, and per-tab storage follows only its own
    // session (a duplicated tab's copy); a sign-out here is final.
    const foreign = own?.sessionId !== session.sessionId;
    if (this.#signedOut.includes(session.sessionId) || (foreign && (kind === 'refresh' || !this.#shared))) return;
    if (!supersedes(session, own)) return;
    // Per-tab storage keeps its own copy (a duplicated tab); shared storage was written by the sender,
    // though Chromium may deliver the message before that write reaches this page.
    if (!this.#shared) this.#records.write(session);
    this.#adopt(session);
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
