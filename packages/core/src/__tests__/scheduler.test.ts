import { describe, expect, it } from 'vitest';
import { deferred, form, json, oauthError, type Responder, rotating, runTimersFor, settle, tokenResponse } from '@celonis-auth/test-utils';
import type { AuthStatus } from '../session/authState.js';
import { signedIn, type TestClientOptions } from './signIn.js';

const MAX_TIMER_MS = 2 ** 31 - 1;
const LIFETIME_MS = 899_000;

/** A signed-in, started client; `refreshDelays()` lists pending timers other than the expiry one. */
async function started(options: TestClientOptions = {}) {
  const client = await signedIn(options);
  const stop = client.auth.start();
  const refreshDelays = () => {
    const expiresAt = client.auth.store.getState().expiresAt;
    return client.timers
      .pending()
      .filter((t) => t.at !== expiresAt)
      .map((t) => t.ms);
  };
  return { ...client, refreshDelays, stop };
}

/** A token endpoint that fails with `fail` until `server.failing` is set to false. */
function flaky(fail: () => Response | Promise<Response>) {
  const server = { failing: true };
  const respond: Responder = (request, i) => (server.failing ? fail() : rotating(request, i));
  return { server, respond };
}

describe('the refresh schedule', () => {
  it.each([
    { refreshLeewaySeconds: undefined, dueMs: LIFETIME_MS - 60_000 },
    { refreshLeewaySeconds: 120, dueMs: LIFETIME_MS - 120_000 },
    { refreshLeewaySeconds: 0, dueMs: LIFETIME_MS },
  ])('with refreshLeewaySeconds $refreshLeewaySeconds refreshes once, $dueMs ms after sign-in, and nothing before', async ({ refreshLeewaySeconds, dueMs }) => {
    const { timers, requests } = await started(refreshLeewaySeconds === undefined ? {} : { config: { refreshLeewaySeconds } });
    timers.advance(dueMs - 1);
    await settle();
    expect(requests).toHaveLength(0);
    timers.advance(1);
    await settle();
    expect(requests).toHaveLength(1);
    expect(form(requests[0]!)).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'refresh-1' });
  });

  it('plans the next refresh from the new token', async () => {
    const { auth, timers, requests } = await started();
    await runTimersFor(timers, LIFETIME_MS - 60_000);
    expect(auth.store.getState().accessToken).toBe('access-2');
    expect(
      timers
        .pending()
        .map((t) => t.ms)
        .sort((a, b) => a - b),
    ).toEqual([LIFETIME_MS - 60_000, LIFETIME_MS]);
    await runTimersFor(timers, LIFETIME_MS - 60_000);
    expect(requests.map((r) => form(r).refresh_token)).toEqual(['refresh-1', 'refresh-2']);
  });

  it('refreshes at once when started with a token already inside the leeway', async () => {
    const { auth, clock, expiresAt, timers, requests } = await signedIn();
    clock.set(expiresAt - 30_000);
    auth.start();
    timers.runDue();
    await settle();
    expect(requests).toHaveLength(1);
  });

  it('keeps every timer delay within 2^31-1 ms for a huge expires_in, and does not act when a capped timer fires early', async () => {
    const { timers, requests } = await started({ signInResponse: () => tokenResponse(1, { expires_in: 10 ** 12 }) });
    const delays = timers.pending().map((t) => t.ms);
    expect(delays).toHaveLength(2);
    for (const ms of delays) expect(ms).toBeLessThanOrEqual(MAX_TIMER_MS);
    timers.advance(MAX_TIMER_MS);
    await settle();
    expect(requests).toHaveLength(0);
    expect(timers.pending()).toHaveLength(2);
    for (const { ms } of timers.pending()) expect(ms).toBeLessThanOrEqual(MAX_TIMER_MS);
  });
});

describe('short-lived tokens and large leeways', () => {
  it.each([
    { name: 'a leeway longer than the token lives (900 s for 899 s)', config: { refreshLeewaySeconds: 900 }, expiresIn: 899, firstMs: 449_500 },
    { name: 'a token that lives less than the leeway (30 s for 60 s)', config: {}, expiresIn: 30, firstMs: 15_000 },
    { name: 'a token that expires at once (expires_in 0)', config: {}, expiresIn: 0, firstMs: 5_000 },
  ])('never refreshes back to back with $name', async ({ config, expiresIn, firstMs }) => {
    const { timers, requests } = await started({ config, signInResponse: () => tokenResponse(1, { expires_in: expiresIn }) });
    timers.advance(firstMs - 1);
    await settle();
    expect(requests).toHaveLength(0);
    timers.advance(1);
    await settle();
    expect(requests).toHaveLength(1);
  });
});

describe('a login that did not leave the page', () => {
  it("leaves 'redirecting' when the page wakes up again (Back from the login page, a cancelled navigation)", async () => {
    let wake = () => undefined as void;
    const { auth } = await started({ deps: { onWake: (listener) => ((wake = listener), () => undefined) } });
    await auth.login();
    expect(auth.store.getState().status).toBe('redirecting');
    wake();
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
  });
});

describe('start and stop', () => {
  it('stop() clears every timer and no request follows', async () => {
    const { auth, timers, requests, stop } = await started();
    expect(timers.pending()).not.toHaveLength(0);
    stop();
    expect(timers.pending()).toEqual([]);
    await runTimersFor(timers, 3_600_000, 60_000);
    expect(requests).toHaveLength(0);
    expect(auth.store.getState().status).toBe('authenticated');
  });

  it('is reference-counted: the last stop stops', async () => {
    const { auth, timers, stop } = await started();
    const stopAgain = auth.start();
    stopAgain();
    expect(timers.pending()).toHaveLength(2);
    stop();
    expect(timers.pending()).toEqual([]);
    stop();
    auth.start();
    expect(timers.pending()).toHaveLength(2);
  });

  it('returns from start() a stop function that undoes only its own start, once', async () => {
    const { auth, timers } = await signedIn();
    const stopFirst = auth.start();
    const stopSecond = auth.start();
    stopFirst();
    stopFirst();
    expect(timers.pending()).toHaveLength(2);
    stopSecond();
    expect(timers.pending()).toEqual([]);
  });

  it('returns a stop function that works when start is called unbound', async () => {
    const { auth, timers } = await signedIn();
    const { start } = auth;
    const stop = start();
    expect(timers.pending()).toHaveLength(2);
    stop();
    expect(timers.pending()).toEqual([]);
  });

  it('schedules nothing after stop() even when a refresh under way then fails', async () => {
    const answer = deferred<Response>();
    const { timers, requests, stop } = await started({ respond: () => answer.promise });
    await runTimersFor(timers, LIFETIME_MS - 60_000);
    expect(requests).toHaveLength(1);
    stop();
    answer.resolve(json({}, 503));
    await settle();
    expect(timers.pending()).toEqual([]);
    await runTimersFor(timers, 3_600_000, 10_000);
    expect(requests).toHaveLength(1);
  });

  it('removes the wake listener on stop', async () => {
    const listeners = new Set<() => void>();
    const { stop } = await started({ deps: { onWake: (listener) => (listeners.add(listener), () => void listeners.delete(listener)) } });
    expect(listeners.size).toBe(1);
    stop();
    expect(listeners.size).toBe(0);
  });
});

describe('retries after a failed refresh', () => {
  const DUE_MS = LIFETIME_MS - 60_000;

  /** Lets the scheduled refresh fail `count` times and returns the retry delay after each failure. */
  async function retryDelays(count: number, options: TestClientOptions) {
    const client = await started(options);
    const delays: number[] = [];
    client.timers.advance(DUE_MS);
    for (let i = 0; i < count; i += 1) {
      await settle();
      const [delay] = client.refreshDelays();
      if (delay === undefined) throw new Error(`no retry after failure ${i + 1}`);
      delays.push(delay);
      client.timers.advance(delay);
    }
    await settle();
    return { ...client, delays };
  }

  it('backs off exponentially with equal jitter (random 0.5), capped at 5 minutes', async () => {
    const { delays, requests } = await retryDelays(10, { respond: () => json({}, 503) });
    expect(delays).toEqual([1_500, 3_000, 6_000, 12_000, 24_000, 48_000, 96_000, 192_000, 225_000, 225_000]);
    expect(requests).toHaveLength(11);
  });

  it.each([
    { random: 0, expected: (base: number) => [base / 2, base / 2] },
    { random: 0.999, expected: (base: number) => [base - base / 1000, base - 1] },
  ])('keeps each delay within [backoff/2, backoff) for random() = $random', async ({ random, expected }) => {
    const { delays } = await retryDelays(6, { respond: () => json({}, 503), deps: { random: () => random } });
    delays.forEach((delay, i) => {
      const backoff = 2_000 * 2 ** i;
      const [low, high] = expected(backoff);
      expect(delay).toBeGreaterThanOrEqual(low!);
      expect(delay).toBeLessThanOrEqual(high!);
      expect(delay).toBeLessThan(backoff);
    });
  });

  it.each([
    { name: '503 with Retry-After: 7', fail: () => json({}, 503, { 'Retry-After': '7' }), delay: 7_000 },
    { name: '429 with Retry-After: 7', fail: () => json({}, 429, { 'Retry-After': '7' }), delay: 7_000 },
  ])('waits exactly what the server asked: $name', async ({ fail, delay }) => {
    const { delays } = await retryDelays(2, { respond: fail });
    expect(delays).toEqual([delay, delay]);
  });

  it('never retries sooner than its own backoff, even when Retry-After says 0 (no hot loop)', async () => {
    const { delays } = await retryDelays(3, { respond: () => json({}, 503, { 'Retry-After': '0' }) });
    expect(delays).toEqual([1_500, 3_000, 6_000]);
  });

  it('waits until an HTTP-date Retry-After', async () => {
    const client = await started({ respond: () => json({}, 503, { 'Retry-After': new Date(client.clock.now() + 30_000).toUTCString() }) });
    client.timers.advance(DUE_MS);
    await settle();
    expect(client.refreshDelays()).toEqual([30_000]);
  });

  it('starts the backoff again after a success', async () => {
    const { server, respond } = flaky(() => json({}, 503));
    const { auth, delays, timers, refreshDelays } = await retryDelays(3, { respond });
    expect(delays).toEqual([1_500, 3_000, 6_000]);
    server.failing = false;
    await auth.refresh();
    server.failing = true;
    timers.advance(DUE_MS);
    await settle();
    expect(refreshDelays()).toEqual([1_500]);
  });

  it('keeps retrying through a network failure and turns expired exactly at expiresAt', async () => {
    const { server, respond } = flaky(() => Promise.reject(new TypeError('fetch failed')));
    const { auth, clock, expiresAt, timers, requests } = await started({ respond });
    const seen: { status: AuthStatus; at: number }[] = [];
    auth.store.subscribe((state) => seen.push({ status: state.status, at: clock.now() }));
    await runTimersFor(timers, expiresAt - clock.now() - 1, 500);
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-1', error: { code: 'token_endpoint_unreachable' } });
    const attemptsBeforeExpiry = requests.length;
    expect(attemptsBeforeExpiry).toBeGreaterThan(3);
    timers.advance(1);
    expect(auth.store.getState()).toMatchObject({ status: 'expired', accessToken: null, error: { code: 'token_endpoint_unreachable' } });
    expect(seen.find((s) => s.status === 'expired')).toEqual({ status: 'expired', at: expiresAt });
    await runTimersFor(timers, 10 * 60_000, 5_000);
    expect(requests.length).toBeGreaterThan(attemptsBeforeExpiry);
    expect(auth.store.getState().status).toBe('expired');
    server.failing = false;
    await runTimersFor(timers, 5 * 60_000, 5_000);
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: expect.stringMatching(/^access-/), error: null });
    expect(new Set(requests.map((r) => form(r).refresh_token))).toEqual(new Set(['refresh-1']));
  });

  it('stops the schedule on invalid_grant', async () => {
    const { auth, timers, requests } = await started({ respond: () => oauthError('invalid_grant') });
    timers.advance(DUE_MS);
    await settle();
    expect(auth.store.getState()).toMatchObject({ status: 'signedOut', error: { code: 'session_expired' } });
    expect(timers.pending()).toEqual([]);
    await runTimersFor(timers, 3_600_000, 10_000);
    expect(requests).toHaveLength(1);
  });
});

describe('waking up', () => {
  function wakeSource() {
    const source: { wake: () => void } = { wake: () => undefined };
    const onWake = (listener: () => void) => ((source.wake = listener), () => void (source.wake = () => undefined));
    return { source, onWake };
  }

  it('refreshes at once when the clock jumped past expiry while the page slept', async () => {
    const { source, onWake } = wakeSource();
    const { auth, clock, expiresAt, requests } = await started({ deps: { onWake } });
    clock.set(expiresAt + 3_600_000);
    source.wake();
    expect(auth.store.getState().status).not.toBe('authenticated');
    await settle();
    expect(requests).toHaveLength(1);
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' });
  });

  it('refreshes on wake inside the leeway, and not before it', async () => {
    const { source, onWake } = wakeSource();
    const { clock, expiresAt, requests } = await started({ deps: { onWake } });
    clock.set(expiresAt - 60_001);
    source.wake();
    await settle();
    expect(requests).toHaveLength(0);
    clock.set(expiresAt - 60_000);
    source.wake();
    await settle();
    expect(requests).toHaveLength(1);
  });
});
