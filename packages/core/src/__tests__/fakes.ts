// Fakes injected through CelonisAuthDeps: no global is patched anywhere in the core's tests.
import type { BroadcastLike, CelonisAuthDeps, LocksLike, StorageLike, TimerLike } from '../platform/celonisAuthDeps.js';
import { createMemoryStorage } from '../platform/memoryStorage.js';

/** A clock tests move by hand. */
export function fakeClock(start = Date.UTC(2026, 10, 29, 12)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms), set: (ms: number) => void (now = ms) };
}

/** Timers driven by a fake clock: `runDue()` fires what is due, `advance(ms)` moves time and fires. */
export function fakeTimers(clock: ReturnType<typeof fakeClock>) {
  let seq = 0;
  const pending = new Map<number, { at: number; callback: () => void; ms: number }>();
  const timers: TimerLike & {
    pending: () => { at: number; ms: number }[];
    advance: (ms: number) => void;
    runDue: () => void;
  } = {
    setTimeout(callback, ms) {
      const id = ++seq;
      pending.set(id, { at: clock.now() + ms, callback, ms });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
    pending: () => [...pending.values()].map(({ at, ms }) => ({ at, ms })),
    advance(ms) {
      clock.advance(ms);
      timers.runDue();
    },
    runDue() {
      for (const [id, timer] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at <= clock.now() && pending.has(id)) {
          pending.delete(id);
          timer.callback();
        }
      }
    },
  };
  return timers;
}

/** A recorded request as the fake fetch saw it. */
export interface SeenRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string;
}

type Responder = (request: SeenRequest, index: number) => Response | Promise<Response>;

/** A fetch that records every request and answers from `responder`. */
export function fakeFetch(responder: Responder) {
  const requests: SeenRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const seen = { url: request.url, method: request.method, headers: request.headers, body: await request.text() };
    requests.push(seen);
    if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    return responder(seen, requests.length - 1);
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

/** A token endpoint answer with fresh tokens numbered by `n`. */
export function tokenResponse(n: number, extra: Record<string, unknown> = {}): Response {
  return json({ access_token: `access-${n}`, refresh_token: `refresh-${n}`, token_type: 'Bearer', expires_in: 899, scope: 'studio', ...extra });
}

/** An in-page lock manager shared by the "tabs" of a test, like navigator.locks (with `ifAvailable` and `query`). */
export function fakeLocks(): LocksLike & { held: () => string[] } {
  const tails = new Map<string, Promise<unknown>>();
  const held = new Map<string, number>();
  const hold = <T>(name: string, run: () => Promise<T>): Promise<T> => {
    held.set(name, (held.get(name) ?? 0) + 1);
    return run().finally(() => {
      const left = (held.get(name) ?? 1) - 1;
      if (left === 0) held.delete(name);
      else held.set(name, left);
    });
  };
  function request<T>(name: string, callback: () => Promise<T>): Promise<T>;
  function request<T>(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<T>): Promise<T>;
  function request<T>(name: string, a: { ifAvailable?: boolean } | (() => Promise<T>), b?: (lock: unknown) => Promise<T>): Promise<T> {
    const callback = (typeof a === 'function' ? a : b)!;
    if (typeof a !== 'function' && a.ifAvailable && held.has(name)) return callback(null);
    const previous = tails.get(name) ?? Promise.resolve();
    const result = previous.then(
      () => hold(name, () => callback({ name })),
      () => hold(name, () => callback({ name })),
    );
    tails.set(name, result.catch(() => undefined));
    return result;
  }
  return {
    request,
    query: async () => ({ held: [...held.keys()].map((name) => ({ name })) }),
    held: () => [...held.keys()],
  };
}

/** A BroadcastChannel stand-in: every channel of the same name in the hub hears the others. */
export function fakeBroadcastHub() {
  const channels = new Map<string, Set<(message: unknown) => void>>();
  const sent: unknown[] = [];
  const open = (name: string): BroadcastLike => {
    const listeners = new Set<(message: unknown) => void>();
    const group = channels.get(name) ?? new Set();
    channels.set(name, group);
    const deliver = (message: unknown) => listeners.forEach((l) => l(structuredClone(message)));
    group.add(deliver);
    return {
      postMessage(message) {
        sent.push(message);
        group.forEach((other) => other !== deliver && other(message));
      },
      subscribe: (listener) => (listeners.add(listener), () => void listeners.delete(listener)),
      close: () => void group.delete(deliver),
    };
  };
  return { open, sent };
}

/** A storage whose operations can be made to throw, to play a full or disabled storage. */
export function flakyStorage(base: StorageLike = createMemoryStorage()) {
  const failures = { get: false, set: false, remove: false };
  const storage: StorageLike = {
    getItem: (k) => {
      if (failures.get) throw new DOMException('denied', 'SecurityError');
      return base.getItem(k);
    },
    setItem: (k, v) => {
      if (failures.set) throw new DOMException('full', 'QuotaExceededError');
      base.setItem(k, v);
    },
    removeItem: (k) => {
      if (failures.remove) throw new DOMException('denied', 'SecurityError');
      base.removeItem(k);
    },
  };
  return { storage, failures, base };
}

/** A page: its URL, navigations and history replacements. */
export function fakePage(url = 'http://localhost:5173/reports?id=1') {
  const page = { url, navigations: [] as string[], replaced: [] as string[] };
  const deps: Pick<CelonisAuthDeps, 'navigate' | 'currentUrl' | 'replaceUrl'> = {
    navigate: (next) => void page.navigations.push(next),
    currentUrl: () => page.url,
    replaceUrl: (next) => {
      page.replaced.push(next);
      page.url = next;
    },
  };
  return Object.assign(page, { deps });
}

/** Every dependency faked, with no cross-tab or wake sources unless a test adds them. */
export function fakeDeps(overrides: Partial<CelonisAuthDeps> = {}) {
  const clock = fakeClock();
  const timers = fakeTimers(clock);
  const page = fakePage();
  const warnings: string[] = [];
  const deps: Partial<CelonisAuthDeps> = {
    // A test that forgot to fake the network must fail, never reach a real host.
    fetch: async (input) => {
      throw new Error(`fakeDeps: no fetch injected for ${String(input instanceof Request ? input.url : input)}`);
    },
    ...page.deps,
    now: clock.now,
    timers,
    random: () => 0.5,
    transactionStorage: createMemoryStorage(),
    locks: undefined,
    broadcast: undefined,
    onWake: undefined,
    warn: (m) => void warnings.push(m),
    ...overrides,
  };
  return { deps, clock, timers, page, warnings };
}

/** A storage whose items and operations can be inspected, to prove what the library touched. */
export function inspectableStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  const log: { op: 'get' | 'set' | 'remove'; key: string }[] = [];
  const storage: StorageLike = {
    getItem: (key) => (log.push({ op: 'get', key }), items.get(key) ?? null),
    setItem: (key, value) => void (log.push({ op: 'set', key }), items.set(key, String(value))),
    removeItem: (key) => void (log.push({ op: 'remove', key }), items.delete(key)),
  };
  /** The keys of celonis-auth's own records present now. */
  const libraryKeys = () => [...items.keys()].filter((k) => k.startsWith('celonis-auth:'));
  return { storage, items, log, libraryKeys };
}

/** The redirect the authorization server would answer `authorizeUrl` with: its redirect_uri and state, plus `params`. */
export function callbackFor(authorizeUrl: string, params: Record<string, string> = { code: 'code-1' }): string {
  const authorize = new URL(authorizeUrl);
  const callback = new URL(authorize.searchParams.get('redirect_uri') ?? '');
  for (const [name, value] of Object.entries(params)) callback.searchParams.set(name, value);
  callback.searchParams.set('state', authorize.searchParams.get('state') ?? '');
  return callback.href;
}
