import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { createCelonisAuth, createMemoryStorage } from '@celonis-auth/core';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

function browser() {
  let url = 'http://localhost:5173/reports?id=1';
  const navigations: string[] = [];
  return {
    navigations,
    get url() {
      return url;
    },
    set url(next: string) {
      url = next;
    },
    deps: {
      navigate: (next: string) => void navigations.push(next),
      currentUrl: () => url,
      replaceUrl: (next: string) => void (url = next),
      transactionStorage: createMemoryStorage(),
      broadcast: undefined,
      locks: undefined,
      onWake: undefined,
    },
  };
}

it('signs in, calls an API, refreshes with rotation and signs out', async () => {
  const page = browser();
  const auth = createCelonisAuth({
    teamUrl: emulator.url,
    clientId: 'dashboard',
    redirectUri: 'http://localhost:5173/callback',
    scopes: ['studio', 'intelligence.knowledge-models:read'],
    storage: 'memory',
    deps: page.deps,
  });
  await auth.login();
  expect(auth.store.getState().status).toBe('redirecting');
  const location = emulator.approve(page.navigations[0]!, { username: 'analyst@example.com' });
  page.url = location;
  const result = await auth.handleRedirectCallback();
  expect(result.returnTo).toBe('/reports?id=1');
  expect(page.url).toBe('http://localhost:5173/callback');
  expect(auth.store.getState()).toMatchObject({ status: 'authenticated', scopes: ['studio', 'intelligence.knowledge-models:read'] });
  const res = await auth.fetch('/intelligence/api/knowledge-models');
  expect(res.status).toBe(200);
  const first = auth.store.getState().accessToken;
  const refreshed = await auth.refresh();
  expect(refreshed).not.toBe(first);
  await auth.refresh();
  expect(
    emulator
      .requests('token')
      .filter((r) => r.grantType === 'refresh_token')
      .map((r) => r.status),
  ).toEqual([200, 200]);
  auth.logout();
  expect(auth.store.getState().status).toBe('signedOut');
  await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
});
