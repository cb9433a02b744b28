import { memoryStorage } from './memoryStorage.js';
import type { StorageLike } from './platformShapes.js';

/**
 * A storage whose operations can be made to throw, to play a full or disabled storage: set
 * `failures.get` / `.set` / `.remove` to make that operation throw (`SecurityError`, `QuotaExceededError`).
 */
export function flakyStorage(base: StorageLike = memoryStorage()) {
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
