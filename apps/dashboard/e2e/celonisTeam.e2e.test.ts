// Against a team with Celonis's rules (the emulator's celonis profile: client secrets, no CORS).
// Relay mode works end to end with every API call on the dashboard's own origin; direct mode fails
// at the code exchange, and the person sees why in plain words, not a blank page.
import { describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { PANELS } from '../src/panels.js';
import { countdownSeconds, emulatorLog, eventually, signIn } from './browser.js';
import { useBrowserSession } from './browserSession.js';

const emulatorUrl = inject('celonisEmulatorUrl');
const relayUrl = inject('relayUrl');
const directUrl = inject('directCelonisUrl');

/** `expires_in` of the emulator's access tokens, and the core's default refresh leeway. */
const LIFETIME_S = 899;
const LEEWAY_S = 60;
const PAST_REFRESH_POINT_MS = (LIFETIME_S - LEEWAY_S + 5) * 1000;

const session = useBrowserSession(emulatorUrl, { installClock: true });
const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

/** Every request the page sends that is not a navigation: what script asked for (fetch, XHR). */
function scriptRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => {
    if (!request.isNavigationRequest() && ['fetch', 'xhr'].includes(request.resourceType())) urls.push(request.url());
  });
  return urls;
}

async function openPanels(page: Page, origin: string): Promise<void> {
  for (const panel of PANELS) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: panel.title, exact: true }).click();
    await page.waitForURL(`${origin}${panel.path}`);
    await expect.poll(() => heading(page)).toBe(panel.title);
    await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(0);
  }
}

describe('relay mode', () => {
  test('signs in, loads every panel through the same-origin proxy, renews across expiry and signs out', async () => {
    const { page } = session;
    const fromScript = scriptRequests(page);
    await page.goto(`${relayUrl}/overview`);
    await signIn(page, emulatorUrl, 'analyst');
    await page.waitForURL(`${relayUrl}/overview`);
    await page.getByTestId('signed-in-as').waitFor();
    await openPanels(page, relayUrl);

    // Script never called the team (but for the no-cors HEAD before sign-in, which reads nothing): the relay and the proxy did, from the server.
    expect(fromScript.filter((url) => !url.startsWith(`${relayUrl}/`))).toEqual([`${emulatorUrl}/`]);
    for (const panel of PANELS) expect(fromScript).toContain(`${relayUrl}/celonis${panel.api}`);
    const apiCalls = await emulatorLog(emulatorUrl, { endpoint: 'api' });
    expect(apiCalls.length).toBeGreaterThanOrEqual(PANELS.length);
    expect(apiCalls.filter((entry) => entry.origin !== undefined || entry.status !== 200)).toEqual([]);

    // Past the refresh point: one refresh grant, through the relay with the secret, and the panels still load.
    await page.clock.fastForward(PAST_REFRESH_POINT_MS);
    const refreshGrants = () => emulatorLog(emulatorUrl, { endpoint: 'token', grantType: 'refresh_token' });
    await expect.poll(refreshGrants, { timeout: 15_000 }).toHaveLength(1);
    expect(await refreshGrants()).toMatchObject([{ clientId: 'portal', clientAuth: 'client_secret_basic', status: 200 }]);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview', exact: true }).click();
    expect(
      await eventually(
        () => countdownSeconds(page),
        (s) => s >= LIFETIME_S - 15,
      ),
    ).toBeGreaterThanOrEqual(LIFETIME_S - 15);
    const before = (await emulatorLog(emulatorUrl, { endpoint: 'api' })).length;
    await openPanels(page, relayUrl);
    expect((await emulatorLog(emulatorUrl, { endpoint: 'api' })).length).toBeGreaterThan(before);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in with Celonis' }).waitFor();
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(stored).not.toMatch(/access|refresh/i);
  });
});

describe('direct mode on a team without CORS', () => {
  test('the sign-in ends on a page that says the portal cannot reach the team from the browser, and what the administrator can do', async () => {
    const { page } = session;
    await page.goto(`${directUrl}/overview`);
    await signIn(page, emulatorUrl, 'analyst');
    await page.waitForURL((url) => url.origin === directUrl);
    await expect.poll(() => heading(page)).toBe('The portal cannot finish signing you in');
    const text = await page.locator('main').innerText();
    expect(text).toContain(`Celonis team at ${emulatorUrl}`);
    expect(text).toContain('token relay and API proxy, or the backend-for-frontend');
    await page.getByRole('button', { name: 'Try again' }).waitFor();
    // The typed code is there for whoever opens the details.
    await expect(page.locator('main').textContent()).resolves.toContain('token_endpoint_unreachable');
    // The browser's POST reached the team (a form post needs no preflight), but script could not read the answer.
    expect(await emulatorLog(emulatorUrl, { endpoint: 'token', grantType: 'authorization_code' })).toMatchObject([{ status: 401, error: 'invalid_client' }]);
  });
});
