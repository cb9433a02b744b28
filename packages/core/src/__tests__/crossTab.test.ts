import { describe, expect, it } from 'vitest';
import { deferred, fakeBroadcastHub, fakeDeps, fakeFetch, fakeLocks, form, oauthError, type Responder, rotating, settle, tokenResponse } from '@celonis-auth/test-utils';
import { createCelonisAuth } from '../createCelonisAuth.js';
import type { BroadcastLike } from '../platform/celonisAuthDeps.js';
import { createMemoryStorage } from '../platform/memoryStorage.js';
import { seedSession, sessionKey, signIn, testConfig } from './signIn.js';

/**
 * "Tabs" of one browser: one shared storage object (so the record is shared), one lock manager,
 * one broadcast hub, one clock and one network.
 */
function browser(respond: Responder = rotating) {
  const env = fakeDeps();
  const storage = createMemoryStorage();
  const locks = fakeLocks();
  const hub = fakeBroadcastHub();
  let answered = 0;
  const net = fakeFetch((request) => (form(request).grant_type === 'authorization_code' ? tokenResponse(1) : respond(request, answered++)));
  const tab = () => createCelonisAuth({ ...testConfig({ storage }), deps: { ...env.deps, fetch: net.fetch, locks, broadcast: hub.open } });
  return { ...env, storage, hub, requests: net.requests, tab };
}

/** Two started tabs sharing a session whose access token expires `inMs` from now. */
function twoTabs(inMs: number, respond?: Responder) {
  const b = browser(respond);
  seedSession(b.storage, { expiresAt: b.clock.now() + inMs });
  const tabA = b.tab();
  const tabB = b.tab();
  tabA.start();
  tabB.start();
  return { ...b, tabA, tabB };
}

describe('refresh across tabs in shared storage', () => {
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

  it("shows tab A's refreshed token in tab B's store after the broadcast", async () => {
    const { tabA, tabB, requests } = twoTabs(600_000);
    await tabA.refresh();
    expect(tabB.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' });
    await expect(tabB.getAccessToken()).resolves.toBe('access-2');
    expect(requests).toHaveLength(1);
  });

  it('refreshes once when the schedulers of both tabs fire together', async () => {
    const { tabA, tabB, timers, requests } = twoTabs(120_000);
    timers.advance(60_000);
    await settle();
    expect(requests).toHaveLength(1);
    expect([tabA.store.getState().accessToken, tabB.store.getState().accessToken]).toEqual(['access-2', 'access-2']);
  });

  it('signs tab B in when tab A completes a login', async () => {
    const b = browser();
    const tabA = b.tab();
    const tabB = b.tab();
    tabA.start();
    tabB.start();
    await signIn(tabA, b.page);
    expect(tabB.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
  });
});

describe('sign-out across tabs in shared storage', () => {
  it('signs tab B out when tab A logs out', async () => {
    const { tabA, tabB, storage, requests } = twoTabs(600_000);
    tabA.logout();
    expect(tabB.store.getState()).toMatchObject({ status: 'signedOut', accessToken: null });
    expect(storage.getItem(sessionKey())).toBeNull();
    await expect(tabB.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
    expect(requests).toHaveLength(0);
  });

  it('signs tab B out when tab A learns the session has ended (invalid_grant)', async () => {
    const { tabA, tabB } = twoTabs(600_000, () => oauthError('invalid_grant'));
    await expect(tabA.refresh()).rejects.toMatchObject({ code: 'session_expired' });
    expect(tabB.store.getState().status).toBe('signedOut');
  });

  it('cancels the refresh tab B was queueing when tab A logs out meanwhile', async () => {
    const answer = deferred<Response>();
    const { tabA, tabB, requests } = twoTabs(-1_000, () => answer.promise);
    const a = tabA.getAccessToken();
    await settle();
    const b = tabB.getAccessToken();
    tabA.logout();
    answer.resolve(tokenResponse(2));
    await expect(a).rejects.toMatchObject({ code: 'aborted' });
    await expect(b).rejects.toMatchObject({ code: 'aborted' });
    expect(requests).toHaveLength(1);
    expect([tabA.store.getState().status, tabB.store.getState().status]).toEqual(['signedOut', 'signedOut']);
  });
});

/**
 * Per-tab storage ('session', the default, or 'memory'): each tab has its own record and follows
 * only messages about its own session id (a duplicated tab shares one). A duplicated tab's copied
 * sessionStorage cannot be built without patching globals, so its messages are played on the hub.
 */
describe('per-tab storage', () => {
  function perTabBrowser(respond: Responder = rotating) {
    const env = fakeDeps();
    const hub = fakeBroadcastHub();
    const names: string[] = [];
    let answered = 0;
    const net = fakeFetch((request) => (form(request).grant_type === 'authorization_code' ? tokenResponse(1) : respond(request, answered++)));
    const broadcast = (name: string): BroadcastLike => (names.push(name), hub.open(name));
    const tab = () => createCelonisAuth({ ...testConfig({ storage: 'memory' }), deps: { ...env.deps, fetch: net.fetch, broadcast } });
    /** A channel of the same name, posting as a duplicated tab would. */
    const duplicate = () => hub.open(names[0]!);
    return { ...env, hub, requests: net.requests, tab, duplicate };
  }

  async function signedInTab(b: ReturnType<typeof perTabBrowser>) {
    const auth = b.tab();
    auth.start();
    await signIn(auth, b.page);
    const sessionId = (b.hub.sent.at(-1) as { sessionId: string }).sessionId;
    return { auth, sessionId };
  }

  it('leaves a tab with another session alone when a tab refreshes or logs out', async () => {
    const b = perTabBrowser((_request, i) => rotating(_request, i + 10));
    const one = await signedInTab(b);
    const other = await signedInTab(b);
    expect(one.sessionId).not.toBe(other.sessionId);
    const before = other.auth.store.getState();
    await one.auth.refresh();
    one.auth.logout();
    expect(other.auth.store.getState()).toBe(before);
    expect(other.auth.store.getState().status).toBe('authenticated');
  });

  it("adopts a refreshed session sent for this tab's session id (a duplicated tab), without a request", async () => {
    const b = perTabBrowser();
    const { auth, sessionId } = await signedInTab(b);
    const expiresAt = b.clock.now() + 899_000;
    b.duplicate().postMessage({ type: 'session', kind: 'refresh', sessionId, session: { sessionId, accessToken: 'access-9', refreshToken: 'refresh-9', expiresAt, scopes: ['studio'], rotation: 1 } });
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-9', expiresAt });
    await expect(auth.getAccessToken()).resolves.toBe('access-9');
    await auth.refresh();
    expect(b.requests.filter((r) => form(r).grant_type === 'refresh_token').map((r) => form(r).refresh_token)).toEqual(['refresh-9']);
  });

  it("signs out on a signedOut message for this tab's session id", async () => {
    const b = perTabBrowser();
    const { auth, sessionId } = await signedInTab(b);
    b.duplicate().postMessage({ type: 'signedOut', sessionId });
    expect(auth.store.getState().status).toBe('signedOut');
  });

  it.each([
    { name: 'a session of another id', message: (id: string) => ({ type: 'session', sessionId: `${id}x`, session: { sessionId: `${id}x`, accessToken: 'access-9', refreshToken: 'r', expiresAt: 1, scopes: [] } }) },
    { name: 'a signedOut of another id', message: (id: string) => ({ type: 'signedOut', sessionId: `${id}x` }) },
    { name: 'a session message without a session', message: (id: string) => ({ type: 'session', sessionId: id }) },
    { name: 'a malformed session for this id', message: (id: string) => ({ type: 'session', sessionId: id, session: { sessionId: id, accessToken: 42 } }) },
    { name: 'a session whose inner id differs', message: (id: string) => ({ type: 'session', sessionId: id, session: { sessionId: `${id}x`, accessToken: 'access-9', refreshToken: 'refresh-9', expiresAt: 1, scopes: [] } }) },
    { name: 'an unknown type', message: (id: string) => ({ type: 'hello', sessionId: id }) },
    { name: 'null', message: () => null },
    { name: 'a string', message: () => 'signedOut' },
  ])('ignores $name', async ({ message }) => {
    const b = perTabBrowser();
    const { auth, sessionId } = await signedInTab(b);
    const before = auth.store.getState();
    b.duplicate().postMessage(message(sessionId));
    expect(auth.store.getState()).toBe(before);
    await expect(auth.getAccessToken({ forceRefresh: true })).resolves.toBe('access-2');
    expect(b.requests.filter((r) => form(r).grant_type === 'refresh_token').map((r) => form(r).refresh_token)).toEqual(['refresh-1']);
  });
});
