import { describe, expect, test } from 'vitest';
import { createMemorySessionStore, SessionStoreUnavailableError, type SessionStore } from '../../index.js';
import { sha256Base64url } from '../bffIds.js';
import { createRecordSealer } from '../sealedRecord.js';
import { KEY_1, KEY_2, pageCode, tokenGrants, useBffHarness, type BffHarness, type Browser } from './bffSupport.js';

let h: BffHarness;
useBffHarness((harness) => (h = harness));

const keyOf = (browser: Browser) => `session:${sha256Base64url(browser.session()!)}`;
const status = async (browser: Browser) => (JSON.parse((await browser.request('/auth/session')).body) as { status: string }).status;

describe('an unreadable record is a signed-out session, never a 500', () => {
  const CASES: [string, (sealed: string, other: string) => string][] = [
    [
      'its ciphertext changed',
      (sealed) => sealed.replace(/\.([^.])([^.]*)\.([^.]+)$/, (_m, c: string, rest: string, tag: string) => `.${c === 'A' ? 'B' : 'A'}${rest}.${tag}`),
    ],
    ['its tag changed', (sealed) => `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'BA' : 'AA'}`],
    ['another session’s record moved under it (AAD)', (_sealed, other) => other],
    ['not sealed at all', () => '{"accessToken":"x"}'],
    ['empty', () => ''],
    ['sealed, but not a session', () => createRecordSealer([KEY_1]).seal('{"accessToken":42}', 'unused')],
  ];

  test.each(CASES)('%s', async (_name, change) => {
    const [victim, other] = [h.browser(), h.browser()];
    await h.signIn(victim);
    await h.signIn(other);
    await h.store.set(keyOf(victim), change((await h.store.get(keyOf(victim)))!, (await h.store.get(keyOf(other)))!), 60_000);
    const session = await victim.request('/auth/session');
    expect({ status: session.status, body: JSON.parse(session.body) as unknown }).toEqual({
      status: 200,
      body: { status: 'signedOut', scopes: [], expiresAt: null },
    });
    expect(session.setCookies).toEqual(['celonis-auth=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax']);
    expect(await h.store.get(keyOf(other))).not.toBeNull();
    expect(await status(other)).toBe('authenticated');
    expect(h.lines).toContain('celonis-auth BFF: a session record was unreadable (another key, tampered or malformed); signed out');
  });

  test('a proxied call with a tampered record: 401 login_required, the cookie cleared', async () => {
    const browser = h.browser();
    await h.signIn(browser);
    await h.store.set(keyOf(browser), 'v1.x.y.z.w', 60_000);
    const answer = await browser.api('/celonis/api/me');
    expect({ status: answer.status, error: (JSON.parse(answer.body) as { error: string }).error }).toEqual({ status: 401, error: 'login_required' });
    expect(answer.setCookies).toHaveLength(1);
  });

  test('a record sealed with a key no longer configured is signed out', async () => {
    const browser = h.browser();
    await h.signIn(browser);
    h.use({ sessionStore: h.store, encryptionKeys: [KEY_2] });
    expect(await status(browser)).toBe('signedOut');
  });
});

describe('key rotation', () => {
  test('the old key still opens; new records are sealed with the new first key', async () => {
    const old = h.browser();
    await h.signIn(old);
    const oldKid = (await h.store.get(keyOf(old)))!.split('.')[1];
    h.use({ sessionStore: h.store, encryptionKeys: [KEY_2, KEY_1] });
    expect((await old.api('/celonis/api/me')).status).toBe(200);
    const fresh = h.browser();
    await h.signIn(fresh);
    const newKid = (await h.store.get(keyOf(fresh)))!.split('.')[1];
    expect(newKid).not.toBe(oldKid);
    // Once every old record has expired, the old key goes: the new records still open.
    h.use({ sessionStore: h.store, encryptionKeys: [KEY_2] });
    expect(await status(fresh)).toBe('authenticated');
    expect(await status(old)).toBe('signedOut');
  });

  test('a record rewritten after rotation (a refresh) moves to the new key', async () => {
    const browser = h.browser();
    await h.signIn(browser);
    h.use({ sessionStore: h.store, encryptionKeys: [KEY_2, KEY_1] });
    h.emulator.advanceClock(900);
    h.clock.offsetMs = 900_000;
    try {
      expect((await browser.api('/celonis/api/me')).status).toBe(200);
    } finally {
      h.clock.offsetMs = 0;
    }
    h.use({ sessionStore: h.store, encryptionKeys: [KEY_2] });
    expect(await status(browser)).toBe('authenticated');
  });
});

/**
 * A memory store that fails while `down` is set: with the typed error, a plain one, or by never
 * answering; `failingSets` writes fail with the typed error before it works again.
 */
function flakyStore(): SessionStore & { down: false | 'unavailable' | 'error' | 'hang'; failingSets: number } {
  const inner = createMemorySessionStore({ now: () => Date.now() + h.clock.offsetMs });
  const store = {
    down: false as false | 'unavailable' | 'error' | 'hang',
    failingSets: 0,
    get: (key: string) => gate().then(() => inner.get(key)),
    async set(key: string, value: string, ttl: number) {
      await gate();
      if (store.failingSets > 0) {
        store.failingSets -= 1;
        throw new SessionStoreUnavailableError('redis is failing over', { retryAfterSeconds: 1 });
      }
      return inner.set(key, value, ttl);
    },
    delete: (key: string) => gate().then(() => inner.delete(key)),
    lock: (name: string, options: { leaseMs: number; waitMs: number }) => gate().then(() => inner.lock(name, options)),
  };
  async function gate(): Promise<void> {
    if (store.down === 'unavailable') throw new SessionStoreUnavailableError('redis is restarting', { retryAfterSeconds: 2 });
    if (store.down === 'error') throw new Error('ECONNRESET');
    if (store.down === 'hang') await new Promise(() => undefined);
  }
  return store;
}

describe('a failing session store: 503 with Retry-After, and no session lost once it is back', () => {
  test.each([
    ['SessionStoreUnavailableError', 'unavailable', '2'],
    ['any other error', 'error', '1'],
    ['no answer within sessionStoreTimeoutMs', 'hang', '1'],
  ] as const)('%s', async (_name, mode, retryAfter) => {
    const store = flakyStore();
    h.use({ sessionStore: store, sessionStoreTimeoutMs: 100 });
    const browser = h.browser();
    await h.signIn(browser);
    const cookie = browser.session();
    store.down = mode;
    for (const answer of [
      await browser.request('/auth/session'),
      await browser.api('/celonis/api/me'),
      await browser.api('/auth/logout', { method: 'POST' }),
    ]) {
      expect({ status: answer.status, error: (JSON.parse(answer.body) as { error: string }).error }).toEqual({
        status: 503,
        error: 'session_store_unavailable',
      });
      expect(answer.headers.get('retry-after')).toBe(retryAfter);
      expect(answer.setCookies).toEqual([]);
    }
    const login = await browser.request('/auth/login');
    expect({ status: login.status, code: pageCode(login.body), retry: login.headers.get('retry-after') }).toEqual({
      status: 503,
      code: 'session_store_unavailable',
      retry: retryAfter,
    });
    expect(h.lines.at(-1)).toMatch(/^celonis-auth BFF: the session store is unavailable \(SessionStoreUnavailableError/);
    store.down = false;
    expect(browser.session()).toBe(cookie);
    expect(await status(browser)).toBe('authenticated');
    expect((await browser.api('/celonis/api/me')).status).toBe(200);
  });

  test('a renewal the store fails to take is kept and stored at the next call, so the spent refresh token is never sent again', async () => {
    const store = flakyStore();
    h.use({ sessionStore: store });
    const browser = h.browser();
    await h.signIn(browser);
    const before = await store.get(keyOf(browser));
    h.emulator.advanceClock(900);
    h.clock.offsetMs += 900_000;
    h.emulator.clearRequests();
    store.failingSets = 1;
    const renewed = await browser.api('/celonis/api/me');
    expect(renewed.status).toBe(200);
    expect(h.lines).toContain('celonis-auth BFF: a renewed session could not be stored; this instance keeps it and stores it at its next use');
    expect(await store.get(keyOf(browser))).toBe(before);
    expect((await browser.api('/celonis/api/me')).status).toBe(200);
    expect(await store.get(keyOf(browser))).not.toBe(before);
    // The rotated refresh token is the one stored: the next renewal works, and nothing was refused.
    h.emulator.advanceClock(900);
    h.clock.offsetMs += 900_000;
    expect((await browser.api('/celonis/api/me')).status).toBe(200);
    expect(tokenGrants(h.emulator)).toEqual(['refresh_token', 'refresh_token']);
    expect(h.emulator.requests('token').map((entry) => entry.status)).toEqual([200, 200]);
    expect(await status(browser)).toBe('authenticated');
  });

  test('a callback while the store is down ends on a 503 page without a token request', async () => {
    const store = flakyStore();
    h.use({ sessionStore: store });
    const browser = h.browser();
    const login = await browser.request('/auth/login');
    const callback = new URL(h.emulator.approve(login.location!));
    store.down = 'unavailable';
    const answer = await browser.request(`${callback.pathname}${callback.search}`);
    expect({ status: answer.status, code: pageCode(answer.body) }).toEqual({ status: 503, code: 'session_store_unavailable' });
    expect(h.emulator.requests('token')).toEqual([]);
    store.down = false;
    expect((await browser.request(`${callback.pathname}${callback.search}`)).status).toBe(302);
  });
});
