import { describe, expect, it } from 'vitest';
import type { StoredSession } from '../../session/sessionRecordStore.js';
import { DEFAULT_MIN_VALIDITY_SECONDS, isUnexpired, usableToken, type TokenNeed } from '../../session/tokenFreshness.js';

const NOW = 1_000_000;
const session = (secondsLeft: number): StoredSession => ({
  sessionId: 's',
  accessToken: 'access-1',
  refreshToken: 'refresh-1',
  expiresAt: NOW + secondsLeft * 1000,
  scopes: ['studio'],
  loginAt: 0,
  rotation: 0,
});

describe('usableToken: the one "good enough, or refresh" rule', () => {
  it.each<[string, StoredSession | undefined, TokenNeed, string | undefined]>([
    ['no session', undefined, {}, undefined],
    ['a token valid for an hour', session(3600), {}, 'access-1'],
    [`a token valid for exactly the default ${DEFAULT_MIN_VALIDITY_SECONDS} s`, session(DEFAULT_MIN_VALIDITY_SECONDS), {}, undefined],
    ['a token valid for a little more than the default', session(DEFAULT_MIN_VALIDITY_SECONDS + 0.001), {}, 'access-1'],
    ['an expired token', session(-1), {}, undefined],
    ['a token valid for 30 s when 60 s are needed', session(30), { minValiditySeconds: 60 }, undefined],
    ['a token valid for 1 s when 0 s are needed', session(1), { minValiditySeconds: 0 }, 'access-1'],
    ['a valid token when a refresh is forced', session(3600), { forceRefresh: true }, undefined],
    ['the token an API just rejected', session(3600), { rejected: 'access-1' }, undefined],
    ['a valid token other than the rejected one', session(3600), { rejected: 'access-0' }, 'access-1'],
  ])('%s', (_, current, need, expected) => {
    expect(usableToken(current, NOW, need)).toBe(expected);
  });

  it('isUnexpired is the zero-second need', () => {
    expect(isUnexpired(session(0.001), NOW)).toBe(true);
    expect(isUnexpired(session(0), NOW)).toBe(false);
    expect(isUnexpired(undefined, NOW)).toBe(false);
  });
});
