// Shared set-up of the integration tests: a real createCelonisAuth talking real HTTP (the global
// fetch, never patched) to an emulator on 127.0.0.1. Only the page, storage, clock, locks and
// cross-tab channel are injected, because Node has none of them.
import { expect } from 'vitest';
import type { RequestLogEntry, RunningEmulator } from '@celonis-auth/emulator';
import { createCelonisAuth, type CelonisAuth, type CelonisAuthDeps, type CelonisScope, type LoginOptions, type StorageLike } from '@celonis-auth/core';
import { fakeClock } from '@celonis-auth/test-utils';
import { storageKeyPrefix, type StoredSession } from '../session/sessionRecordStore.js';

/** The redirect URI registered for the emulator's seeded public client `dashboard`. */
export const REDIRECT_URI = 'http://localhost:5173/callback';

/** Access tokens of the seeded emulator live 899 s; moving the core's clock this far expires them. */
export const PAST_EXPIRY_MS = 900_000;

/** A Web-Storage-shaped map that can list its keys, so a test can show what was (not) stored. */
export function inspectableStorage(): StorageLike & { keys(): string[] } {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
    keys: () => [...items.keys()],
  };
}

/** One browser tab: its address bar, the navigations it was asked for, and its transaction storage. */
export function browserTab(url = 'http://localhost:5173/reports?id=1') {
  const tab = {
    url,
    navigations: [] as string[],
    transactions: inspectableStorage(),
  };
  const deps: Partial<CelonisAuthDeps> = {
    navigate: (next) => void tab.navigations.push(next),
    currentUrl: () => tab.url,
    replaceUrl: (next) => void (tab.url = next),
    transactionStorage: tab.transactions,
    locks: undefined,
    broadcast: undefined,
    onWake: undefined,
  };
  return Object.assign(tab, { deps });
}

/** What {@link createClient} builds: the client, its tab, its session storage and its clock. */
export interface TestClient {
  auth: CelonisAuth;
  tab: ReturnType<typeof browserTab>;
  storage: ReturnType<typeof inspectableStorage>;
  clock: ReturnType<typeof fakeClock>;
}

/**
 * A `dashboard` client of `emulator` on a movable clock. The core's clock starts at the wall clock
 * (the emulator's time), so tokens are valid for both until a test moves one of them.
 */
export function createClient(
  emulator: RunningEmulator,
  options: {
    scopes?: readonly CelonisScope[];
    storage?: ReturnType<typeof inspectableStorage>;
    clock?: ReturnType<typeof fakeClock>;
    deps?: Partial<CelonisAuthDeps>;
  } = {},
): TestClient {
  const tab = browserTab();
  const storage = options.storage ?? inspectableStorage();
  const clock = options.clock ?? fakeClock(Date.now());
  const auth = createCelonisAuth({
    teamUrl: emulator.url,
    clientId: 'dashboard',
    redirectUri: REDIRECT_URI,
    scopes: options.scopes ?? ['studio', 'intelligence.knowledge-models:read'],
    storage,
    deps: { ...tab.deps, now: clock.now, ...options.deps },
  });
  return { auth, tab, storage, clock };
}

/** Logs in, lets `username` decide on the emulator's consent page headlessly, and handles the callback. */
export async function signIn(
  client: TestClient,
  emulator: RunningEmulator,
  options: { username?: string; login?: LoginOptions } = {},
): Promise<{ returnTo: string }> {
  await client.auth.login(options.login);
  const authorizeUrl = client.tab.navigations.at(-1);
  if (authorizeUrl === undefined) throw new Error('login() did not navigate');
  client.tab.url = emulator.approve(authorizeUrl, { username: options.username ?? 'analyst@example.com' });
  return client.auth.handleRedirectCallback();
}

/** The session record the core keeps in `storage`, read as the core wrote it. */
export function storedSession(storage: StorageLike, emulator: RunningEmulator): StoredSession | undefined {
  const raw = storage.getItem(`${storageKeyPrefix(emulator.url, 'dashboard')}:session`);
  return raw === null ? undefined : (JSON.parse(raw) as StoredSession);
}

/** Token requests of one grant type, as the emulator logged them. */
export function grants(emulator: RunningEmulator, grantType: 'authorization_code' | 'refresh_token'): RequestLogEntry[] {
  return emulator.requests('token').filter((entry) => entry.grantType === grantType);
}

/** Reuse detection would answer `invalid_grant` and revoke the family: it must never appear. */
export function expectNoInvalidGrant(emulator: RunningEmulator): void {
  expect(emulator.requests().filter((entry) => entry.error === 'invalid_grant')).toEqual([]);
}
