import type { LocksLike } from './platformShapes.js';

/**
 * An in-page lock manager shared by the "tabs" of a test, like `navigator.locks` (with
 * `ifAvailable` and `query`); `held()` lists the names held now.
 */
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
    tails.set(
      name,
      result.catch(() => undefined),
    );
    return result;
  }
  return {
    request,
    query: async () => ({ held: [...held.keys()].map((name) => ({ name })) }),
    held: () => [...held.keys()],
  };
}
