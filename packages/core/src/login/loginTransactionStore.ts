import type { StorageLike } from '../platform/celonisAuthDeps.js';
import { CelonisAuthError } from '../protocol/celonisAuthError.js';

// Logins that may wait at once; the oldest beyond this is dropped with its index entry.
const MAX_TRANSACTIONS = 20;

/**
 * Login transactions (oidc-client-ts `SigninState` records: state, PKCE verifier, returnTo, scopes,
 * creation time) wait out the redirect here, one key per `state`, with an index of its own keys
 * because Web Storage cannot be listed without touching other keys.
 */
export class LoginTransactionStore {
  readonly #storage: StorageLike;
  readonly #prefix: string;

  constructor(storage: StorageLike, keyPrefix: string) {
    this.#storage = storage;
    this.#prefix = `${keyPrefix}:tx:`;
  }

  /**
   * Stores a transaction and reads it back, so a login never navigates away with nothing stored.
   *
   * @throws {CelonisAuthError} `storage_unavailable`.
   */
  set(state: string, record: string): void {
    try {
      this.#storage.setItem(this.#prefix + state, record);
      if (this.#storage.getItem(this.#prefix + state) !== record) throw new Error('read-back mismatch');
      const keys = [...this.#readIndex().filter((k) => k !== state), state];
      // Dropped from the index means unreachable for clear() and purge(): remove it too.
      for (const old of keys.slice(0, -MAX_TRANSACTIONS)) this.#storage.removeItem(this.#prefix + old);
      this.#writeIndex(keys.slice(-MAX_TRANSACTIONS));
    } catch (cause) {
      this.#storage.removeItem(this.#prefix + state);
      throw new CelonisAuthError('storage_unavailable', 'The login transaction could not be stored; is storage full or disabled?', { cause });
    }
  }

  /** Reads and removes the transaction of `state`: a transaction is used once. */
  take(state: string): string | null {
    const record = this.#storage.getItem(this.#prefix + state);
    if (record === null) return null;
    this.#storage.removeItem(this.#prefix + state);
    this.#writeIndex(this.#readIndex().filter((k) => k !== state));
    return record;
  }

  /** Removes the transactions `isStale` says are too old (or unreadable). */
  purge(isStale: (record: string) => boolean): void {
    const kept = this.#readIndex().filter((state) => {
      const record = this.#storage.getItem(this.#prefix + state);
      if (record !== null && !isStale(record)) return true;
      this.#storage.removeItem(this.#prefix + state);
      return false;
    });
    this.#writeIndex(kept);
  }

  /** Removes every transaction (logout). */
  clear(): void {
    for (const state of this.#readIndex()) this.#storage.removeItem(this.#prefix + state);
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
