import type { BroadcastLike, CelonisAuthDeps, LocksLike, StorageLike } from './celonisAuthDeps.js';

/** Reads the browser defaults lazily, so importing and constructing work in plain Node. */
export function defaultDeps(): CelonisAuthDeps {
  const g = globalThis as typeof globalThis & Partial<Window & { navigator: { locks?: LocksLike } }>;
  return {
    fetch: (input, init) => globalThis.fetch(input, init),
    navigate: (url, options) => (options?.replace ? g.location?.replace(url) : g.location?.assign(url)),
    currentUrl: () => g.location?.href ?? '',
    replaceUrl: (url) => g.history?.replaceState(historyState(), '', url),
    navigateInApp(path) {
      g.history?.replaceState(historyState(), '', path);
      g.dispatchEvent?.(new PopStateEvent('popstate', { state: historyState() }));
    },
    now: () => Date.now(),
    timers: { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
    random: Math.random,
    crypto: g.crypto,
    localStorage: webStorage('localStorage'),
    sessionStorage: webStorage('sessionStorage'),
    transactionStorage: webStorage('localStorage'),
    locks: g.navigator?.locks,
    // Without BroadcastChannel (browsers before 2022) tabs still meet in shared storage, when they wake or need a token.
    broadcast: typeof g.BroadcastChannel === 'function' ? broadcastChannel : undefined,
    onWake: typeof g.addEventListener === 'function' ? windowWakeEvents : undefined,
    warn: (message) => console.warn(`[celonis-auth] ${message}`),
  };
}

// The router's entry state, kept as it is when the URL is replaced.
function historyState(): unknown {
  return (globalThis as { history?: History }).history?.state as unknown;
}

// `localStorage` or `sessionStorage` when present; some browsers throw on access.
function webStorage(name: 'localStorage' | 'sessionStorage'): StorageLike | undefined {
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

function windowWakeEvents(listener: () => void): () => void {
  const onVisibility = () => {
    if (globalThis.document?.visibilityState !== 'hidden') listener();
  };
  // focus: a window brought back from behind another one stays 'visible' throughout.
  for (const name of ['online', 'pageshow', 'focus']) globalThis.addEventListener(name, listener);
  globalThis.document?.addEventListener('visibilitychange', onVisibility);
  return () => {
    for (const name of ['online', 'pageshow', 'focus']) globalThis.removeEventListener(name, listener);
    globalThis.document?.removeEventListener('visibilitychange', onVisibility);
  };
}
