import type { LocksLike } from '../platform/celonisAuthDeps.js';

// Marks kept per tab; a tab's storage lags another's by moments, never by two rotations.
const KEEP = 2;

/**
 * Marks rotated refresh tokens as spent in the browser's lock manager, the one piece of state all
 * tabs see at once: a tab holds a lock named after the token it just rotated. localStorage and
 * BroadcastChannel reach other tabs later, so a tab that gets the refresh lock before it sees the
 * new session asks here first and never sends a spent token (which would revoke the session).
 */
export class SpentRefreshTokens {
  readonly #locks: LocksLike | undefined;
  readonly #prefix: string;
  #held: (() => void)[] = [];

  constructor(locks: LocksLike | undefined, lockName: string) {
    this.#locks = locks?.query ? locks : undefined;
    this.#prefix = `${lockName}:spent:`;
  }

  /** Holds the spent mark of `refreshToken` until newer marks replace it or the page closes; resolves once it is held. */
  async mark(refreshToken: string): Promise<void> {
    const locks = this.#locks;
    if (!locks) return;
    try {
      await new Promise<void>((held, failed) => {
        locks
          .request(this.#name(refreshToken), { ifAvailable: true }, (lock) => {
            held();
            return lock ? new Promise<void>((release) => this.#held.push(release)) : Promise.resolve();
          })
          .catch(failed);
      });
    } catch {
      return; // Without the mark, tabs fall back on storage and messages alone.
    }
    while (this.#held.length > KEEP) this.#held.shift()!();
  }

  /** Whether marks work here (a lock manager that can be queried); when not, there is nothing to ask. */
  get enabled(): boolean {
    return this.#locks !== undefined;
  }

  /** Whether a tab (this or another) rotated `refreshToken` already. */
  async isSpent(refreshToken: string): Promise<boolean> {
    if (!this.#locks?.query) return false;
    try {
      const name = this.#name(refreshToken);
      return ((await this.#locks.query()).held ?? []).some((lock) => lock.name === name);
    } catch {
      return false;
    }
  }

  /** Lets go of every mark (sign-out). */
  releaseAll(): void {
    this.#held.splice(0).forEach((release) => release());
  }

  // A lock name is visible to the origin's scripts only, like the storage holding the token; a
  // 53-bit hash keeps the token itself out of it.
  #name(refreshToken: string): string {
    let h1 = 0xdeadbeef;
    let h2 = 0x41c6ce57;
    for (let i = 0; i < refreshToken.length; i++) {
      const c = refreshToken.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return this.#prefix + (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
  }
}
