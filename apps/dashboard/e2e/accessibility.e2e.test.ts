// axe-core on each kind of session.page, and the screenshots of the main ones (test-artifacts/, plus the
// overview in docs/ for the README).
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, inject, test } from 'vitest';
import { axeViolations, formatViolations } from './axe.js';
import { ARTIFACTS_DIR, countdownSeconds, openDetails, screenshot, signIn } from './browser.js';
import { useBrowserSession } from './browserSession.js';

const emulatorUrl = inject('emulatorUrl');
const dashboardUrl = inject('dashboardUrl');

const DOCS_SCREENSHOT = fileURLToPath(new URL('../docs/overview.png', import.meta.url));
/** A fixed start for the browser's clock, so the overview screenshot comes out the same on every run. */
const CLOCK_START = new Date('2026-01-15T09:00:00Z');

const session = useBrowserSession(emulatorUrl);

async function expectNoViolations(): Promise<void> {
  const violations = await axeViolations(session.page);
  expect(violations, `axe on ${session.page.url()}:\n${formatViolations(violations)}`).toEqual([]);
}

test('the landing session.page, the overview and a data panel', async () => {
  await session.context.clock.install({ time: CLOCK_START });
  await session.page.goto(`${dashboardUrl}/`);
  await session.page.getByRole('button', { name: 'Sign in with Celonis' }).waitFor();
  await expectNoViolations();
  await screenshot(session.page, 'landing');

  await session.page.getByRole('button', { name: 'Sign in with Celonis' }).click();
  await signIn(session.page, emulatorUrl, 'analyst');
  await session.page.waitForURL(`${dashboardUrl}/overview`);
  await session.page.getByTestId('signed-in-as').waitFor();
  await expectNoViolations();

  // Hold the session.page's time at the moment the token arrived, so the countdown reads 14:59.
  const expiresAt = Date.parse((await session.page.getByTestId('expiry-countdown').getAttribute('datetime'))!);
  await session.page.clock.setFixedTime(expiresAt - 899_000);
  await expect.poll(() => countdownSeconds(session.page)).toBe(899);
  // The README's picture at a laptop's 1280 px; a phone's 390 px beside it in test-artifacts/.
  await session.page.setViewportSize({ width: 390, height: 844 });
  await expectNoViolations();
  await screenshot(session.page, 'overview-390');
  await session.page.setViewportSize({ width: 1280, height: 800 });
  const overview = await screenshot(session.page, 'overview');
  await mkdir(dirname(DOCS_SCREENSHOT), { recursive: true });
  // Written only when it changed, so a test run leaves the committed picture alone.
  const current = await readFile(DOCS_SCREENSHOT).catch(() => null);
  if (!current?.equals(overview)) await copyFile(`${ARTIFACTS_DIR}overview.png`, DOCS_SCREENSHOT);

  await session.page.getByRole('link', { name: 'Knowledge Models' }).click();
  await expect.poll(() => session.page.locator('tbody tr').count()).toBeGreaterThan(0);
  await expectNoViolations();
});

test('the request-access fallback', async () => {
  await session.page.goto(`${dashboardUrl}/audit`);
  await signIn(session.page, emulatorUrl, 'viewer');
  await session.page.getByRole('button', { name: 'Request access' }).waitFor();
  await expectNoViolations();
  await screenshot(session.page, 'request-access');
});

test('the error session.page', async () => {
  await session.page.goto(`${dashboardUrl}/overview`);
  await signIn(session.page, emulatorUrl, 'analyst', 'deny');
  await session.page.getByRole('heading', { level: 1, name: 'Sign-in was cancelled' }).waitFor();
  await expectNoViolations();
  // And with the details open.
  await openDetails(session.page);
  await session.page.getByTestId('error-description').waitFor();
  await expectNoViolations();
  await screenshot(session.page, 'error');
});
