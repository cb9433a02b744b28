import type { StorageChoice } from '../config/resolveConfig.js';
import type { CelonisAuthDeps, StorageLike } from '../platform/celonisAuthDeps.js';
import { isOwnPath } from '../login/resolveReturnTo.js';
import { randomBytes } from '../platform/randomBytes.js';
import { isHeaderSafeToken } from '../protocol/readTokenResponse.js';
import type { TokenSet } from '../protocol/readTokenResponse.js';
import { createMemoryStorage } from '../platform/memoryStorage.js';

/** A signed-in session as stored: everything a refresh replaces, written together in one record. */
export interface StoredSession {
  /** Random id of this login, so tabs only adopt updates of the session they share. */
  sessionId: string;
  accessToken: string;
  refreshToken: string | null;
  /** ms since the epoch. */
  expiresAt: number;
  scopes: string[];
  /** When this login completed, ms since the epoch: between two sessions, the later login wins. 0 when unknown. */
  loginAt: number;
  /** How many refreshes this login has had: within one session, the higher count is the newer. */
  rotation: number;
  /** When the current access token was issued, ms since the epoch; absent in records of older versions. */
  issuedAt?: number;
  /** The `state` of the callback that started the session: a reload of that callback URL is not an error. */
  callbackState?: string;
  /** Where that callback sent the user. */
  returnTo?: string;
}

const VERSION = 1;

/** A new login's session from its code exchange: a random id, rotation 0, and where the callback sent the user. */
export function newSession(tokens: TokenSet, callback: { state: string; returnTo: string }, deps: Pick<CelonisAuthDeps, 'crypto' | 'now'>): StoredSession {
  const now = deps.now();
  return {
    sessionId: Array.from(randomBytes(deps, 16), (b) => b.toString(16).padStart(2, '0')).join(''),
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken ?? null,
    expiresAt: tokens.expiresAt,
    scopes: tokens.scopes,
    loginAt: now,
    rotation: 0,
    issuedAt: now,
    callbackState: callback.state,
    returnTo: callback.returnTo,
  };
}

/** The storage key prefix of one client of one team; the library touches no other keys. */
export function storageKeyPrefix(teamUrl: string, clientId: string): string {
  return `celonis-auth:v${VERSION}:${teamUrl}:${encodeURIComponent(clientId)}`;
}

/**
 * Keeps the session in one versioned record under one key, so a refresh writes access token,
 * rotated refresh token and expiry together or not at all. A record that cannot be read is
 * treated as absent and removed; storage that is unavailable or full falls back to memory.
 */
export class SessionRecordStore {
  #storage: StorageLike;
  readonly #key: string;
  readonly #warn: (message: string) => void;

  constructor(choice: StorageChoice, keyPrefix: string, deps: Pick<CelonisAuthDeps, 'localStorage' | 'sessionStorage' | 'currentUrl' | 'warn'>) {
    this.#key = `${keyPrefix}:session`;
    this.#warn = deps.warn;
    this.#storage = this.#open(choice, deps);
  }

  /**
   * The stored session; undefined when there is none or the record is corrupt (it is then
   * removed); `'unreadable'` when the storage itself failed, which says nothing about the session.
   */
  read(): StoredSession | undefined | 'unreadable' {
    let raw: string | null;
    try {
      raw = this.#storage.getItem(this.#key);
    } catch {
      return 'unreadable';
    }
    if (raw === null) return undefined;
    const session = parseRecord(raw);
    if (!session) {
      this.#warn('the stored session was not readable (corrupt or changed outside the library) and was dropped');
      this.#remove();
    }
    return session;
  }

  /** Stores `session` in one write; on a full or failing storage, moves to memory and warns. */
  write(session: StoredSession): void {
    const raw = JSON.stringify({ v: VERSION, ...session });
    try {
      this.#storage.setItem(this.#key, raw);
    } catch {
      this.#warn('session storage is full or unavailable; keeping the session in memory for this page only');
      this.#remove();
      this.#storage = createMemoryStorage();
      this.#storage.setItem(this.#key, raw);
    }
  }

  /** Removes the session. */
  clear(): void {
    this.#remove();
  }

  #remove(): void {
    try {
      this.#storage.removeItem(this.#key);
    } catch {
      // Storage that cannot remove cannot hold anything either.
    }
  }

  #open(choice: StorageChoice, deps: Pick<CelonisAuthDeps, 'localStorage' | 'sessionStorage' | 'currentUrl'>): StorageLike {
    if (choice === 'memory') return createMemoryStorage();
    const storage = typeof choice === 'object' ? choice : choice === 'local' ? deps.localStorage : deps.sessionStorage;
    if (storage && usable(storage, `${this.#key}:probe`)) return storage;
    // Without a page (server rendering, Node) the platform's storage, missing or half there (Node 25's
    // localStorage without a file), is not the app's to miss: memory is what is meant. A custom one always warns.
    if (typeof choice === 'object' || deps.currentUrl())
      this.#warn(`${typeof choice === 'object' ? 'the custom' : choice} storage is unavailable; keeping the session in memory for this page only`);
    return createMemoryStorage();
  }
}

function usable(storage: StorageLike, probeKey: string): boolean {
  try {
    storage.setItem(probeKey, '1');
    // Writes that cannot be read back would look like a sign-out at the next read.
    const readable = storage.getItem(probeKey) === '1';
    storage.removeItem(probeKey);
    return readable;
  } catch {
    return false;
  }
}

function parseRecord(raw: string): StoredSession | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  return (value as { v?: unknown } | null)?.v === VERSION ? parseSession(value) : undefined;
}

/**
 * Checks a session from outside this tab (a record, a message) field by field and copies it;
 * undefined when any field is missing or of the wrong type, or a token could not go into a header.
 */
export function parseSession(value: unknown): StoredSession | undefined {
  const r = value as Partial<StoredSession>;
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.sessionId !== 'string' ||
    // Tokens go into Authorization headers: a record holding anything else was not written by us.
    !isHeaderSafeToken(r.accessToken) ||
    !(r.refreshToken === null || isHeaderSafeToken(r.refreshToken)) ||
    typeof r.expiresAt !== 'number' ||
    !Number.isFinite(r.expiresAt) ||
    !Array.isArray(r.scopes) ||
    !r.scopes.every((s) => typeof s === 'string')
  ) {
    return undefined;
  }
  return {
    sessionId: r.sessionId,
    accessToken: r.accessToken,
    refreshToken: r.refreshToken,
    expiresAt: r.expiresAt,
    scopes: r.scopes,
    loginAt: typeof r.loginAt === 'number' && Number.isFinite(r.loginAt) ? r.loginAt : 0,
    rotation: typeof r.rotation === 'number' && Number.isInteger(r.rotation) ? r.rotation : 0,
    ...(typeof r.issuedAt === 'number' && Number.isFinite(r.issuedAt) ? { issuedAt: r.issuedAt } : {}),
    ...(typeof r.callbackState === 'string' ? { callbackState: r.callbackState } : {}),
    ...(isOwnPath(r.returnTo) ? { returnTo: r.returnTo } : {}),
  };
}
