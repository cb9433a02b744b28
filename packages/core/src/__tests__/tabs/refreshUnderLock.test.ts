// A refresh is single-flight across tabs: it runs under the refresh lock with the record re-read
// inside it, each rotated refresh token is marked as spent in the lock manager, and a hung request
// frees the lock for the next tab.
import { describe, expect, it } from 'vitest';
import { deferred, fakeDeps, fakeFetch, fakeLocks, form, rotating, settle, tokenResponse } from '@celonis-auth/test-utils';
import { createCelonisAuth } from '../../createCelonisAuth.js';
import { TOKEN_REQUEST_TIMEOUT_MS } from '../../http/requestTokens.js';
import type { StorageLike } from '../../platform/celonisAuthDeps.js';
import { createMemoryStorage } from '../../platform/memoryStorage.js';
import { seedSession, sessionKey, testConfig } from '../signIn.js';
import { twoTabs } from './sharedBrowser.js';

describe('refresh across tabs in shared storage: one token request, under the refresh lock', () => {
  it('sends one token request when two tabs need a token at once, and both get the same token', async () => {
    const { tabA, tabB, requests } = twoTabs(-1_000);
    const tokens = await Promise.all([tabA.getAccessToken(), tabB.getAccessToken()]);
    expect(tokens).toEqual(['access-2', 'access-2']);
    expect(requests).toHaveLength(1);
    expect(form(requests[0]!).refresh_token).toBe('refresh-1');
  });

  it('still sends one request when the refresh takes a while and the other tab queues behind the lock', async () => {
    const answer = deferred<Response>();
    const { tabA, tabB, requests } = twoTabs(-1_000, () => answer.promise);
    const a = tabA.getAccessToken();
    await settle();
    const b = tabB.getAccessToken();
    await settle();
    expect(requests).toHaveLength(1);
    answer.resolve(tokenResponse(2));
    await expect(Promise.all([a, b])).resolves.toEqual(['access-2', 'access-2']);
    expect(requests).toHaveLength(1);
  });

  it('uses the rotated refresh token in the other tab, never the old one', async () => {
    const { tabA, tabB, requests } = twoTabs(600_000);
    await tabA.refresh();
    await tabB.refresh();
    await tabA.refresh();
    expect(requests.map((r) => form(r).refresh_token)).toEqual(['refresh-1', 'refresh-2', 'refresh-3']);
  });

  it('lets the other tab read the rotated record inside the lock even when it missed the message', async () => {
    const { tabA, tab, requests, clock } = twoTabs(600_000);
    const tabC = tab(); // never started: hears no messages
    await tabA.refresh();
    clock.advance(600_000);
    await expect(tabC.getAccessToken()).resolves.toBe('access-2');
    expect(requests).toHaveLength(1);
  });

  it('refreshes once when the schedulers of both tabs fire together', async () => {
    const { tabA, tabB, timers, requests } = twoTabs(120_000);
    timers.advance(60_000);
    await settle();
    expect(requests).toHaveLength(1);
    expect([tabA.store.getState().accessToken, tabB.store.getState().accessToken]).toEqual(['access-2', 'access-2']);
  });
});

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
  const open = (storage: StorageLike) =>
    createCelonisAuth({ ...testConfig({ storage }), deps: { ...env.deps, fetch: net.fetch, locks, broadcast: undefined } });
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

describe('a token request that never answers', () => {
  it('fails with network_error after the timeout and frees the refresh lock for the next tab', async () => {
    const env = fakeDeps();
    const storage = createMemoryStorage();
    seedSession(storage, { expiresAt: env.clock.now() - 1_000 });
    const locks = fakeLocks();
    let calls = 0;
    const hanging: typeof fetch = (_input, init) => {
      calls += 1;
      if (calls > 1) return Promise.resolve(tokenResponse(2));
      return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    };
    const tab = () => createCelonisAuth({ ...testConfig({ storage }), deps: { ...env.deps, fetch: hanging, locks, broadcast: undefined } });
    const tabA = tab();
    const tabB = tab();
    const a = tabA.getAccessToken();
    const b = tabB.getAccessToken();
    await settle();
    expect(calls).toBe(1);
    env.timers.advance(TOKEN_REQUEST_TIMEOUT_MS);
    await expect(a).rejects.toMatchObject({ code: 'network_error' });
    await expect(b).resolves.toBe('access-2');
    expect(tabA.store.getState().error).toMatchObject({ code: 'network_error' });
  });
});
