import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, newContext, resetEmulator } from './browser.js';

/** The browser of a test file: one Chromium, a fresh context (and page) per test. */
export interface BrowserSession {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
}

/**
 * Registers the hooks every e2e file needs: Chromium launched once per file, the emulator reset
 * and a new context opened before each test (with its clock installed when asked, before the
 * first navigation), and everything closed after.
 */
export function useBrowserSession(emulatorUrl: string, options: { installClock?: { time: Date } | true } = {}): BrowserSession {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    await resetEmulator(emulatorUrl);
    context = await newContext(browser!);
    if (options.installClock) await context.clock.install(options.installClock === true ? {} : options.installClock);
    page = await context.newPage();
  });
  afterEach(async () => {
    await context?.close();
  });
  return {
    get browser() {
      return browser!;
    },
    get context() {
      return context!;
    },
    get page() {
      return page!;
    },
  };
}
