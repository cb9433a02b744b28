// The hardening of sign-in as a person meets it: Back after an automatic redirect, and a reload
// while the code is exchanged.
import { describe, expect, inject, test } from 'vitest';
import type { Page, Route } from 'playwright-core';
import { signIn, WAIT_MS } from './browser.js';
import { useBrowserSession } from './browserSession.js';

const emulatorUrl = inject('emulatorUrl');
const dashboardUrl = inject('dashboardUrl');

const session = useBrowserSession(emulatorUrl);

const onLoginPage = (url: URL) => url.href.startsWith(`${emulatorUrl}/oauth2/authorize`);

/** Holds the next code exchange until `release()`; the page meanwhile shows "Signing you in…". */
async function holdNextExchange(page: Page) {
  const held: Route[] = [];
  await page.route(`${emulatorUrl}/oauth2/token`, (route) => void held.push(route));
  return {
    waitUntilHeld: () => expect.poll(() => held.length, { timeout: WAIT_MS }).toBeGreaterThan(0),
    async release() {
      await page.unroute(`${emulatorUrl}/oauth2/token`);
      // The page that sent it is gone; the request goes nowhere.
      for (const route of held) await route.abort().catch(() => undefined);
    },
  };
}

describe('navigation around sign-in', () => {
  test('Back after the automatic redirect of a guarded page returns to the page before it, not to another redirect', async () => {
    await session.page.goto(`${dashboardUrl}/`);
    await session.page.getByRole('heading', { level: 1 }).waitFor();
    await session.page.goto(`${dashboardUrl}/knowledge-models`);
    await session.page.waitForURL(onLoginPage);
    await session.page.goBack();
    await session.page.waitForURL(`${dashboardUrl}/`);
    // It stays there: no redirect to the login page follows.
    await session.page.waitForTimeout(500);
    expect(new URL(session.page.url()).href).toBe(`${dashboardUrl}/`);
  });
});

describe('a reload while "Signing you in…" shows', () => {
  test('starts one new sign-in by itself, and that one lands on the page first asked for', async () => {
    await session.page.goto(`${dashboardUrl}/knowledge-models`);
    const exchange = await holdNextExchange(session.page);
    await signIn(session.page, emulatorUrl, 'analyst');
    await exchange.waitUntilHeld();
    await session.page.getByText('Signing you in…').waitFor();
    await session.page.reload();
    await exchange.release();
    // The interrupted sign-in is not an error page: the login page comes again.
    await session.page.waitForURL(onLoginPage);
    await signIn(session.page, emulatorUrl, 'analyst');
    await session.page.waitForURL(`${dashboardUrl}/knowledge-models`);
    await expect(session.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Knowledge Models');
  });

  test('interrupted twice, it says so in plain words with a button instead of looping', async () => {
    await session.page.goto(`${dashboardUrl}/knowledge-models`);
    for (let round = 0; round < 2; round++) {
      const exchange = await holdNextExchange(session.page);
      await signIn(session.page, emulatorUrl, 'analyst');
      await exchange.waitUntilHeld();
      await session.page.reload();
      await exchange.release();
      if (round === 0) await session.page.waitForURL(onLoginPage);
    }
    const alert = session.page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/interrupted/i);
    await expect(alert.textContent()).resolves.not.toMatch(/authorization callback|no code, error or state/);
    expect(new URL(session.page.url()).pathname).toBe('/callback');
  });
});
