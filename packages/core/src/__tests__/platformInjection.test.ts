// Every random value and every platform piece comes from deps: these pin down the seams that used to reach globals.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCelonisAuth, type CelonisAuthDeps, type CryptoLike } from '@celonis-auth/core';
import { callbackFor, fakeDeps, fakeFetch, tokenResponse } from '@celonis-auth/test-utils';
import { testConfig } from './signIn.js';

/** Web Crypto whose random bytes are a known sequence (0, 1, 2, …, continuing across calls). */
function countingCrypto() {
  let next = 0;
  const calls: number[] = [];
  const crypto: CryptoLike = {
    getRandomValues<T extends ArrayBufferView>(array: T): T {
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      calls.push(bytes.length);
      for (let i = 0; i < bytes.length; i++) bytes[i] = next++ % 256;
      return array;
    },
    subtle: globalThis.crypto.subtle,
  };
  return { crypto, calls };
}

const base64url = (bytes: number[]) => Buffer.from(bytes).toString('base64url');
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => (from + i) % 256);

function client(deps: Partial<CelonisAuthDeps>) {
  const env = fakeDeps(deps);
  const net = fakeFetch(() => tokenResponse(1));
  const auth = createCelonisAuth({ ...testConfig(), deps: { ...env.deps, fetch: net.fetch } });
  return { ...env, auth, requests: net.requests };
}

describe('randomness comes from deps.crypto', () => {
  it('makes a 256-bit state and the PKCE verifier from deps.crypto, and the challenge is S256 of that verifier', async () => {
    const { crypto, calls } = countingCrypto();
    const { auth, page, requests } = client({ crypto });
    await auth.login();
    const params = new URL(page.navigations[0]!).searchParams;
    // 32 bytes each: the state first, then the verifier.
    expect(calls.slice(0, 2)).toEqual([32, 32]);
    expect(params.get('state')).toBe(base64url(range(0, 32)));
    expect(params.get('state')).toHaveLength(43);
    const verifier = base64url(range(32, 32));
    expect(params.get('code_challenge')).toBe(createHash('sha256').update(verifier).digest('base64url'));
    page.url = callbackFor(page.navigations[0]!);
    await auth.handleRedirectCallback();
    expect(new URLSearchParams(requests[0]!.body).get('code_verifier')).toBe(verifier);
  });

  it('names the session with 128 bits from deps.crypto', async () => {
    const { crypto, calls } = countingCrypto();
    const { auth, page } = client({ crypto, localStorage: undefined });
    await auth.login();
    page.url = callbackFor(page.navigations[0]!);
    await auth.handleRedirectCallback();
    expect(calls).toEqual([32, 32, 16]);
  });

  it.each<[string, CryptoLike | undefined]>([
    ['no Web Crypto at all', undefined],
    ['no crypto.subtle (an insecure origin)', { getRandomValues: <T extends ArrayBufferView>(a: T) => a, subtle: undefined }],
  ])('refuses to log in with %s: crypto_unavailable, no navigation, the reason in the store', async (_, crypto) => {
    const { auth, page } = client({ crypto });
    await expect(auth.login()).rejects.toMatchObject({ code: 'crypto_unavailable' });
    expect(page.navigations).toEqual([]);
    expect(auth.store.getState()).toMatchObject({ status: 'signedOut', error: { code: 'crypto_unavailable' } });
  });
});

describe('storage comes from deps', () => {
  it.each([
    ['local', 'localStorage'],
    ['session', 'sessionStorage'],
  ] as const)("keeps the '%s' session in deps.%s", async (choice, dep) => {
    const items = new Map<string, string>();
    const storage = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    };
    const env = fakeDeps({ [dep]: storage });
    const net = fakeFetch(() => tokenResponse(1));
    const auth = createCelonisAuth({ ...testConfig({ storage: choice }), deps: { ...env.deps, fetch: net.fetch } });
    await auth.login();
    env.page.url = callbackFor(env.page.navigations[0]!);
    await auth.handleRedirectCallback();
    expect([...items.keys()].filter((k) => k.endsWith(':session'))).toHaveLength(1);
  });
});
