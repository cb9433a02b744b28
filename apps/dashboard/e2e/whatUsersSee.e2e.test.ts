// What a person sees on a first visit: the analyst's one sign-in opens every panel; the viewer's
// refused request says who can grant the permission; a broken configuration and the failures of a
// sign-in are explained in plain words, the technical detail folded away behind "Details".
import { describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { PANELS } from '../src/panels.js';
import { axeViolations, formatViolations } from './axe.js';
import { emulatorLog, eventually, injectFault, openDetails, resetEmulator, screenshot, signIn } from './browser.js';
import { useBrowserSession } from './browserSession.js';

const emulatorUrl = inject('emulatorUrl');
const dashboardUrl = inject('dashboardUrl');
const configErrorUrl = inject('configErrorUrl');

const session = useBrowserSession(emulatorUrl);

const authorizeGets = () => emulatorLog(emulatorUrl, { endpoint: 'authorize', method: 'GET' });
const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
/** The text a person sees: `innerText` leaves out the closed "Details". */
const visibleText = (page: Page) => page.locator('main').innerText();
/** Words of the protocol that no end-user sentence should contain. */
const JARGON = /access_denied|authorization server|refresh_token|grant is not|token endpoint|HTTP \d{3}|invalid_|_error/i;

async function expectNoViolations(page: Page): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `axe on ${page.url()}:\n${formatViolations(violations)}`).toEqual([]);
}

describe('signing in asks for every scope the panels need', () => {
  test("the analyst's first sign-in shows every panel, with no Request access anywhere", async () => {
    const { page } = session;
    await page.goto(`${dashboardUrl}/overview`);
    await signIn(page, emulatorUrl, 'analyst');
    await page.waitForURL(`${dashboardUrl}/overview`);
    await page.getByTestId('signed-in-as').waitFor();
    const granted = await page.getByTestId('granted-scopes').locator('code').allTextContents();
    expect(granted).toEqual(expect.arrayContaining(PANELS.map((panel) => panel.scope)));

    for (const panel of PANELS) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: panel.title, exact: true }).click();
      await page.waitForURL(`${dashboardUrl}${panel.path}`);
      await expect.poll(() => heading(page)).toBe(panel.title);
      await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(0);
      await expect(page.getByRole('button', { name: 'Request access' }).count()).resolves.toBe(0);
    }
    // One sign-in did it: no second consent round trip.
    expect(await authorizeGets()).toHaveLength(1);
    expect(await emulatorLog(emulatorUrl, { endpoint: 'token', grantType: 'authorization_code' })).toHaveLength(1);
  });

  test('the viewer is told a refused request was not granted and who can grant it, with "Try again" instead of the same button, and no loop', async () => {
    const { page } = session;
    const askedScopes: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (request.isNavigationRequest() && request.method() === 'GET' && url.href.startsWith(`${emulatorUrl}/oauth2/authorize`))
        askedScopes.push(url.searchParams.get('scope') ?? '');
    });

    await page.goto(`${dashboardUrl}/audit`);
    await signIn(page, emulatorUrl, 'viewer');
    await page.waitForURL(`${dashboardUrl}/audit`);
    const request = page.getByRole('button', { name: 'Request access' });
    await request.waitFor();
    await expect(heading(page)).resolves.toBe('No access to Audit log');
    await expect(page.locator('.scope-list code').allTextContents()).resolves.toEqual(['audit.log:read']);
    // The first sign-in asked for every panel's scope already; the viewer's permissions left two out.
    expect(askedScopes[0]!.split(' ')).toEqual(expect.arrayContaining(PANELS.map((panel) => panel.scope)));
    expect(await authorizeGets()).toHaveLength(1);

    await request.click();
    await signIn(page, emulatorUrl, 'viewer');
    await page.waitForURL(`${dashboardUrl}/audit`);
    await page.getByTestId('access-refused').waitFor();
    await expect(heading(page)).resolves.toBe('Access to Audit log was not granted');
    await expect(page.getByTestId('access-refused').textContent()).resolves.toContain('Celonis did not grant it');
    await expect(visibleText(page)).resolves.toContain('A Celonis admin can grant it, in Admin & Settings → Permissions.');
    await expect(page.locator('.scope-list code').allTextContents()).resolves.toEqual(['audit.log:read']);
    await expect(page.getByRole('button', { name: 'Request access' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Try again' }).count()).resolves.toBe(1);
    await expectNoViolations(page);
    await screenshot(page, 'access-refused');

    // The second authorization asked for audit.log:read; the emulator did not grant it.
    expect(askedScopes).toHaveLength(2);
    expect(askedScopes[1]!.split(' ')).toContain('audit.log:read');
    expect(await emulatorLog(emulatorUrl, { endpoint: 'token', grantType: 'authorization_code', status: 200 })).toHaveLength(2);
    // No loop: nothing more happens on its own.
    const later = await eventually(authorizeGets, (gets) => gets.length !== 2, 2_500, 250);
    expect(later).toHaveLength(2);
    expect(page.url()).toBe(`${dashboardUrl}/audit`);
  });
});

describe('a configuration error', () => {
  test('an empty VITE_CELONIS_CLIENT_ID shows a page naming the variable and the fix, not a blank page', async () => {
    const { page } = session;
    await page.goto(`${configErrorUrl}/overview`);
    await expect(heading(page)).resolves.toBe('The portal is not set up correctly');
    await expect(page.getByTestId('config-variable').textContent()).resolves.toBe('VITE_CELONIS_CLIENT_ID is set but empty.');
    const text = await visibleText(page);
    expect(text).toContain("Set it to the OAuth client's id from Celonis (Admin & Settings → Applications)");
    expect(text).toContain('restart pnpm dev or rebuild');
    await openDetails(page);
    await expect(page.locator('details code').first().textContent()).resolves.toBe('invalid_client_id');
    await expectNoViolations(page);
    await screenshot(page, 'config-error');
    // Nothing was sent anywhere.
    expect(await emulatorLog(emulatorUrl)).toEqual([]);
  });
});

describe('error pages in plain words, the detail behind "Details"', () => {
  test('denying the consent: "You chose not to …", and the OAuth error only in the details', async () => {
    const { page } = session;
    await page.goto(`${dashboardUrl}/overview`);
    await signIn(page, emulatorUrl, 'analyst', 'deny');
    await expect.poll(() => heading(page)).toBe('Sign-in was cancelled');
    const text = await visibleText(page);
    expect(text).toContain('You chose not to let the portal use your Celonis account, so you are not signed in.');
    expect(text).toContain('If that was a mistake, start again and approve the access.');
    expect(text).not.toMatch(JARGON);
    await expect(page.locator('details').getAttribute('open')).resolves.toBeNull();

    await openDetails(page);
    await expect(page.locator('details code').allTextContents()).resolves.toEqual(['authorization_error', 'access_denied']);
    await expect(page.getByTestId('error-description').isVisible()).resolves.toBe(true);
  });

  test('the token endpoint answering 503: "Celonis is busy right now", and when to try again', async () => {
    const { page } = session;
    await injectFault(emulatorUrl, { endpoint: 'token', fault: { kind: 'status', status: 503, retryAfterSeconds: 30 } });
    await page.goto(`${dashboardUrl}/overview`);
    await signIn(page, emulatorUrl, 'analyst');
    await expect.poll(() => heading(page)).toBe('Celonis is busy right now');
    const text = await visibleText(page);
    expect(text).toContain('Try again in 30 seconds.');
    expect(text).not.toMatch(JARGON);
    await openDetails(page);
    await expect(page.locator('details').innerText()).resolves.toMatch(/HTTP status\s+503/);
    await expect(page.getByRole('button', { name: 'Try again' }).count()).resolves.toBe(1);
  });

  test('the code exchange failing on the network: "The portal cannot finish signing you in", offline or no CORS', async () => {
    const { page } = session;
    // From script a refused connection to another origin looks like a CORS refusal: the page names both.
    await page.route(`${emulatorUrl}/oauth2/token`, (route) => route.abort('connectionrefused'));
    await page.goto(`${dashboardUrl}/overview`);
    await signIn(page, emulatorUrl, 'analyst');
    await expect.poll(() => heading(page)).toBe('The portal cannot finish signing you in');
    const text = await visibleText(page);
    expect(text).toContain(`Your browser got no answer from the Celonis team at ${emulatorUrl}: you may be offline`);
    expect(text).toContain("if it keeps failing, tell the portal's administrator");
    expect(text).not.toMatch(JARGON);
  });

  test('a refresh token the server no longer knows: "Your session has ended", and Sign in again leads to the login', async () => {
    const { page } = session;
    await page.goto(`${dashboardUrl}/overview`);
    await signIn(page, emulatorUrl, 'analyst');
    await page.getByTestId('signed-in-as').waitFor();
    // The emulator forgets every grant, as a revoked or timed-out session would be.
    await resetEmulator(emulatorUrl);
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect.poll(() => heading(page)).toBe('Your session has ended');
    const text = await visibleText(page);
    expect(text).toContain('Sign in again to continue where you were.');
    expect(text).not.toMatch(JARGON);
    await openDetails(page);
    await expect(page.locator('details code').first().textContent()).resolves.toBe('session_expired');

    await page.getByRole('button', { name: 'Sign in again' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${emulatorUrl}/oauth2/authorize`));
    await page.locator('#username').waitFor();
  });

  test('a team that cannot be reached: our page instead of the browser\'s, before leaving; "Try again" goes on once it answers', async () => {
    const { page, context } = session;
    // As a team URL that does not resolve: every request to the emulator fails before reaching it.
    const offline = (url: URL) => url.origin === emulatorUrl;
    await context.route(offline, (route) => route.abort('namenotresolved'));

    // A deep link signed out would leave for the login at once: it stays here and says why.
    await page.goto(`${dashboardUrl}/knowledge-models`);
    await expect.poll(() => heading(page)).toBe(`The Celonis team at ${emulatorUrl} cannot be reached`);
    expect(page.url()).toBe(`${dashboardUrl}/knowledge-models`);
    const text = await visibleText(page);
    expect(text).toContain('Check your internet connection (and VPN), then try again.');
    expect(text).not.toMatch(JARGON);
    await expectNoViolations(page);
    await screenshot(page, 'team-unreachable');

    // The start page's button: the same page again.
    await page.getByRole('link', { name: 'Back to the start page' }).click();
    await page.getByRole('button', { name: 'Sign in with Celonis' }).click();
    await expect.poll(() => heading(page)).toBe(`The Celonis team at ${emulatorUrl} cannot be reached`);
    expect(page.url()).toBe(`${dashboardUrl}/`);
    expect(await emulatorLog(emulatorUrl)).toEqual([]);

    // The team is back: "Try again" leaves for the login form.
    await context.unroute(offline);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${emulatorUrl}/oauth2/authorize`));
    await page.locator('#username').waitFor();
  });
});
