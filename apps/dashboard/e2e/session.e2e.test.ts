// The session over time, with the browser's clock moved by Playwright's clock API: the token is
// renewed before it expires, once, and once for all tabs; signing out in one tab signs out the others.
import { describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { countdownSeconds, emulatorLog, eventually, signIn } from './browser.js';
import { useBrowserSession } from './browserSession.js';

const emulatorUrl = inject('emulatorUrl');
const dashboardUrl = inject('dashboardUrl');

/** `expires_in` of the emulator's access tokens. */
const LIFETIME_S = 899;
/** The core's default refresh leeway. */
const LEEWAY_S = 60;
/** Far enough to pass `expiresAt - 60 s`, still well before `expiresAt`. */
const PAST_REFRESH_POINT_MS = (LIFETIME_S - LEEWAY_S + 5) * 1000;

const session = useBrowserSession(emulatorUrl, { installClock: true });

async function signInToOverview(page: Page): Promise<void> {
  await page.goto(`${dashboardUrl}/overview`);
  await signIn(page, emulatorUrl, 'analyst');
  await page.waitForURL(`${dashboardUrl}/overview`);
  await page.getByTestId('signed-in-as').waitFor();
}

const refreshGrants = () => emulatorLog(emulatorUrl, { endpoint: 'token', grantType: 'refresh_token' });
/** The countdown after a renewal: back near the full lifetime (the page's clock still runs in real time). */
const renewed = (seconds: number) => seconds >= LIFETIME_S - 15;

describe('token renewal', () => {
  test('moving the browser past expiresAt - 60 s renews the token exactly once and the countdown starts over', async () => {
    const page = await session.context.newPage();
    await signInToOverview(page);
    expect(await countdownSeconds(page)).toBeGreaterThan(LIFETIME_S - 15);
    expect(await refreshGrants()).toEqual([]);

    await page.clock.fastForward(PAST_REFRESH_POINT_MS);

    await expect.poll(refreshGrants, { timeout: 15_000 }).toHaveLength(1);
    expect(await eventually(() => countdownSeconds(page), renewed)).toBeGreaterThanOrEqual(LIFETIME_S - 15);
    await expect(page.getByTestId('token-status').textContent()).resolves.toBe('Valid');
    // Exactly one: nothing else follows on its own.
    const later = await eventually(refreshGrants, (grants) => grants.length !== 1, 2_000, 250);
    expect(later).toMatchObject([{ clientId: 'dashboard', status: 200 }]);
  });

  test('two tabs of one browser renew once between them, and a sign-out in one reaches the other without a reload', async () => {
    const tab1 = await session.context.newPage();
    await signInToOverview(tab1);
    const tab2 = await session.context.newPage();
    await tab2.goto(`${dashboardUrl}/overview`);
    // The second tab shares the session through localStorage: no second sign-in.
    await tab2.getByTestId('signed-in-as').waitFor();
    expect(await emulatorLog(emulatorUrl, { endpoint: 'authorize', method: 'GET' })).toHaveLength(1);

    // The clock belongs to the context: both tabs reach the refresh point together.
    await session.context.clock.fastForward(PAST_REFRESH_POINT_MS);

    await expect.poll(refreshGrants, { timeout: 15_000 }).toHaveLength(1);
    expect(await eventually(() => countdownSeconds(tab1), renewed)).toBeGreaterThanOrEqual(LIFETIME_S - 15);
    expect(await eventually(() => countdownSeconds(tab2), renewed)).toBeGreaterThanOrEqual(LIFETIME_S - 15);
    const later = await eventually(refreshGrants, (grants) => grants.length !== 1, 2_000, 250);
    expect(later).toHaveLength(1);
    expect(await emulatorLog(emulatorUrl, { error: 'invalid_grant' })).toEqual([]);
    const [expires1, expires2] = await Promise.all([tab1, tab2].map((tab) => tab.getByTestId('expiry-countdown').getAttribute('datetime')));
    expect(expires1).toBe(expires2);

    await tab1.getByRole('button', { name: 'Sign out' }).click();

    // Both tabs end on the start page, signed out: tab 2 heard it (BroadcastChannel and storage)
    // without a reload, and neither went back to the Celonis login by itself.
    for (const tab of [tab1, tab2]) {
      await tab.getByRole('button', { name: 'Sign in with Celonis' }).waitFor();
      expect(tab.url()).toBe(`${dashboardUrl}/`);
      await expect(tab.getByTestId('signed-in-as').count()).resolves.toBe(0);
    }
    expect(await tab2.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('celonis-auth:')))).toEqual([]);
    const authorizeGets = () => emulatorLog(emulatorUrl, { endpoint: 'authorize', method: 'GET' });
    expect(await eventually(authorizeGets, (gets) => gets.length !== 1, 1_500, 250)).toHaveLength(1);
  });
});
