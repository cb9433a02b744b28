import type { StorageLike } from './celonisAuthDeps.js';

/** A Web-Storage-shaped map that lives as long as the page. */
export function createMemoryStorage(): StorageLike {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
  };
}
