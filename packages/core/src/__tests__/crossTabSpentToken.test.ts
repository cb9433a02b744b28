import { describe, expect, it } from 'vitest';
import { fakeDeps, fakeFetch, fakeLocks, form, rotating } from '@celonis-auth/test-utils';
import { createCelonisAuth } from '../createCelonisAuth.js';
import type { StorageLike } from '../platform/celonisAuthDeps.js';
import { createMemoryStorage } from '../platform/memoryStorage.js';
import { seedSession, sessionKey, testConfig } from './signIn.js';

/**
 * The lock grant can reach a tab before another tab's storage write and message do (they travel
 * separate channels between tab processes). The lock manager is the one state every tab sees at
 * once, so a tab marks the refresh token it rotated there, and the next tab never resends it.
 */
function tabsWhereBSeesNothingYet() {
  const env = fakeDeps({ timers: { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) } });
  const locks = fakeLocks();
  const shared = createMemoryStorage();
  seedSession(shared, { expiresAt: env.clock.now() - 1_000 });
  // Tab B's view of the shared storage is frozen until the test lets the write through.
  let frozen: Map<string, string | null> | undefined;
  const lagging: StorageLike = {
    getItem: (key) => (frozen?.has(key) ? frozen.get(key)! : shared.getItem(key)),
    setItem: (key, value) => shared.setItem(key, value),
    removeItem: (key) => shared.removeItem(key),
  };
  let answered = 0;
  const net = fakeFetch((request) => rotating(request, answered++));
  // No broadcast: the message is late too.
  const open = (storage: StorageLike) => createCelonisAuth({ ...testConfig({ storage }), deps: { ...env.deps, fetch: net.fetch, locks, broadcast: undefined } });
  const tabA = open(shared);
  const tabB = open(lagging);
  const freezeB = () => {
    frozen = new Map([[sessionKey(), shared.getItem(sessionKey())]]);
  };
  return { tabA, tabB, locks, requests: net.requests, freezeB, thawB: () => (frozen = undefined) };
}

describe('a tab that holds the refresh lock before it sees the other tab’s rotation', () => {
  it('waits for the rotated session instead of sending the spent refresh token', async () => {
    const { tabA, tabB, requests, freezeB, thawB } = tabsWhereBSeesNothingYet();
    freezeB();
    const [a, b] = [tabA.getAccessToken(), tabB.getAccessToken()];
    await expect(a).resolves.toBe('access-2');
    // A has released the lock; B holds it now, with the old record still in view.
    setTimeout(thawB, 120);
    await expect(b).resolves.toBe('access-2');
    expect(requests.map((r) => form(r).refresh_token)).toEqual(['refresh-1']);
  });

  it('gives up with "aborted" (and sends nothing) when the rotation never shows up', async () => {
    const { tabA, tabB, requests, freezeB } = tabsWhereBSeesNothingYet();
    freezeB();
    await tabA.refresh();
    await expect(tabB.refresh()).rejects.toMatchObject({ code: 'aborted' });
    expect(requests).toHaveLength(1);
    expect(tabB.store.getState().status).not.toBe('signedOut');
  }, 10_000);

  it('refreshes normally with a token that was not rotated (a server that keeps refresh tokens)', async () => {
    const { tabA, locks, requests } = tabsWhereBSeesNothingYet();
    expect(await tabA.refresh()).toBe('access-2');
    expect(await tabA.refresh()).toBe('access-3');
    expect(requests.map((r) => form(r).refresh_token)).toEqual(['refresh-1', 'refresh-2']);
    // Marks are bounded: at most two per tab.
    expect(locks.held().filter((name) => name.includes(':spent:')).length).toBeLessThanOrEqual(2);
  });

  it('releases its marks on sign-out', async () => {
    const { tabA, locks } = tabsWhereBSeesNothingYet();
    await tabA.refresh();
    expect(locks.held().some((name) => name.includes(':spent:'))).toBe(true);
    tabA.logout();
    await Promise.resolve();
    expect(locks.held().some((name) => name.includes(':spent:'))).toBe(false);
  });
});
