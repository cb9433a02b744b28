import type { StorageLike } from './platformShapes.js';

/** A Web-Storage-shaped map (what the core's `createMemoryStorage` makes), for fakes to start from. */
export function memoryStorage(): StorageLike {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
  };
}
