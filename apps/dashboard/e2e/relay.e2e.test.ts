// Relay mode against the emulator's celonis profile: the dashboard signs in with its confidential `portal` client, and the
// preview server's token relay adds the client secret on the way to the token endpoint.
import { expect, inject, test } from 'vitest';
import type { Response } from 'playwright-core';
import { emulatorLog, signIn } from './browser.js';
import { useBrowserSession } from './browserSession.js';

const emulatorUrl = inject('celonisEmulatorUrl');
const relayUrl = inject('relayUrl');
const SECRET = 'portal-secret';

const session = useBrowserSession(emulatorUrl);

test('signs in with the confidential client through the relay; the secret never reaches the browser', async () => {
  // Every response the browser gets from the dashboard's origin or the emulator, and every request it sends.
  const bodies: { url: string; body: string }[] = [];
  const reading: Promise<void>[] = [];
  const sent: string[] = [];
  session.context.on('response', (response: Response) => {
    const origin = new URL(response.url()).origin;
    if (origin !== relayUrl && origin !== emulatorUrl) return;
    reading.push(
      (async () => {
        // Redirects have no body to read; their headers still count.
        const headers = JSON.stringify(await response.allHeaders());
        const body = await response.text().catch(() => '');
        bodies.push({ url: response.url(), body: `${headers}\n${body}` });
      })(),
    );
  });
  session.context.on('request', (request) => {
    reading.push((async () => void sent.push(`${request.url()}\n${JSON.stringify(await request.allHeaders())}\n${request.postData() ?? ''}`))());
  });

  const page = await session.context.newPage();
  await page.goto(`${relayUrl}/overview`);
  await signIn(page, emulatorUrl, 'analyst');
  await page.waitForURL(`${relayUrl}/overview`);
  await page.getByTestId('signed-in-as').waitFor();
  await Promise.all(reading);

  await expect(page.locator('dt:text-is("Application") + dd').textContent()).resolves.toBe('portal');
  const codeGrants = await emulatorLog(emulatorUrl, { endpoint: 'token', grantType: 'authorization_code' });
  expect(codeGrants).toMatchObject([{ clientId: 'portal', clientAuth: 'client_secret_basic', status: 200 }]);
  // From the relay (a server), not from the browser, which would have sent its Origin.
  expect(codeGrants[0]!.origin).toBeUndefined();

  // The code went to the dashboard's own origin, not to the emulator.
  const tokenPosts = sent.filter((r) => r.includes('/oauth2/token') || r.includes('/api/celonis/token'));
  expect(tokenPosts.map((r) => new URL(r.split('\n')[0]!).href)).toEqual([`${relayUrl}/api/celonis/token`]);

  // The capture saw the flow: the app, the login page and the relay's token response.
  expect(bodies.some((b) => b.url.startsWith(`${emulatorUrl}/oauth2/authorize`) && b.body.includes('Sign in to continue'))).toBe(true);
  // Seen, headers at least: its body may be gone once the page has moved on (the capture reads it late), which is no leak.
  expect(bodies.some((b) => b.url === `${relayUrl}/api/celonis/token` && b.body.includes('"cache-control":"no-store"'))).toBe(true);
  expect(bodies.some((b) => b.url.startsWith(`${relayUrl}/assets/`) && b.url.endsWith('.js'))).toBe(true);
  expect(bodies.filter((b) => b.body.includes(SECRET)).map((b) => b.url)).toEqual([]);
  expect(sent.filter((r) => r.includes(SECRET) || /authorization": "basic/i.test(r))).toEqual([]);
});
