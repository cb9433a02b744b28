import { isHeaderSafeToken, parseJson } from '@celonis-auth/core/protocol';
import { readCookies } from './bffCookies.js';
import { RANDOM_TOKEN, sha256Base64url } from './bffIds.js';
import type { BffSettings } from './bffSettings.js';

/** A signed-in session as the store keeps it (sealed): the tokens never leave the server. */
export interface SessionRecord {
  accessToken: string;
  /** `null` when the team issued none: the session then ends with its access token. */
  refreshToken: string | null;
  /** When the access token expires, ms since the epoch. */
  expiresAt: number;
  /** The granted scopes. */
  scopes: string[];
  /** When the user signed in: the absolute timeout counts from here. */
  createdAt: number;
  /** The last use: the idle timeout counts from here. */
  lastSeenAt: number;
}

/** The browser's session cookie, as far as the BFF can tell. */
export interface SessionCookie {
  /** Whether the request carried the cookie at all (an unusable one is cleared). */
  present: boolean;
  /** SHA-256 of the session id: the store key and the lock name are made from it, never from the id. */
  hash: string | null;
}

/** The idle timeout slides in steps of at most this, so a busy session is not rewritten on every request. */
export const MAX_TOUCH_INTERVAL_MS = 60_000;

/** Reads the session cookie of `request`; a value of another shape than the BFF's ids has no session. */
export function sessionCookie(settings: BffSettings, request: Request): SessionCookie {
  const value = readCookies(request).get(settings.cookie.name);
  if (value === undefined) return { present: false, hash: null };
  return { present: true, hash: RANDOM_TOKEN.test(value) ? sha256Base64url(value) : null };
}

/** The store key of the session whose id hashes to `hash`. */
export function sessionKey(hash: string): string {
  return `session:${hash}`;
}

/** The lock every write of the session's record takes (refresh, touch), so no write loses another's tokens. */
export function sessionLockName(hash: string): string {
  return `refresh:${hash}`;
}

/**
 * The session record, or `null` when there is none, or it is unreadable (another key, tampered,
 * malformed) or past its idle or absolute timeout; such a record is deleted. Store failures reject.
 */
export async function readSession(settings: BffSettings, hash: string): Promise<SessionRecord | null> {
  const key = sessionKey(hash);
  const sealed = await settings.store.get(key);
  if (sealed === null) return null;
  const text = settings.sealer.open(sealed, key);
  const record = text === null ? undefined : parseSession(text);
  if (record && sessionTtlMs(settings, record) > 0) return record;
  settings.logger.warn(`celonis-auth BFF: a session record was ${record ? 'past its timeout' : 'unreadable (another key, tampered or malformed)'}; signed out`);
  await settings.store.delete(key);
  return null;
}

/** Stores `record` sealed, with a TTL of whichever timeout comes first; a record already past both is deleted. */
export async function writeSession(settings: BffSettings, hash: string, record: SessionRecord): Promise<void> {
  const key = sessionKey(hash);
  const ttl = sessionTtlMs(settings, record);
  if (ttl <= 0) return settings.store.delete(key);
  await settings.store.set(key, settings.sealer.seal(JSON.stringify(record), key), ttl);
}

/**
 * Slides the idle timeout when the last touch is older than a tenth of it (at most a minute): under
 * the session's lock, on a fresh read, so a concurrent refresh's tokens are never overwritten. Skipped
 * when the lock is busy (whoever holds it writes the record anyway).
 */
export async function touchSession(settings: BffSettings, hash: string, record: SessionRecord): Promise<void> {
  if (settings.now() - record.lastSeenAt < Math.min(MAX_TOUCH_INTERVAL_MS, settings.idleMs / 10)) return;
  const lock = await settings.store.lock(sessionLockName(hash), { leaseMs: 10_000, waitMs: 0 });
  if (!lock) return;
  try {
    const current = await readSession(settings, hash);
    if (current) await writeSession(settings, hash, { ...current, lastSeenAt: settings.now() });
  } finally {
    await lock.release();
  }
}

/** Milliseconds until `record` reaches its idle or absolute timeout. */
export function sessionTtlMs(settings: BffSettings, record: SessionRecord): number {
  return Math.min(record.lastSeenAt + settings.idleMs, record.createdAt + settings.absoluteMs) - settings.now();
}

function parseSession(text: string): SessionRecord | undefined {
  const r = parseJson(text) as Partial<Record<keyof SessionRecord, unknown>> | null | undefined;
  if (typeof r !== 'object' || r === null) return undefined;
  const { accessToken, refreshToken, expiresAt, scopes, createdAt, lastSeenAt } = r;
  if (!isHeaderSafeToken(accessToken) || (refreshToken !== null && !isHeaderSafeToken(refreshToken))) return undefined;
  if (![expiresAt, createdAt, lastSeenAt].every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) return undefined;
  return {
    accessToken,
    refreshToken,
    expiresAt: expiresAt as number,
    scopes,
    createdAt: createdAt as number,
    lastSeenAt: lastSeenAt as number,
  };
}
