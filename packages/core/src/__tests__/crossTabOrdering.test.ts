import { describe, expect, it } from 'vitest';
import { deferred, fakeDeps, fakeFetch, fakeLocks, form, settle, tokenResponse } from '@celonis-auth/test-utils';
import { createCelonisAuth } from '../createCelonisAuth.js';
import { createMemoryStorage } from '../platform/memoryStorage.js';
import { TOKEN_REQUEST_TIMEOUT_MS } from '../http/requestTokens.js';
import { seedSession, sessionKey, signIn, testConfig } from './signIn.js';

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
  const net = fakeFetch((request) => (form(request).grant_type === 'authorization_code' ? tokenResponse(50) : answered++ === 0 ? answer.promise : tokenResponse(answered + 1)));
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
