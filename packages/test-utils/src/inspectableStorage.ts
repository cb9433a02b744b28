import type { StorageLike } from './platformShapes.js';

/**
 * A storage whose items and operations can be inspected, to prove what the library touched:
 * `items` (the map itself), `log` (every operation in order), `libraryKeys()` (celonis-auth's own keys).
 */
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
