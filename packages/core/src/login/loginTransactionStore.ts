import type { StorageLike } from '../platform/celonisAuthDeps.js';
import { CelonisAuthError } from '../protocol/celonisAuthError.js';

// Logins that may wait at once; the oldest beyond this is dropped with its index entry.
const MAX_TRANSACTIONS = 20;

/**
 * Login transactions (state, PKCE verifier, returnTo, scopes, creation time) wait out the redirect
 * here, one key per `state`. It has the shape of oidc-client-ts's `StateStore`, and keeps an index
 * of its own keys because Web Storage cannot be listed without touching other keys.
 */
export class LoginTransactionStore {
  readonly #storage: StorageLike;
  readonly #prefix: string;

  constructor(storage: StorageLike, keyPrefix: string) {
    this.#storage = storage;
    this.#prefix = `${keyPrefix}:tx:`;
  }

  /** Stores a transaction and reads it back, so a login never navigates away with nothing stored. */
  async set(key: string, value: string): Promise<void> {
    try {
      this.#storage.setItem(this.#prefix + key, value);
      if (this.#storage.getItem(this.#prefix + key) !== value) throw new Error('read-back mismatch');
      const keys = [...this.#readIndex().filter((k) => k !== key), key];
      // Dropped from the index means unreachable for clear() and stale-state cleanup: remove it too.
      for (const old of keys.slice(0, -MAX_TRANSACTIONS)) this.#storage.removeItem(this.#prefix + old);
      this.#writeIndex(keys.slice(-MAX_TRANSACTIONS));
    } catch (cause) {
      this.#storage.removeItem(this.#prefix + key);
      throw new CelonisAuthError('storage_unavailable', 'The login transaction could not be stored; is storage full or disabled?', { cause });
    }
  }

  async get(key: string): Promise<string | null> {
    return this.#storage.getItem(this.#prefix + key);
  }

  async remove(key: string): Promise<string | null> {
    const value = this.#storage.getItem(this.#prefix + key);
    this.#storage.removeItem(this.#prefix + key);
    this.#writeIndex(this.#readIndex().filter((k) => k !== key));
    return value;
  }

  async getAllKeys(): Promise<string[]> {
    return this.#readIndex();
  }

  /** Removes every transaction (logout). */
  clear(): void {
    for (const key of this.#readIndex()) this.#storage.removeItem(this.#prefix + key);
    this.#storage.removeItem(`${this.#prefix}index`);
  }

  #readIndex(): string[] {
    try {
      const value: unknown = JSON.parse(this.#storage.getItem(`${this.#prefix}index`) ?? '[]');
      return Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
    } catch {
      return [];
    }
  }

  #writeIndex(keys: string[]): void {
    if (keys.length === 0) this.#storage.removeItem(`${this.#prefix}index`);
    else this.#storage.setItem(`${this.#prefix}index`, JSON.stringify(keys));
  }
}
