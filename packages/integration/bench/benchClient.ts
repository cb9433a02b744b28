// A @celonis-auth/core client for the benches: real fetch to an emulator, a page without a browser,
// and a clock the bench can move so tokens expire for the core without waiting.
import type { RunningEmulator } from '@celonis-auth/emulator';
import { createCelonisAuth, createMemoryStorage, type CelonisAuth } from '@celonis-auth/core';

/** The redirect URI registered for the emulator's seeded public client `dashboard`. */
export const BENCH_REDIRECT_URI = 'http://localhost:5173/callback';

/** A bench client, its page and its movable clock. */
export interface BenchClient {
  auth: CelonisAuth;
  page: { url: string; navigations: string[] };
  /** Moves the core's clock forward. */
  advance(ms: number): void;
}

/**
 * Creates a `dashboard` client of `emulator` with memory storage and no cross-tab or wake sources.
 * `fetch` defaults to the global one; the callback bench passes a timing wrapper.
 */
export function createBenchClient(emulator: RunningEmulator, fetchFn: typeof fetch = (input, init) => fetch(input, init)): BenchClient {
  const page = { url: 'http://localhost:5173/reports', navigations: [] as string[] };
  let offsetMs = 0;
  const auth = createCelonisAuth({
    teamUrl: emulator.url,
    clientId: 'dashboard',
    redirectUri: BENCH_REDIRECT_URI,
    scopes: ['studio', 'intelligence.knowledge-models:read'],
    storage: 'memory',
    deps: {
      fetch: fetchFn,
      navigate: (url) => void page.navigations.push(url),
      currentUrl: () => page.url,
      replaceUrl: (url) => void (page.url = url),
      now: () => Date.now() + offsetMs,
      transactionStorage: createMemoryStorage(),
      locks: undefined,
      broadcast: undefined,
      onWake: undefined,
    },
  });
  return { auth, page, advance: (ms) => void (offsetMs += ms) };
}

/** Logs in and approves headlessly on the emulator; leaves the callback URL in the page, unhandled. */
export async function loginAndApprove(client: BenchClient, emulator: RunningEmulator): Promise<string> {
  await client.auth.login();
  const authorizeUrl = client.page.navigations.at(-1);
  if (authorizeUrl === undefined) throw new Error('login() did not navigate');
  client.page.url = emulator.approve(authorizeUrl, { username: 'analyst@example.com' });
  return client.page.url;
}
