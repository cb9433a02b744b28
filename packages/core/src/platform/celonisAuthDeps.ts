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
  /** Leaves the page for the authorization server. Default `location.assign`. */
  navigate: (url: string) => void;
  /** The page's current URL. Default `location.href`. */
  currentUrl: () => string;
  /** Replaces the current history entry, to take the code out of the address bar. Default `history.replaceState`. */
  replaceUrl: (url: string) => void;
  /** Milliseconds since the epoch. Default `Date.now`. */
  now: () => number;
  /** Default the global timers. */
  timers: TimerLike;
  /** A number in [0, 1) for backoff jitter. Default `Math.random`. */
  random: () => number;
  /** Where login transactions wait out the redirect. Default `localStorage`. */
  transactionStorage: StorageLike | undefined;
  /** Cross-tab refresh lock. Default `navigator.locks` where available. */
  locks: LocksLike | undefined;
  /** Cross-tab messages. Default a `BroadcastChannel` where available, else storage events. */
  broadcast: ((name: string) => BroadcastLike) | undefined;
  /** Subscribes to moments the page may have slept (visibilitychange, online, pageshow). Default: those window events. */
  onWake: ((listener: () => void) => () => void) | undefined;
  /** Where warnings go (storage fallback). Default `console.warn`. */
  warn: (message: string) => void;
}

/** Reads the browser defaults lazily, so importing and constructing work in plain Node. */
export function defaultDeps(): CelonisAuthDeps {
  const g = globalThis as typeof globalThis & Partial<Window & { navigator: { locks?: LocksLike } }>;
  return {
    fetch: (input, init) => globalThis.fetch(input, init),
    navigate: (url) => g.location?.assign(url),
    currentUrl: () => g.location?.href ?? '',
    replaceUrl: (url) => g.history?.replaceState(g.history.state, '', url),
    now: () => Date.now(),
    timers: { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
    random: Math.random,
    transactionStorage: webStorage('localStorage'),
    locks: g.navigator?.locks,
    broadcast: typeof g.BroadcastChannel === 'function' ? broadcastChannel : storageEventChannel(webStorage('localStorage')),
    onWake: typeof g.addEventListener === 'function' ? windowWakeEvents : undefined,
    warn: (message) => console.warn(`[celonis-auth] ${message}`),
  };
}

/** `localStorage` or `sessionStorage` when present and usable; some browsers throw on access. */
export function webStorage(name: 'localStorage' | 'sessionStorage'): StorageLike | undefined {
  try {
    return (globalThis as Partial<Record<typeof name, Storage>>)[name] ?? undefined;
  } catch {
    return undefined;
  }
}

function broadcastChannel(name: string): BroadcastLike {
  const channel = new BroadcastChannel(name);
  return {
    postMessage: (message) => channel.postMessage(message),
    subscribe(listener) {
      const handler = (event: MessageEvent) => listener(event.data);
      channel.addEventListener('message', handler);
      return () => channel.removeEventListener('message', handler);
    },
    close: () => channel.close(),
  };
}

// Without BroadcastChannel, tabs hear each other through storage events on a key of ours. Only the
// message kind and session id travel this way: never tokens, which would then sit in localStorage.
function storageEventChannel(storage: StorageLike | undefined): ((name: string) => BroadcastLike) | undefined {
  if (!storage || typeof globalThis.addEventListener !== 'function') return undefined;
  return (name) => ({
    postMessage(message) {
      const { type, sessionId } = (message ?? {}) as { type?: unknown; sessionId?: unknown };
      storage.setItem(name, JSON.stringify({ type, sessionId, nonce: Math.random() }));
      storage.removeItem(name);
    },
    subscribe(listener) {
      const handler = (event: StorageEvent) => {
        if (event.key !== name || event.newValue === null) return;
        try {
          listener(JSON.parse(event.newValue));
        } catch {
          // Not ours to understand.
        }
      };
      globalThis.addEventListener('storage', handler);
      return () => globalThis.removeEventListener('storage', handler);
    },
    close: () => undefined,
  });
}

function windowWakeEvents(listener: () => void): () => void {
  const onVisibility = () => {
    if (globalThis.document?.visibilityState !== 'hidden') listener();
  };
  globalThis.addEventListener('online', listener);
  globalThis.addEventListener('pageshow', listener);
  globalThis.document?.addEventListener('visibilitychange', onVisibility);
  return () => {
    globalThis.removeEventListener('online', listener);
    globalThis.removeEventListener('pageshow', listener);
    globalThis.document?.removeEventListener('visibilitychange', onVisibility);
  };
}
