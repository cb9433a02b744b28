import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_EMULATOR_CONFIG, startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { cookieJar } from '@celonis-auth/test-utils';
import { createCelonisBff, createMemorySessionStore, toNodeHandler, type CelonisBff, type CelonisBffOptions, type SessionStore } from '../../index.js';
import { captureLogger } from '../../__tests__/testSupport.js';

/** Two encryption keys (32 bytes each, base64url), for rotation tests. */
export const KEY_1 = Buffer.alloc(32, 1).toString('base64url');
export const KEY_2 = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 3)).toString('base64url');
/** The portal's https origin for tests that call the handler directly. */
export const HTTPS_ORIGIN = 'https://portal.example';
export const SCOPES = ['studio', 'intelligence.knowledge-models:read'];

/** What a browser got back: everything a page (or an extension) could see. */
export interface BrowserResponse {
  status: number;
  headers: Headers;
  body: string;
  setCookies: string[];
  location: string | null;
}

/** Sends one request, as the network would: over HTTP, or straight into a handler. */
type Send = (url: string, init: RequestInit) => Promise<Response>;

/** A tiny browser: a cookie jar, no redirects followed, every answer recorded for the token scan. */
export class Browser {
  readonly #cookies = cookieJar();
  readonly jar = this.#cookies.cookies;
  readonly #base: string;
  readonly #send: Send;
  readonly #harness: BffHarness;

  constructor(harness: BffHarness, base: string, send: Send) {
    this.#harness = harness;
    this.#base = base;
    this.#send = send;
  }

  /** `path` on the portal with this browser's cookies; `headers` as given. */
  async request(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<BrowserResponse> {
    const headers = new Headers(init.headers);
    if (this.jar.size > 0) headers.set('Cookie', this.#cookies.header());
    const response = await this.#send(`${this.#base}${path}`, { method: init.method ?? 'GET', headers, body: init.body ?? null, redirect: 'manual' });
    const body = await response.text();
    const setCookies = this.#cookies.take(response);
    for (const value of this.jar.values()) this.#harness.secrets.add(value);
    const headerText = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
    this.#harness.seen.push(`${response.status}\n${headerText}\n${setCookies.join('\n')}\n\n${body}`);
    return { status: response.status, headers: response.headers, body, setCookies, location: response.headers.get('location') };
  }

  /** A proxied API call or logout as `auth.fetch` sends it: `X-Celonis-Auth: 1`, same-origin `Origin` and `Sec-Fetch-Site`. */
  api(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<BrowserResponse> {
    const headers = { 'X-Celonis-Auth': '1', Origin: this.#base, 'Sec-Fetch-Site': 'same-origin', ...init.headers };
    return this.request(path, { ...init, headers });
  }

  /** The session cookie's value, if any. */
  session(name = 'celonis-auth'): string | undefined {
    return this.jar.get(name);
  }
}

/** An emulator in the celonis profile, a 127.0.0.1 server for the BFF under test, and what the browser saw. */
export interface BffHarness {
  emulator: RunningEmulator;
  /** `http://127.0.0.1:<port>`, the portal's origin. */
  origin: string;
  redirectUri: string;
  /** Added to the BFF's clock (the emulator has its own, moved with `advanceClock`). */
  clock: { offsetMs: number };
  /** Every access and refresh token the emulator issued to the BFF. */
  tokens: Set<string>;
  /** Cookie values (session ids, transaction bindings) and codes: none may reach a log line. */
  secrets: Set<string>;
  /** Every answer a browser received, as text. */
  seen: string[];
  lines: string[];
  /** Answers API calls before the emulator does, when set (a fake API on top of the emulator's token checks). */
  intercept: ((url: string, init: RequestInit | undefined) => Promise<Response> | undefined) | undefined;
  /** The BFF under test now; `use` replaces it. */
  bff: CelonisBff;
  store: SessionStore;
  use(options?: Partial<CelonisBffOptions>): CelonisBff;
  browser(): Browser;
  /** A browser that talks to `HTTPS_ORIGIN` by calling the handler directly. */
  httpsBrowser(bff: CelonisBff): Browser;
  /** Logs in through the emulator; returns the final answer (the callback's). */
  signIn(browser: Browser, options?: { returnTo?: string; username?: string; scopes?: string }): Promise<BrowserResponse>;
  close(): Promise<void>;
}

/** Starts a {@link BffHarness}; call `close()` in `afterAll`. */
export async function startBffHarness(): Promise<BffHarness> {
  let listener: RequestListener = (_req, res) => void res.writeHead(503).end();
  const server: Server = createServer((req, res) => listener(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const redirectUri = `${origin}/auth/callback`;
  const clients = DEFAULT_EMULATOR_CONFIG.clients.map((client) =>
    client.clientId === 'portal' ? { ...client, redirectUris: [redirectUri, `${HTTPS_ORIGIN}/auth/callback`] } : client,
  );
  const emulator = await startEmulator({ port: 0, profile: 'celonis', config: { clients } });
  const log = captureLogger();
  const harness: BffHarness = {
    emulator,
    origin,
    redirectUri,
    clock: { offsetMs: 0 },
    tokens: new Set(),
    secrets: new Set(),
    seen: [],
    lines: log.lines,
    intercept: undefined,
    bff: undefined as unknown as CelonisBff,
    store: createMemorySessionStore(),
    use(options = {}) {
      const now = () => Date.now() + harness.clock.offsetMs;
      harness.store = options.sessionStore ?? createMemorySessionStore({ now });
      harness.bff = createCelonisBff({
        teamUrl: emulator.url,
        clientId: 'portal',
        clientSecret: 'portal-secret',
        allowedOrigins: [origin, HTTPS_ORIGIN],
        redirectUri,
        scopes: SCOPES,
        encryptionKeys: [KEY_1],
        sessionStore: harness.store,
        ...options,
        deps: { fetch: recordingFetch, logger: log.logger, now, ...options.deps },
      });
      listener = toNodeHandler(harness.bff);
      return harness.bff;
    },
    browser: () => new Browser(harness, origin, (url, init) => fetch(url, init)),
    httpsBrowser: (bff) => new Browser(harness, HTTPS_ORIGIN, (url, init) => bff(new Request(url, init))),
    async signIn(browser, options = {}) {
      const query = new URLSearchParams({ returnTo: options.returnTo ?? '/' });
      if (options.scopes) query.set('scopes', options.scopes);
      const login = await browser.request(`/auth/login?${query}`);
      expect(login.status).toBe(302);
      const callback = new URL(emulator.approve(login.location!, { username: options.username ?? 'analyst@example.com' }));
      harness.secrets.add(callback.searchParams.get('code') ?? '');
      return browser.request(`${callback.pathname}${callback.search}`);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await emulator.close();
    },
  };

  async function recordingFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const url = input instanceof Request ? input.url : String(input);
    const intercepted = harness.intercept?.(url, init);
    if (intercepted) return intercepted;
    const response = await fetch(input, init);
    if (url.endsWith('/oauth2/token') && response.ok) {
      const body = (await response.clone().json()) as { access_token?: string; refresh_token?: string };
      for (const token of [body.access_token, body.refresh_token]) if (token) harness.tokens.add(token);
    }
    return response;
  }

  harness.use();
  return harness;
}

/** Options of {@link useBffHarness}. */
export interface BffHarnessHooksOptions {
  /** Before each test, after the reset: a new browser, signed in through the emulator, is handed here. */
  signedIn?: (browser: Browser) => void;
}

/**
 * The preamble of a BFF test file: one harness for the file (started in `beforeAll`, handed to `started`; checked
 * for token leaks and closed in `afterAll`), and before each test a reset emulator, the BFF's clock back at 0 and a
 * new BFF with a new store, so no test sees another's sessions. A file's own `beforeEach` runs after this one.
 */
export function useBffHarness(started: (harness: BffHarness) => void, options: BffHarnessHooksOptions = {}): void {
  let harness: BffHarness;
  beforeAll(async () => {
    harness = await startBffHarness();
    started(harness);
  });
  afterAll(async () => {
    expectNoTokenLeaks(harness);
    await harness.close();
  });
  beforeEach(async () => {
    harness.emulator.reset();
    harness.clock.offsetMs = 0;
    harness.use();
    if (options.signedIn) {
      const browser = harness.browser();
      await harness.signIn(browser);
      options.signedIn(browser);
    }
  });
}

/** Asserts that no answer any browser got and no log line held a token, and no log line a cookie value or code. */
export function expectNoTokenLeaks(harness: BffHarness): void {
  expect(harness.tokens.size).toBeGreaterThan(0);
  expect(harness.seen.length).toBeGreaterThan(0);
  for (const token of harness.tokens) {
    for (const text of [...harness.seen, ...harness.lines]) expect(text.includes(token), 'a token reached a browser or a log line').toBe(false);
  }
  const secrets = [...harness.secrets].filter((secret) => secret.length >= 16);
  for (const line of harness.lines) for (const secret of secrets) expect(line).not.toContain(secret);
}

/** The page's error code (`<code>…</code>`), or undefined for a body that is no BFF page. */
export function pageCode(body: string): string | undefined {
  return /Error code: <code>([^<]*)<\/code>/.exec(body)?.[1];
}

/** The token grants the emulator served since the last reset. */
export function tokenGrants(emulator: RunningEmulator): (string | undefined)[] {
  return emulator.requests('token').map((entry) => entry.grantType);
}
