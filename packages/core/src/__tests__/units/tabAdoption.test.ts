import { describe, expect, it } from 'vitest';
import type { StoredSession } from '../../session/sessionRecordStore.js';
import { judgeMessage, judgeStoredRecord, supersedes, type Adoption } from '../../tabs/tabAdoption.js';
import type { TabMessage } from '../../tabs/tabChannel.js';

const session = (sessionId: string, rotation: number, loginAt = 100): StoredSession => ({
  sessionId,
  accessToken: `access-${sessionId}-${rotation}`,
  refreshToken: `refresh-${sessionId}-${rotation}`,
  expiresAt: 10_000,
  scopes: ['studio'],
  loginAt,
  rotation,
});
const own = session('a', 1);

describe('supersedes: a later login wins, within a login the later renewal wins', () => {
  it.each<[string, StoredSession, StoredSession | undefined, boolean]>([
    ['anything over nothing', session('a', 0), undefined, true],
    ['a later rotation of the same login', session('a', 2), own, true],
    ['the same rotation', session('a', 1), own, false],
    ['an older rotation (late news)', session('a', 0), own, false],
    ['a later login', session('b', 0, 200), own, true],
    ['an earlier login', session('b', 5, 50), own, false],
  ])('%s', (_, candidate, current, expected) => {
    expect(supersedes(candidate, current)).toBe(expected);
  });
});

describe('judgeStoredRecord: what a re-read of shared storage means', () => {
  it.each<[string, StoredSession | undefined | 'unreadable', StoredSession | undefined, string[], Adoption]>([
    ['a storage that failed to read: keep (not a sign-out)', 'unreadable', own, [], 'keep'],
    ['the same token: keep', { ...own }, own, [], 'keep'],
    ['no record while this tab has a session: signed out elsewhere', undefined, own, [], 'signOut'],
    ['no record and no session: keep', undefined, undefined, [], 'keep'],
    ['a newer rotation: adopt', session('a', 2), own, [], 'adopt'],
    ['an older rotation: keep', session('a', 0), own, [], 'keep'],
    ['a session this tab signed out of, written back late: forget it', session('a', 3), undefined, ['a'], 'forget'],
    ['a later login in another tab: adopt', session('b', 0, 200), own, [], 'adopt'],
  ])('%s', (_, stored, current, signedOut, expected) => {
    expect(judgeStoredRecord(stored, current, signedOut)).toBe(expected);
  });
});

describe('judgeMessage: what a message from another tab means', () => {
  const renewed = (s: StoredSession, kind: 'login' | 'refresh' = 'refresh'): TabMessage => ({ type: 'session', kind, sessionId: s.sessionId, session: s });
  it.each<[string, TabMessage, StoredSession | undefined, boolean, string[], Adoption]>([
    ['a sign-out of this session', { type: 'signedOut', sessionId: 'a' }, own, true, [], 'signOut'],
    ['a sign-out of another session', { type: 'signedOut', sessionId: 'b' }, own, true, [], 'keep'],
    ['a renewal of this session', renewed(session('a', 2)), own, true, [], 'adopt'],
    ['an older renewal of this session', renewed(session('a', 0)), own, true, [], 'keep'],
    ['a renewal of another session', renewed(session('b', 3, 200)), own, true, [], 'keep'],
    ['a later login in shared storage', renewed(session('b', 0, 200), 'login'), own, true, [], 'adopt'],
    ['a later login with per-tab storage (not this tab’s session)', renewed(session('b', 0, 200), 'login'), own, false, [], 'keep'],
    ['a renewal of this session with per-tab storage (a duplicated tab)', renewed(session('a', 2)), own, false, [], 'adopt'],
    ['a renewal of a session this tab signed out of', renewed(session('a', 2)), undefined, true, ['a'], 'keep'],
  ])('%s', (_, message, current, shared, signedOut, expected) => {
    expect(judgeMessage(message, current, shared, signedOut)).toBe(expected);
  });
});
