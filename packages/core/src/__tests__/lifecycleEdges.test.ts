import { describe, expect, it, vi } from 'vitest';
import { callbackFor, deferred, fakeDeps, fakeFetch, flakyStorage, tokenResponse } from '@celonis-auth/test-utils';
import { createCelonisAuth } from '../createCelonisAuth.js';
import { createMemoryStorage } from '../platform/memoryStorage.js';
import { signedIn, testConfig } from './signIn.js';

describe('logout() while a sign-in completes', () => {
  it('wins: the code exchange that lands afterwards stores nothing and rejects with aborted', async () => {
    const env = fakeDeps();
    const storage = createMemoryStorage();
    const answer = deferred<Response>();
    const net = fakeFetch(() => answer.promise);
    const auth = createCelonisAuth({ ...testConfig({ storage }), deps: { ...env.deps, fetch: net.fetch } });
    await auth.login();
    env.page.url = callbackFor(env.page.navigations[0]!);
    const callback = auth.handleRedirectCallback();
    // Reading the transaction back goes through Web Crypto: wait for the exchange to be under way.
    await vi.waitFor(() => expect(net.requests).toHaveLength(1));
    auth.logout();
    answer.resolve(tokenResponse(1));
    await expect(callback).rejects.toMatchObject({ code: 'aborted' });
    expect(auth.store.getState().status).toBe('signedOut');
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
  });
});

describe('logout() with a transaction storage that throws', () => {
  it('still signs out, and does not throw', async () => {
    const flaky = flakyStorage();
    const { auth } = await signedIn({ deps: { transactionStorage: flaky.storage } });
    flaky.failures.remove = true;
    expect(() => auth.logout()).not.toThrow();
    expect(auth.store.getState().status).toBe('signedOut');
  });
});

describe('getAccessToken() arguments', () => {
  it.each([Number.NaN, -1, Number.POSITIVE_INFINITY, '5' as unknown as number])(
    'throws a TypeError synchronously for minValiditySeconds %s, sending nothing',
    async (minValiditySeconds) => {
      const { auth, requests } = await signedIn();
      expect(() => auth.getAccessToken({ minValiditySeconds })).toThrow(expect.objectContaining({ name: 'CodedTypeError', code: 'invalid_argument' }));
      expect(requests).toHaveLength(0);
    },
  );
});
