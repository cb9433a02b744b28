// axe-core on each kind of page, and the screenshots of the main ones (test-artifacts/, plus the
// overview in docs/ for the README).
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, formatViolations } from './axe.js';
import { ARTIFACTS_DIR, countdownSeconds, launchChromium, newContext, resetEmulator, screenshot, signIn } from './browser.js';

const emulatorUrl = inject('emulatorUrl');
const dashboardUrl = inject('dashboardUrl');

const DOCS_SCREENSHOT = fileURLToPath(new URL('../docs/overview.png', import.meta.url));
/** A fixed start for the browser's clock, so the overview screenshot comes out the same on every run. */
const CLOCK_START = new Date('2026-01-15T09:00:00Z');

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  await resetEmulator(emulatorUrl);
  context = await newContext(browser);
  page = await context.newPage();
});
afterEach(async () => {
  await context?.close();
});

async function expectNoViolations(): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `axe on ${page.url()}:\n${formatViolations(violations)}`).toEqual([]);
}

test('the landing page, the overview and a data panel', async () => {
  await context.clock.install({ time: CLOCK_START });
  await page.goto(`${dashboardUrl}/`);
  await page.getByRole('button', { name: 'Sign in with Celonis' }).waitFor();
  await expectNoViolations();
  await screenshot(page, 'landing');

  await page.getByRole('button', { name: 'Sign in with Celonis' }).click();
  await signIn(page, emulatorUrl, 'analyst');
  await page.waitForURL(`${dashboardUrl}/overview`);
  await page.getByTestId('signed-in-as').waitFor();
  await expectNoViolations();

  // Hold the page's time at the moment the token arrived, so the countdown reads 14:59.
  const expiresAt = Date.parse((await page.getByTestId('expiry-countdown').getAttribute('datetime'))!);
  await page.clock.setFixedTime(expiresAt - 899_000);
  await expect.poll(() => countdownSeconds(page)).toBe(899);
  const overview = await screenshot(page, 'overview');
  await mkdir(dirname(DOCS_SCREENSHOT), { recursive: true });
  // Written only when it changed, so a test run leaves the committed picture alone.
  const current = await readFile(DOCS_SCREENSHOT).catch(() => null);
  if (!current?.equals(overview)) await copyFile(`${ARTIFACTS_DIR}overview.png`, DOCS_SCREENSHOT);

  await page.getByRole('link', { name: 'Knowledge Models' }).click();
  await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(0);
  await expectNoViolations();
});

test('the request-access fallback', async () => {
  await page.goto(`${dashboardUrl}/audit`);
  await signIn(page, emulatorUrl, 'viewer');
  await page.getByRole('button', { name: 'Request access' }).waitFor();
  await expectNoViolations();
  await screenshot(page, 'request-access');
});

test('the error page', async () => {
  await page.goto(`${dashboardUrl}/overview`);
  await signIn(page, emulatorUrl, 'analyst', 'deny');
  await page.getByTestId('error-description').waitFor();
  await expectNoViolations();
  await screenshot(page, 'error');
});
