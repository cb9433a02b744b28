import type { StoreApi } from 'zustand/vanilla';
import type { ResolvedConfig } from '../config/resolveConfig.js';
import { requestTokens } from '../http/requestTokens.js';
import type { CelonisAuthDeps } from '../platform/celonisAuthDeps.js';
import type { CelonisAuthError } from '../protocol/celonisAuthError.js';
import type { TokenSet } from '../protocol/readTokenResponse.js';
import { SpentRefreshTokens } from '../tabs/spentRefreshTokens.js';
import { judgeMessage, judgeStoredRecord, type Adoption } from '../tabs/tabAdoption.js';
import { TabChannel, type TabMessage } from '../tabs/tabChannel.js';
import { refreshingState, signedOutState, signingInState, stateForSession, type AuthState } from './authState.js';
import { createAuthStore } from './authStore.js';
import { runRefreshTransaction, type RefreshHost } from './refreshTransaction.js';
import { createRetryAfterGate, type RetryAfterGate } from '../protocol/retryAfterGate.js';
import { createSessionEpoch, type SessionTurn } from './sessionEpoch.js';
import { newSession, SessionRecordStore, type StoredSession } from './sessionRecordStore.js';
import { isUnexpired } from './tokenFreshness.js';

// Sessions this tab signed out of, remembered so a late write or message cannot bring one back.
const SIGNED_OUT_MEMORY = 20;

/**
 * Owns the session: the store the app reads, the stored record, and the messages that keep tabs
 * in step. Refreshes run one at a time per tab (single-flight) and, across tabs, under a Web Lock
 * (see `runRefreshTransaction`); the adoption rules live in `tabAdoption`.
 */
export class SessionManager {
  readonly store: StoreApi<AuthState>;
  /** Passed by every sign-out, new login and adopted session: see {@link SessionManager.turn}. */
  readonly #epoch = createSessionEpoch();
  readonly #config: ResolvedConfig;
  readonly #deps: CelonisAuthDeps;
  readonly #records: SessionRecordStore;
  // Tabs share the record only in local or custom storage; session storage is per tab.
  readonly #shared: boolean;
  readonly #lockName: string;
  readonly #spent: SpentRefreshTokens;
  readonly #channel: TabChannel;
  readonly #signedOut: string[] = [];
  readonly #retryGate: RetryAfterGate;
  #session: StoredSession | undefined;
  #inflight: Promise<StoredSession> | undefined;
  #abort: AbortController | undefined;

  constructor(config: ResolvedConfig, deps: CelonisAuthDeps, keyPrefix: string) {
    this.#config = config;
    this.#deps = deps;
    this.#records = new SessionRecordStore(config.storage, keyPrefix, deps);
    this.#shared = config.storage !== 'session' && config.storage !== 'memory';
    this.#lockName = `${keyPrefix}:refresh`;
    this.#spent = new SpentRefreshTokens(deps.locks, this.#lockName);
    this.#channel = new TabChannel(`${this.#lockName}:channel`, deps.broadcast);
    this.#retryGate = createRetryAfterGate(deps.now);
    const stored = this.#records.read();
    this.#session = stored === 'unreadable' ? undefined : stored;
    this.store = createAuthStore(this.#stateFor(this.#session, null));
  }

  /** The current session, if any. */
  get session(): StoredSession | undefined {
    return this.#session;
  }

  /** A turn on the session as it is now: a slow operation checks `turn.overtaken` before writing its result. */
  turn(): SessionTurn {
    return this.#epoch.turn();
  }

  /** Stores a new session from a code exchange and tells the other tabs. */
  establish(tokens: TokenSet, callback: { state: string; returnTo: string }): StoredSession {
    this.#overtake();
    const session = newSession(tokens, callback, this.#deps);
    this.#commit(session, 'login');
    return session;
  }

  /** Shows a sign-in under way (`redirecting`, `handlingCallback`); the session itself is unchanged. */
  showSigningIn(status: 'redirecting' | 'handlingCallback'): void {
    this.store.setState(signingInState(status), true);
  }

  /** Puts the store back to what the session says (after a failed login or callback), with `error`. */
  restore(error: CelonisAuthError | null): void {
    this.store.setState(this.#stateFor(this.#session, error), true);
  }

  /**
   * Refreshes once for all concurrent callers of this tab; across tabs a Web Lock admits one
   * refresh at a time, and the transaction re-reads the stored record inside it.
   */
  refresh(): Promise<StoredSession> {
    if (this.#inflight) return this.#inflight;
    const held = this.#retryGate.check();
    if (held) return Promise.reject(held);
    const turn = this.#epoch.turn();
    const controller = new AbortController();
    this.#abort = controller;
    const run = () =>
      runRefreshTransaction({
        host: this.#refreshHost,
        turn,
        signal: controller.signal,
        spent: this.#spent,
        send: (refreshToken, scopes, signal) =>
          requestTokens(this.#config, this.#deps, { params: { grant_type: 'refresh_token', refresh_token: refreshToken }, requestedScopes: scopes, signal }),
        now: this.#deps.now,
        wait: (ms) => new Promise((resolve) => this.#deps.timers.setTimeout(() => resolve(), ms)),
      });
    this.#inflight = this.#retryGate.watch(this.#deps.locks ? this.#deps.locks.request(this.#lockName, run) : run()).finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /** Ends the session in this tab and, by default, in every other: aborts a refresh, clears storage. */
  signOut(error: CelonisAuthError | null, options: { broadcast?: boolean } = {}): void {
    const sessionId = this.#session?.sessionId;
    this.#overtake();
    this.#spent.releaseAll();
    this.#session = undefined;
    this.#records.clear();
    this.store.setState(signedOutState(error), true);
    if (!sessionId) return;
    this.#signedOut.push(sessionId);
    this.#signedOut.splice(0, this.#signedOut.length - SIGNED_OUT_MEMORY);
    if (options.broadcast !== false) this.#channel.post({ type: 'signedOut', sessionId });
  }

  /** Starts listening to other tabs; returns the way to stop. */
  connect(): () => void {
    this.#channel.connect((message) => this.#receive(message));
    return () => this.#channel.disconnect();
  }

  /** Re-reads shared storage, e.g. after the page slept; another tab may have refreshed or signed out. */
  syncFromStorage(): void {
    if (!this.#shared) return;
    const stored = this.#records.read();
    this.#apply(judgeStoredRecord(stored, this.#session, this.#signedOut), stored === 'unreadable' ? undefined : stored);
  }

  // What a refresh transaction may do to the session, and nothing more.
  readonly #refreshHost: RefreshHost = {
    session: () => this.#session,
    syncFromStorage: () => this.syncFromStorage(),
    showRefreshing: (session) => {
      this.store.setState(refreshingState(isUnexpired(session, this.#deps.now()) ? session.accessToken : null, session.expiresAt, session.scopes), true);
    },
    showFailure: (session, error) => this.store.setState(this.#stateFor(session, error), true),
    commit: (session) => this.#commit(session, 'refresh'),
    signOut: (error) => this.signOut(error),
  };

  #commit(session: StoredSession, kind: 'login' | 'refresh'): void {
    this.#records.write(session);
    this.#session = session;
    this.store.setState(this.#stateFor(session, null), true);
    this.#channel.post({ type: 'session', kind, sessionId: session.sessionId, session });
  }

  #receive(message: TabMessage): void {
    const adoption = judgeMessage(message, this.#session, this.#shared, this.#signedOut);
    if (adoption === 'adopt' && message.type === 'session') {
      // Per-tab storage keeps its own copy (a duplicated tab); shared storage was written by the sender,
      // though Chromium may deliver the message before that write reaches this page.
      if (!this.#shared) this.#records.write(message.session);
      this.#adopt(message.session);
    } else this.#apply(adoption, undefined);
  }

  #apply(adoption: Adoption, stored: StoredSession | undefined): void {
    if (adoption === 'adopt' && stored) this.#adopt(stored);
    else if (adoption === 'signOut') this.signOut(null, { broadcast: false });
    else if (adoption === 'forget') this.#records.clear();
  }

  #adopt(session: StoredSession): void {
    this.#overtake();
    this.#session = session;
    this.store.setState(this.#stateFor(session, null), true);
  }

  // Every slow operation started before this point is overtaken; a refresh under way stops.
  #overtake(): void {
    this.#epoch.advance();
    this.#abort?.abort();
  }

  #stateFor(session: StoredSession | undefined, error: CelonisAuthError | null): AuthState {
    return stateForSession(session, this.#deps.now(), error);
  }
}
