/** The parts of the Web Storage API the library uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The part of the Web Locks API the library uses (`navigator.locks`). */
export interface LocksLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
  /** With `ifAvailable`, the callback gets `null` at once when the lock is held elsewhere. */
  request<T>(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<T>): Promise<T>;
  /** The locks held and wanted in the whole browser, as the lock manager sees them now. */
  query?(): Promise<{ held?: { name?: string }[] }>;
}

/** A cross-tab message channel (a `BroadcastChannel` by default). */
export interface BroadcastLike {
  postMessage(message: unknown): void;
  /** Subscribes to messages from other tabs; returns the unsubscribe function. */
  subscribe(listener: (message: unknown) => void): () => void;
  close(): void;
}

/** The part of Web Crypto the library uses. */
export interface CryptoLike {
  getRandomValues<T extends ArrayBufferView>(array: T): T;
  readonly subtle: SubtleCrypto | undefined;
}

/** Timers, so tests can drive time. */
export interface TimerLike {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Everything the core takes from the platform. Each has a browser default read when
 * `createCelonisAuth` runs (never at import); tests pass fakes here instead of patching globals.
 */
export interface CelonisAuthDeps {
  /** Used for token requests and `auth.fetch`. Default `globalThis.fetch`. */
  fetch: typeof globalThis.fetch;
  /** Leaves the page for the authorization server. Default `location.assign`, or `location.replace` with `{ replace: true }`. */
  navigate: (url: string, options?: { replace?: boolean }) => void;
  /** The page's current URL. Default `location.href`. */
  currentUrl: () => string;
  /** Replaces the current history entry, to take the code out of the address bar. Default `history.replaceState`. */
  replaceUrl: (url: string) => void;
  /**
   * Moves the app to a same-origin path without a reload (a reload would lose a session kept in
   * memory). Default: `history.replaceState`, then a `popstate` event, which routers follow.
   */
  navigateInApp: (path: string) => void;
  /** Milliseconds since the epoch. Default `Date.now`. */
  now: () => number;
  /** Default the global timers. */
  timers: TimerLike;
  /** A number in [0, 1) for backoff jitter. Default `Math.random`. */
  random: () => number;
  /**
   * Randomness (`state`, PKCE verifier, session ids) and Web Crypto for `login()`. Default
   * `globalThis.crypto`. oidc-client-ts derives the S256 challenge with the platform's
   * `crypto.subtle` itself; every random value comes from here.
   */
  crypto: CryptoLike | undefined;
  /** The `'local'` storage choice. Default `localStorage` where usable. */
  localStorage: StorageLike | undefined;
  /** The `'session'` storage choice. Default `sessionStorage` where usable. */
  sessionStorage: StorageLike | undefined;
  /** Where login transactions wait out the redirect. Default `localStorage`. */
  transactionStorage: StorageLike | undefined;
  /** Cross-tab refresh lock. Default `navigator.locks` where available. */
  locks: LocksLike | undefined;
  /** Cross-tab messages. Default a `BroadcastChannel` where available. */
  broadcast: ((name: string) => BroadcastLike) | undefined;
  /** Subscribes to moments the page may have slept (visibilitychange, online, pageshow). Default: those window events. */
  onWake: ((listener: () => void) => () => void) | undefined;
  /** Where warnings go (storage fallback). Default `console.warn`. */
  warn: (message: string) => void;
}
