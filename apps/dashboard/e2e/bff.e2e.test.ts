// Backend-for-frontend mode against the emulator's celonis profile: the preview server signs in with
// the confidential `portal` client and keeps the tokens; the browser holds only an HttpOnly cookie,
// and the same React code (provider, guards, auth.fetch) runs on it.
import { describe, expect, inject, test } from 'vitest';
import type { Page, Response } from 'playwright-core';
import { PANELS } from '../src/panels.js';
import { emulatorLog, signIn } from './browser.js';
import { useBrowserSession } from './browserSession.js';

const emulatorUrl = inject('celonisEmulatorUrl');
const bffUrl = inject('bffUrl');
/** The emulator's access tokens are ES384 JWTs; nothing the browser receives or keeps may look like one. */
const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;

const session = useBrowserSession(emulatorUrl);
const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

async function openPanels(page: Page): Promise<void> {
  for (const panel of PANELS) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: panel.title, exact: true }).click();
    await page.waitForURL(`${bffUrl}${panel.path}`);
    await expect.poll(() => heading(page)).toBe(panel.title);
    await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(0);
  }
}

/** Everything the browser received from the portal's origin: headers and bodies. */
function captureResponses(page: Page): { seen: string[]; done: () => Promise<unknown> } {
  const seen: string[] = [];
  const reading: Promise<void>[] = [];
  page.on('response', (response: Response) => {
    if (new URL(response.url()).origin !== bffUrl) return;
    reading.push(
      (async () => {
        seen.push(`${response.url()}\n${JSON.stringify(await response.allHeaders())}\n${await response.text().catch(() => '')}`);
      })(),
    );
  });
  return { seen, done: () => Promise.all(reading) };
}

async function browserKeeps(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify({ cookie: document.cookie, local: { ...localStorage }, session: { ...sessionStorage } }));
}

describe('bff mode', () => {
  test('signs in on the server, loads every panel, renews on the server after the token expired, and never gives the browser a token', async () => {
    const { page } = session;
    const capture = captureResponses(page);
    await page.goto(`${bffUrl}/overview`);
    await signIn(page, emulatorUrl, 'analyst');
    await page.waitForURL(`${bffUrl}/overview`);
    await page.getByTestId('signed-in-as').waitFor();
    await openPanels(page);

    const codeGrants = await emulatorLog(emulatorUrl, { endpoint: 'token', grantType: 'authorization_code' });
    expect(codeGrants).toMatchObject([{ clientId: 'portal', clientAuth: 'client_secret_basic', status: 200 }]);
    expect(codeGrants[0]!.origin).toBeUndefined();

    // The emulator's clock passes the token's expiry: the API says invalid_token, the server renews once and retries.
    const advanced = await fetch(`${emulatorUrl}/__emulator/clock`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 900 }),
      signal: AbortSignal.timeout(5_000),
    });
    expect(advanced.ok).toBe(true);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview', exact: true }).click();
    await openPanels(page);
    const refreshGrants = await emulatorLog(emulatorUrl, { endpoint: 'token', grantType: 'refresh_token' });
    expect(refreshGrants).toMatchObject([{ clientId: 'portal', status: 200 }]);

    await capture.done();
    expect(capture.seen.length).toBeGreaterThan(PANELS.length);
    expect(capture.seen.filter((text) => JWT.test(text)).map((text) => text.split('\n')[0])).toEqual([]);
    const kept = await browserKeeps(page);
    expect(kept).not.toMatch(JWT);
    // The session cookie is HttpOnly: script sees none of it.
    expect(JSON.parse(kept)).toMatchObject({ cookie: '' });
  });

  test('two tabs share the session, and signing out in one signs out the other', async () => {
    const { context } = session;
    const one = await context.newPage();
    await one.goto(`${bffUrl}/overview`);
    await signIn(one, emulatorUrl, 'analyst');
    await one.getByTestId('signed-in-as').waitFor();
    const two = await context.newPage();
    await two.goto(`${bffUrl}/overview`);
    await two.getByTestId('signed-in-as').waitFor();
    // One sign-in for both.
    expect(await emulatorLog(emulatorUrl, { endpoint: 'token', grantType: 'authorization_code' })).toHaveLength(1);

    await one.getByRole('button', { name: 'Sign out' }).click();
    for (const tab of [one, two]) await tab.getByRole('button', { name: 'Sign in with Celonis' }).waitFor();
    const after = await one.evaluate(async () => (await fetch('/auth/session', { cache: 'no-store' })).json());
    expect(after).toEqual({ status: 'signedOut', scopes: [], expiresAt: null });
  });
});
