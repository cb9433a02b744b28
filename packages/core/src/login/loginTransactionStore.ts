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
    // Only a state this store issued: a crafted one ("index", "exchange", …) must not reach the keys of its own marks.
    if (!this.#readIndex().includes(state)) return null;
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

  /** Removes every transaction and every mark of an exchange (logout). */
  clear(): void {
    for (const state of this.#readIndex()) this.#storage.removeItem(this.#prefix + state);
    for (const name of ['index', 'exchange', 'interrupted']) this.#storage.removeItem(this.#prefix + name);
  }

  /** Records that the code of `state` is being exchanged now, so a reload meanwhile can tell the sign-in was interrupted. */
  beginExchange(state: string, returnTo: string, now: number): void {
    this.#quietly(() => this.#storage.setItem(`${this.#prefix}exchange`, JSON.stringify({ state, returnTo, at: now })));
  }

  /** The exchange is over (signed in or refused). */
  endExchange(): void {
    this.#quietly(() => this.#storage.removeItem(`${this.#prefix}exchange`));
  }

  /** Takes the record of an exchange still under way when the page reloaded (at most `maxAgeMs` old). */
  takeExchange(now: number, maxAgeMs: number): { state: string; returnTo: unknown } | undefined {
    const record = this.#quietly(() => this.#storage.getItem(`${this.#prefix}exchange`));
    this.endExchange();
    const value = parseRecord(record) as { state?: unknown; returnTo?: unknown; at?: unknown } | undefined;
    if (typeof value?.state !== 'string' || typeof value.at !== 'number' || now - value.at > maxAgeMs || value.at > now) return undefined;
    return { state: value.state, returnTo: value.returnTo };
  }

  /** Notes an interrupted sign-in; true when one was noted within `windowMs` already (a new sign-in was tried for it). */
  noteInterruption(now: number, windowMs: number): boolean {
    const value = parseRecord(this.#quietly(() => this.#storage.getItem(`${this.#prefix}interrupted`))) as { at?: unknown } | undefined;
    this.#quietly(() => this.#storage.setItem(`${this.#prefix}interrupted`, JSON.stringify({ at: now })));
    return typeof value?.at === 'number' && now - value.at <= windowMs && value.at <= now;
  }

  /** A sign-in completed: interruptions before it are forgotten. */
  clearInterruption(): void {
    this.#quietly(() => this.#storage.removeItem(`${this.#prefix}interrupted`));
  }

  // These marks help a reload explain itself; a storage that fails them must not fail the sign-in.
  #quietly<T>(run: () => T): T | undefined {
    try {
      return run();
    } catch {
      return undefined;
    }
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

function parseRecord(raw: string | null | undefined): unknown {
  try {
    return raw ? (JSON.parse(raw) as unknown) : undefined;
  } catch {
    return undefined;
  }
}
