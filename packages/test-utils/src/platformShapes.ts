// Structural copies of the platform interfaces of the core's CelonisAuthDeps: this package must not
// depend on @celonis-auth/core (the core's tests depend on it), and TypeScript compares shapes, so a
// fake typed with these is accepted wherever the core asks for its own.

/** The parts of the Web Storage API the core uses (the core's `StorageLike`). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The part of the Web Locks API the core uses (the core's `LocksLike`). */
export interface LocksLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
  /** With `ifAvailable`, the callback gets `null` at once when the lock is held elsewhere. */
  request<T>(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<T>): Promise<T>;
  /** The locks held and wanted, as the lock manager sees them now. */
  query?(): Promise<{ held?: { name?: string }[] }>;
}

/** A cross-tab message channel (the core's `BroadcastLike`). */
export interface BroadcastLike {
  postMessage(message: unknown): void;
  /** Subscribes to messages from other tabs; returns the unsubscribe function. */
  subscribe(listener: (message: unknown) => void): () => void;
  close(): void;
}

/** Timers (the core's `TimerLike`). */
export interface TimerLike {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * The fields of the core's `CelonisAuthDeps` that {@link fakeDeps} fills, with the same types, so
 * `{ ...fake.deps }` can be passed as `deps` to `createCelonisAuth`.
 */
export interface FakePlatform {
  fetch: typeof globalThis.fetch;
  navigate: (url: string) => void;
  currentUrl: () => string;
  replaceUrl: (url: string) => void;
  now: () => number;
  timers: TimerLike;
  random: () => number;
  transactionStorage: StorageLike | undefined;
  locks: LocksLike | undefined;
  broadcast: ((name: string) => BroadcastLike) | undefined;
  onWake: ((listener: () => void) => () => void) | undefined;
  warn: (message: string) => void;
}
