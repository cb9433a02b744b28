// Signing in through the emulator's real login form: the happy path, a denied consent and a reloaded
// callback. A user without a panel's scope asking for it is in whatUsersSee.e2e.test.ts.
import { describe, expect, inject, test } from 'vitest';
import { emulatorLog, openDetails, signIn } from './browser.js';
import { useBrowserSession } from './browserSession.js';

const emulatorUrl = inject('emulatorUrl');
const dashboardUrl = inject('dashboardUrl');

const session = useBrowserSession(emulatorUrl);

describe('sign-in', () => {
  test('a signed-out visit to a panel goes through the login form and lands on that panel, with a clean address bar', async () => {
    await session.page.goto(`${dashboardUrl}/knowledge-models`);
    await signIn(session.page, emulatorUrl, 'analyst');

    await session.page.waitForURL(`${dashboardUrl}/knowledge-models`);
    await expect.poll(() => session.page.locator('tbody tr').count()).toBeGreaterThan(0);
    await expect(session.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Knowledge Models');
    const address = new URL(session.page.url());
    expect(address.searchParams.has('code')).toBe(false);
    expect(address.searchParams.has('state')).toBe(false);
    expect(address.pathname).toBe('/knowledge-models');

    const tokenRequests = await emulatorLog(emulatorUrl, { endpoint: 'token' });
    expect(tokenRequests).toMatchObject([{ grantType: 'authorization_code', clientId: 'dashboard', clientAuth: 'none', status: 200 }]);
  });

  test('denying the consent shows the error session.page with the server text as text, a way to start again, and no token request', async () => {
    let sentDescription: string | null = null;
    session.page.on('request', (request) => {
      const url = new URL(request.url());
      if (request.isNavigationRequest() && url.origin === dashboardUrl && url.pathname === '/callback')
        sentDescription = url.searchParams.get('error_description');
    });
    await session.page.goto(`${dashboardUrl}/overview`);
    await signIn(session.page, emulatorUrl, 'analyst', 'deny');

    await session.page.getByRole('heading', { level: 1, name: 'Sign-in was cancelled' }).waitFor();
    // The server's text is technical detail: behind "Details".
    await openDetails(session.page);
    const description = session.page.getByTestId('error-description');
    await description.waitFor();
    expect(sentDescription).toBeTruthy();
    await expect(description.textContent()).resolves.toBe(sentDescription);
    // Rendered as text: the element holds no markup of its own.
    await expect(description.evaluate((el) => el.childElementCount)).resolves.toBe(0);
    await expect(session.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign-in was cancelled');
    expect(new URL(session.page.url()).search).toBe('');
    expect(await emulatorLog(emulatorUrl, { endpoint: 'token' })).toEqual([]);

    await session.page.getByRole('button', { name: 'Start again' }).click();
    await session.page.waitForURL((url) => url.href.startsWith(`${emulatorUrl}/oauth2/authorize`));
    await session.page.locator('#username').waitFor();
  });

  test('reloading the callback URL after sign-in sends no new token request and stays signed in', async () => {
    let callbackUrl: string | undefined;
    session.page.on('request', (request) => {
      const url = new URL(request.url());
      if (request.isNavigationRequest() && url.origin === dashboardUrl && url.pathname === '/callback' && url.searchParams.has('code')) callbackUrl = url.href;
    });
    await session.page.goto(`${dashboardUrl}/overview`);
    await signIn(session.page, emulatorUrl, 'analyst');
    await session.page.waitForURL(`${dashboardUrl}/overview`);
    await session.page.getByTestId('signed-in-as').waitFor();
    expect(callbackUrl).toMatch(/[?&]code=.+&?/);
    expect(new URL(callbackUrl!).searchParams.get('state')).toBeTruthy();
    expect(await emulatorLog(emulatorUrl, { endpoint: 'token' })).toHaveLength(1);

    await session.page.goto(callbackUrl!);
    await session.page.waitForURL(`${dashboardUrl}/overview`);
    await session.page.getByTestId('signed-in-as').waitFor();
    await expect(session.page.getByTestId('signed-in-as').textContent()).resolves.toContain('Ada Analyst');
    await expect(session.page.getByTestId('error-description').count()).resolves.toBe(0);
    await expect(session.page.getByRole('alert').count()).resolves.toBe(0);
    expect(await emulatorLog(emulatorUrl, { endpoint: 'token' })).toHaveLength(1);
  });
});
