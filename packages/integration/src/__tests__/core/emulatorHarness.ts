// Shared set-up of the core's integration tests: a real createCelonisAuth talking real HTTP (the
// global fetch, never patched) to an emulator on 127.0.0.1. Only the page, storage, clock, locks and
// cross-tab channel are injected, because Node has none of them.
import { expect } from 'vitest';
import type { RequestLogEntry, RunningEmulator } from '@celonis-auth/emulator';
import {
  createCelonisAuth,
  type CelonisAuth,
  type CelonisAuthConfig,
  type CelonisAuthDeps,
  type CelonisScope,
  type LoginOptions,
  type StorageLike,
} from '@celonis-auth/core';
import { fakeClock, fakePage, inspectableStorage } from '@celonis-auth/test-utils';

/** The redirect URI registered for the emulator's seeded public client `dashboard`. */
export const REDIRECT_URI = 'http://localhost:5173/callback';

/** Access tokens of the seeded emulator live 899 s; moving the core's clock this far expires them. */
export const PAST_EXPIRY_MS = 900_000;

/** A Web-Storage-shaped map that can list its keys, so a test can show what was (not) stored. */
export function storageWithKeys(): StorageLike & { keys(): string[] } {
  const { storage, items } = inspectableStorage();
  return { ...storage, keys: () => [...items.keys()] };
}

/** One browser tab: its address bar, the navigations it was asked for, and its transaction storage. */
export function browserTab(url = 'http://localhost:5173/reports?id=1') {
  const page = fakePage(url);
  const transactions = storageWithKeys();
  const deps: Partial<CelonisAuthDeps> = {
    ...page.deps,
    transactionStorage: transactions,
    locks: undefined,
    broadcast: undefined,
    onWake: undefined,
  };
  return Object.assign(page, { transactions, deps });
}

/** What {@link createClient} builds: the client, its tab, its session storage and its clock. */
export interface TestClient {
  auth: CelonisAuth;
  tab: ReturnType<typeof browserTab>;
  storage: ReturnType<typeof storageWithKeys>;
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
    storage?: ReturnType<typeof storageWithKeys>;
    clock?: ReturnType<typeof fakeClock>;
    deps?: Partial<CelonisAuthDeps>;
    /** Further settings, e.g. `requireIssuer`. */
    config?: Partial<Omit<CelonisAuthConfig, 'deps'>>;
  } = {},
): TestClient {
  const tab = browserTab();
  const storage = options.storage ?? storageWithKeys();
  const clock = options.clock ?? fakeClock(Date.now());
  const auth = createCelonisAuth({
    teamUrl: emulator.url,
    clientId: 'dashboard',
    redirectUri: REDIRECT_URI,
    scopes: options.scopes ?? ['studio', 'intelligence.knowledge-models:read'],
    storage,
    ...options.config,
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

/**
 * The session record as the core writes it (`StoredSession` of the core's sessionRecordStore.ts,
 * which is not exported): the fields these tests read.
 */
export interface StoredSessionRecord {
  sessionId: string;
  accessToken: string;
  refreshToken: string | null;
  expiresAt: number;
  scopes: string[];
}

/**
 * The session record the core keeps in `storage` for `emulator`'s team, read as the core wrote it:
 * found among the keys (the core's `celonis-auth:…:<team>:<client>:session`), so these tests need
 * none of the core's internals. Two records for the team fail the test.
 */
export function storedSession(storage: ReturnType<typeof storageWithKeys>, emulator: RunningEmulator): StoredSessionRecord | undefined {
  const keys = storage.keys().filter((key) => key.startsWith('celonis-auth:') && key.includes(`:${emulator.url}:`) && key.endsWith(':session'));
  if (keys.length > 1) throw new Error(`more than one session record: ${keys.join(', ')}`);
  const raw = keys[0] === undefined ? null : storage.getItem(keys[0]);
  return raw === null ? undefined : (JSON.parse(raw) as StoredSessionRecord);
}

/** Token requests of one grant type, as the emulator logged them. */
export function grants(emulator: RunningEmulator, grantType: 'authorization_code' | 'refresh_token'): RequestLogEntry[] {
  return emulator.requests('token').filter((entry) => entry.grantType === grantType);
}

/** Reuse detection would answer `invalid_grant` and revoke the family: it must never appear. */
export function expectNoInvalidGrant(emulator: RunningEmulator): void {
  expect(emulator.requests().filter((entry) => entry.error === 'invalid_grant')).toEqual([]);
}
