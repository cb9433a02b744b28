import type { RunningEmulator } from '@celonis-auth/emulator';
import { InMemoryWebStorage, UserManager, WebStorageStateStore, type INavigator } from 'oidc-client-ts';
import { BENCH_REDIRECT_URI, createBenchClient, loginAndApprove } from './benchClient.js';

/** Median and 95th percentile of a series, in milliseconds. */
export interface Spread {
  medianMs: number;
  p95Ms: number;
}

/** Callback processing time beyond the one token POST, for both libraries. */
export interface CallbackOverheadFigure {
  iterations: number;
  warmupIterations: number;
  celonisAuth: Spread & { totalMedianMs: number; tokenPostMedianMs: number; method: string };
  userManager: Spread & { totalMedianMs: number; method: string };
}

const SCOPE = 'studio intelligence.knowledge-models:read';

/**
 * Times `handleRedirectCallback` (ours) and oidc-client-ts `UserManager.signinRedirectCallback`
 * against the same emulator, `iterations` times each after a warm-up, interleaved so drift hits
 * both alike. Ours: total minus its own token POST, timed by wrapping the injected `deps.fetch`
 * (through the full body). UserManager posts with the global fetch, which the bench does not patch,
 * so its figure is total minus the median token POST of our run.
 *
 * @example
 * ```ts
 * const figure = await measureCallbackOverhead(emulator, 50);
 * ```
 */
export async function measureCallbackOverhead(emulator: RunningEmulator, iterations = 50, warmupIterations = 5): Promise<CallbackOverheadFigure> {
  emulator.reset();
  const ours: { total: number; post: number }[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < warmupIterations + iterations; i += 1) {
    const mine = await timeCelonisAuthCallback(emulator);
    const userManager = await timeUserManagerCallback(emulator);
    if (i >= warmupIterations) {
      ours.push(mine);
      theirs.push(userManager);
    }
    // Codes and refresh families pile up otherwise; the reset is not timed.
    emulator.reset();
  }
  const postMedian = median(ours.map((o) => o.post));
  return {
    iterations,
    warmupIterations,
    celonisAuth: {
      ...spread(ours.map((o) => o.total - o.post)),
      totalMedianMs: median(ours.map((o) => o.total)),
      tokenPostMedianMs: postMedian,
      method: 'handleRedirectCallback total minus its own token POST (timed around the injected deps.fetch, body included)',
    },
    userManager: {
      ...spread(theirs.map((total) => total - postMedian)),
      totalMedianMs: median(theirs),
      method: 'signinRedirectCallback total minus the median token POST of the @celonis-auth/core run (its global fetch is not wrapped)',
    },
  };
}

async function timeCelonisAuthCallback(emulator: RunningEmulator): Promise<{ total: number; post: number }> {
  let post = 0;
  const timedFetch: typeof fetch = async (input, init) => {
    const started = performance.now();
    const response = await fetch(input, init);
    // Read the whole body inside the timing, so the POST's figure covers the full exchange.
    const body = await response.arrayBuffer();
    post += performance.now() - started;
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  const client = createBenchClient(emulator, timedFetch);
  await loginAndApprove(client, emulator);
  const started = performance.now();
  await client.auth.handleRedirectCallback();
  const total = performance.now() - started;
  if (client.auth.store.getState().status !== 'authenticated') throw new Error('handleRedirectCallback did not sign in');
  return { total, post };
}

async function timeUserManagerCallback(emulator: RunningEmulator): Promise<number> {
  let authorizeUrl: string | undefined;
  // UserManager's own signinRedirect, with a navigator (a public constructor argument) that records the URL instead of leaving the page.
  const navigator: INavigator = {
    prepare: async () => ({
      navigate: async ({ url }) => {
        authorizeUrl = url;
        return { url };
      },
      close: () => undefined,
    }),
    callback: async () => undefined,
  };
  const userManager = new UserManager(
    {
      authority: emulator.url,
      client_id: 'dashboard',
      redirect_uri: BENCH_REDIRECT_URI,
      response_type: 'code',
      scope: SCOPE,
      metadata: { issuer: emulator.url, authorization_endpoint: `${emulator.url}/oauth2/authorize`, token_endpoint: `${emulator.url}/oauth2/token` },
      loadUserInfo: false,
      // Its default renews from timers; the bench measures the callback alone and must let the process exit.
      automaticSilentRenew: false,
      stateStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
      userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    },
    navigator,
  );
  await userManager.signinRedirect();
  if (authorizeUrl === undefined) throw new Error('signinRedirect did not navigate');
  const callbackUrl = emulator.approve(authorizeUrl, { username: 'analyst@example.com' });
  const started = performance.now();
  const user = await userManager.signinRedirectCallback(callbackUrl);
  const total = performance.now() - started;
  if (!user.access_token) throw new Error('signinRedirectCallback returned no access token');
  // Loading the user started its expiry timers; removing it cancels them.
  await userManager.removeUser();
  return total;
}

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

function median(values: readonly number[]): number {
  const s = sorted(values);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

// Nearest-rank percentile: the smallest value at or above p of the sample.
function spread(values: readonly number[]): Spread {
  const s = sorted(values);
  return { medianMs: median(s), p95Ms: s[Math.max(0, Math.ceil(0.95 * s.length) - 1)]! };
}
