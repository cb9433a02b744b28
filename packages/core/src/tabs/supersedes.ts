import type { StoredSession } from '../session/sessionRecordStore.js';

/**
 * Whether `candidate` should replace `current` when tabs disagree: a later login wins, and within
 * one login the later renewal wins. Anything else is a late view of something already replaced.
 */
export function supersedes(candidate: StoredSession, current: StoredSession | undefined): boolean {
  if (!current) return true;
  if (candidate.sessionId === current.sessionId) return candidate.rotation > current.rotation;
  return candidate.loginAt > current.loginAt;
}
