import type { StoredSession } from '../session/sessionRecordStore.js';
import type { TabMessage } from './tabChannel.js';

/**
 * What a tab does with news from another tab:
 * - `keep`: nothing (old news, a storage hiccup, or not about this tab's session);
 * - `adopt`: take the other tab's session as its own;
 * - `signOut`: the session ended elsewhere, end it here too (without telling the others again);
 * - `forget`: remove the stored record (a session this tab signed out of, written back late).
 */
export type Adoption = 'keep' | 'adopt' | 'signOut' | 'forget';

/** Sessions this tab signed out of: a late write or message must never bring one back. */
export type SignedOutSessions = readonly string[];

/**
 * Whether `candidate` should replace `current` when tabs disagree: a later login wins, and within
 * one login the later renewal wins. Anything else is a late view of something already replaced.
 */
export function supersedes(candidate: StoredSession, current: StoredSession | undefined): boolean {
  if (!current) return true;
  if (candidate.sessionId === current.sessionId) return candidate.rotation > current.rotation;
  return candidate.loginAt > current.loginAt;
}

/** The rule for a shared storage record read again (after a wake, or inside the refresh lock). */
export function judgeStoredRecord(stored: StoredSession | undefined | 'unreadable', own: StoredSession | undefined, signedOut: SignedOutSessions): Adoption {
  // A storage hiccup is not a sign-out in another tab: keep what this tab has.
  if (stored === 'unreadable' || stored?.accessToken === own?.accessToken) return 'keep';
  if (!stored) return own ? 'signOut' : 'keep';
  if (signedOut.includes(stored.sessionId)) return 'forget';
  // Otherwise an older view (of this session, or of an earlier login) is only late news.
  return supersedes(stored, own) ? 'adopt' : 'keep';
}

/**
 * The rule for a message from another tab. A renewal concerns only the tabs holding that session,
 * and per-tab storage (`shared` false) follows only its own session (a duplicated tab's copy);
 * a sign-out here is final.
 */
export function judgeMessage(message: TabMessage, own: StoredSession | undefined, shared: boolean, signedOut: SignedOutSessions): Adoption {
  if (message.type === 'signedOut') return own?.sessionId === message.sessionId ? 'signOut' : 'keep';
  const { kind, session } = message;
  const foreign = own?.sessionId !== session.sessionId;
  if (signedOut.includes(session.sessionId) || (foreign && (kind === 'refresh' || !shared))) return 'keep';
  return supersedes(session, own) ? 'adopt' : 'keep';
}
