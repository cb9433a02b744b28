// Helpers for the end-to-end tests: Debian's Chromium through playwright-core, the emulator's
// login form, and the emulator's control surface over HTTP.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { FaultInjection, LoggedEndpoint, RequestLogEntry } from '@celonis-auth/emulator';

/** Where Debian puts Chromium; `scripts/ensure-chromium.sh` installs it when missing. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Screenshots of a run; git ignores this folder. */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

/** A bound for waits on the page: generous for a busy two-core machine, still far below the test timeout. */
export const WAIT_MS = 15_000;

/** The seeded emulator users. */
export const USERS = {
  analyst: { username: 'analyst@example.com', password: 'analyst' },
  viewer: { username: 'viewer@example.com', password: 'viewer' },
} as const;
export type UserName = keyof typeof USERS;

/**
 * Launches headless Chromium. `launch()` gives it a fresh temporary profile (user-data dir) that
 * `browser.close()` removes; each test then takes a new context, so nothing carries over.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    timeout: 30_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A new, empty browser context (its own storage), with fixed locale and time zone for stable screenshots. */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1200, height: 800 } });
  context.setDefaultTimeout(WAIT_MS);
  context.setDefaultNavigationTimeout(WAIT_MS);
  return context;
}

/** Waits for the emulator's login form, signs in as `user` and approves (or denies) the consent. */
export async function signIn(page: Page, emulatorUrl: string, user: UserName, decision: 'approve' | 'deny' = 'approve'): Promise<void> {
  await page.waitForURL((url) => url.href.startsWith(`${emulatorUrl}/oauth2/authorize`));
  await page.locator('#username').fill(USERS[user].username);
  await page.locator('#password').fill(USERS[user].password);
  await page.locator(`button[name="decision"][value="${decision}"]`).click();
}

/** What to pick from the emulator's request log: equal fields. */
export type LogFilter = Partial<Pick<RequestLogEntry, 'method' | 'grantType' | 'status' | 'error' | 'clientId' | 'clientAuth' | 'path'>> & {
  endpoint?: LoggedEndpoint;
};

/** The emulator's request log (`GET /__emulator/log`), narrowed by `filter`. */
export async function emulatorLog(emulatorUrl: string, filter: LogFilter = {}): Promise<RequestLogEntry[]> {
  const query = filter.endpoint ? `?endpoint=${filter.endpoint}` : '';
  const response = await fetch(`${emulatorUrl}/__emulator/log${query}`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET /__emulator/log answered ${response.status}`);
  const entries = (await response.json()) as RequestLogEntry[];
  return entries.filter((entry) => Object.entries(filter).every(([key, value]) => entry[key as keyof RequestLogEntry] === value));
}

/** Forgets the emulator's codes, tokens, log, faults and clock offset (`POST /__emulator/reset`). */
export async function resetEmulator(emulatorUrl: string): Promise<void> {
  // The control surface takes state-changing requests only as JSON (a web page's form post cannot reach it).
  const response = await fetch(`${emulatorUrl}/__emulator/reset`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    signal: AbortSignal.timeout(5_000),
  });
  if (response.status !== 204) throw new Error(`POST /__emulator/reset answered ${response.status}`);
}

/** Queues a fault for the emulator's next requests to an endpoint (`POST /__emulator/faults`). */
export async function injectFault(emulatorUrl: string, injection: FaultInjection): Promise<void> {
  const response = await fetch(`${emulatorUrl}/__emulator/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(injection),
    signal: AbortSignal.timeout(5_000),
  });
  if (response.status !== 204) throw new Error(`POST /__emulator/faults answered ${response.status}`);
}

/** Opens the "Details" disclosure of an error page, where the technical detail is folded away. */
export async function openDetails(page: Page): Promise<void> {
  await page.locator('details > summary', { hasText: 'Details' }).first().click();
  await page.locator('details[open]').first().waitFor();
}

/** Saves a full-page screenshot under `test-artifacts/` and returns its bytes. */
export async function screenshot(page: Page, name: string): Promise<Buffer> {
  const bytes = await page.screenshot({ fullPage: true, animations: 'disabled' });
  const file = join(ARTIFACTS_DIR, `${name}.png`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, bytes);
  return bytes;
}

/** The countdown's seconds (`data-seconds` of `data-testid=expiry-countdown`). */
export async function countdownSeconds(page: Page): Promise<number> {
  const value = await page.getByTestId('expiry-countdown').getAttribute('data-seconds');
  return Number(value);
}

/** Waits until `check` holds, polling every `intervalMs`, at most `timeoutMs`; returns the last value. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = WAIT_MS, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    value = await read();
  }
  return value;
}
