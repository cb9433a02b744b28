// Tabs keep in step through their messages: a tab adopts the session another tab refreshed or
// signed in, follows a sign-out, and ignores what is not about its own session.
import { describe, expect, it } from 'vitest';
import { deferred, fakeBroadcastHub, fakeDeps, fakeFetch, form, oauthError, type Responder, rotating, settle, tokenResponse } from '@celonis-auth/test-utils';
import { createCelonisAuth } from '../../createCelonisAuth.js';
import type { BroadcastLike } from '../../platform/celonisAuthDeps.js';
import { sessionKey, signIn, testConfig } from '../signIn.js';
import { sharedBrowser, twoTabs } from './sharedBrowser.js';

describe('a tab adopts what another tab in shared storage broadcasts', () => {
  it("shows tab A's refreshed token in tab B's store after the broadcast", async () => {
    const { tabA, tabB, requests } = twoTabs(600_000);
    await tabA.refresh();
    expect(tabB.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' });
    await expect(tabB.getAccessToken()).resolves.toBe('access-2');
    expect(requests).toHaveLength(1);
  });

  it('signs tab B in when tab A completes a login', async () => {
    const b = sharedBrowser();
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
describe('per-tab storage: a tab follows only the messages about its own session id', () => {
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
    b.duplicate().postMessage({
      type: 'session',
      kind: 'refresh',
      sessionId,
      session: { sessionId, accessToken: 'access-9', refreshToken: 'refresh-9', expiresAt, scopes: ['studio'], rotation: 1 },
    });
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
    {
      name: 'a session of another id',
      message: (id: string) => ({
        type: 'session',
        sessionId: `${id}x`,
        session: { sessionId: `${id}x`, accessToken: 'access-9', refreshToken: 'r', expiresAt: 1, scopes: [] },
      }),
    },
    { name: 'a signedOut of another id', message: (id: string) => ({ type: 'signedOut', sessionId: `${id}x` }) },
    { name: 'a session message without a session', message: (id: string) => ({ type: 'session', sessionId: id }) },
    { name: 'a malformed session for this id', message: (id: string) => ({ type: 'session', sessionId: id, session: { sessionId: id, accessToken: 42 } }) },
    {
      name: 'a session whose inner id differs',
      message: (id: string) => ({
        type: 'session',
        sessionId: id,
        session: { sessionId: `${id}x`, accessToken: 'access-9', refreshToken: 'refresh-9', expiresAt: 1, scopes: [] },
      }),
    },
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
