// Tabs whose messages and storage writes arrive late or out of order: the message alone keeps them
// in step, and a sign-out or a newer login wins over a refresh that lands after it.
import { describe, expect, it } from 'vitest';
import {
  CLIENT_ID,
  deferred,
  fakeBroadcastHub,
  fakeDeps,
  fakeFetch,
  fakeLocks,
  form,
  rotating,
  settle,
  TEAM_URL,
  tokenResponse,
} from '@celonis-auth/test-utils';
import { createCelonisAuth } from '../../createCelonisAuth.js';
import { createMemoryStorage } from '../../platform/memoryStorage.js';
import { storageKeyPrefix } from '../../session/sessionRecordStore.js';
import { seedSession, sessionKey, signIn, testConfig } from '../signIn.js';

/** The channel the tabs of one client talk on. */
const CHANNEL = `${storageKeyPrefix(TEAM_URL, CLIENT_ID)}:refresh:channel`;

/**
 * Chromium passes localStorage between tab processes asynchronously, so a tab can hear another
 * tab's message before that tab's write reaches its own view of storage (found by the dashboard's
 * end-to-end test). Here each tab has its own storage view and writes never propagate: the
 * message alone must keep the tabs in step.
 */
function tabsWithLateStorage() {
  const env = fakeDeps();
  const locks = fakeLocks();
  const hub = fakeBroadcastHub();
  let answered = 0;
  const net = fakeFetch((request) => rotating(request, answered++));
  const tab = () => {
    const storage = createMemoryStorage();
    seedSession(storage, { expiresAt: env.clock.now() + 600_000 });
    const auth = createCelonisAuth({ ...testConfig({ storage }), deps: { ...env.deps, fetch: net.fetch, locks, broadcast: hub.open } });
    auth.start();
    return auth;
  };
  return { tabA: tab(), tabB: tab(), hub, requests: net.requests };
}

describe('tabs whose view of shared storage lags behind the messages', () => {
  it("signs tab B out on tab A's sign-out message while B still sees the old record", () => {
    const { tabA, tabB } = tabsWithLateStorage();
    tabA.logout();
    expect(tabB.store.getState()).toMatchObject({ status: 'signedOut', accessToken: null });
  });

  it("adopts tab A's refreshed session from the message and never refreshes with the spent token", async () => {
    const { tabA, tabB, requests } = tabsWithLateStorage();
    await tabA.refresh();
    expect(tabB.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' });
    // B's own view still holds access-1/refresh-1: that older record must not win.
    await tabB.refresh();
    expect(requests.map((r) => form(r).refresh_token)).toEqual(['refresh-1', 'refresh-2']);
  });

  it.each([
    { name: 'a signedOut of another session', message: { type: 'signedOut', sessionId: 'session-2' } },
    {
      name: 'an older copy of this session',
      message: {
        type: 'session',
        kind: 'refresh',
        sessionId: 'session-1',
        session: { sessionId: 'session-1', accessToken: 'access-0', refreshToken: 'refresh-0', expiresAt: 1, scopes: ['studio'], rotation: 0 },
      },
    },
    {
      name: 'a session whose inner id differs',
      message: {
        type: 'session',
        kind: 'login',
        sessionId: 'session-1',
        session: { sessionId: 'session-9', accessToken: 'access-9', refreshToken: 'refresh-9', expiresAt: 8e12, scopes: [], loginAt: 8e12 },
      },
    },
    { name: 'a malformed session', message: { type: 'session', kind: 'login', sessionId: 'session-9', session: { sessionId: 'session-9', accessToken: 42 } } },
  ])('ignores $name', ({ message }) => {
    const { tabB, hub } = tabsWithLateStorage();
    const before = tabB.store.getState();
    hub.open(CHANNEL).postMessage(message);
    expect(tabB.store.getState()).toBe(before);
  });
});

/**
 * Tabs that do not hear each other in time (their messages are late or lost): what shared storage
 * says when a refresh lands must decide, and a sign-out or a newer login must win over it.
 */
function deafTabs() {
  const env = fakeDeps();
  const storage = createMemoryStorage();
  seedSession(storage, { expiresAt: env.clock.now() + 600_000 });
  const answer = deferred<Response>();
  let answered = 0;
  const net = fakeFetch((request) =>
    form(request).grant_type === 'authorization_code' ? tokenResponse(50) : answered++ === 0 ? answer.promise : tokenResponse(answered + 1),
  );
  const tab = () => createCelonisAuth({ ...testConfig({ storage }), deps: { ...env.deps, fetch: net.fetch, broadcast: undefined } });
  return { env, storage, answer, requests: net.requests, tabA: tab(), tabB: tab() };
}

describe('a refresh that lands after another tab changed the session', () => {
  it('does not undo a sign-out in another tab', async () => {
    const { storage, answer, tabA, tabB } = deafTabs();
    const refreshing = tabA.refresh();
    await settle();
    tabB.logout();
    answer.resolve(tokenResponse(2));
    await expect(refreshing).rejects.toMatchObject({ code: 'aborted' });
    expect(tabA.store.getState().status).toBe('signedOut');
    expect(storage.getItem(sessionKey())).toBeNull();
  });

  it('does not overwrite a newer login in another tab, and takes that login instead', async () => {
    const { env, storage, answer, tabA, tabB } = deafTabs();
    const refreshing = tabA.refresh();
    await settle();
    env.clock.advance(1_000);
    await signIn(tabB, env.page);
    answer.resolve(tokenResponse(2));
    await expect(refreshing).rejects.toMatchObject({ code: 'aborted' });
    expect(JSON.parse(storage.getItem(sessionKey()) ?? 'null')).toMatchObject({ accessToken: 'access-50' });
    expect(tabA.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-50' });
  });

  it('never takes back a session it signed out of when a late write brings it back', async () => {
    const { storage, tabA } = deafTabs();
    const record = storage.getItem(sessionKey())!;
    tabA.logout();
    storage.setItem(sessionKey(), record); // another tab's late refresh write of the old session
    await expect(tabA.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
    expect(tabA.store.getState().status).toBe('signedOut');
    expect(storage.getItem(sessionKey())).toBeNull();
  });
});
