import { describe, expect, test } from 'vitest';
import { createCelonisBff, createMemorySessionStore } from '../../index.js';
import { sha256Base64url } from '../bffIds.js';
import { KEY_1, SCOPES, tokenGrants, useBffHarness, type BffHarness, type Browser } from './bffSupport.js';

let h: BffHarness;
let browser: Browser;
useBffHarness((harness) => (h = harness), { signedIn: (signedIn) => (browser = signedIn) });

/** Moves the emulator's and (unless told otherwise) the BFF's clock forward. */
function advance(seconds: number, { bff = true } = {}): void {
  h.emulator.advanceClock(seconds);
  if (bff) h.clock.offsetMs += seconds * 1000;
}

const body = (text: string) => JSON.parse(text) as Record<string, unknown>;
const apiStatuses = () => h.emulator.requests('api').map((entry) => entry.status);

describe('server-side refresh', () => {
  test('a token within the leeway is refreshed before the call: no 401 reaches the API log', async () => {
    advance(850);
    const me = await browser.api('/celonis/api/me');
    expect(me.status).toBe(200);
    expect(tokenGrants(h.emulator)).toEqual(['authorization_code', 'refresh_token']);
    expect(apiStatuses()).toEqual([200]);
    const session = body((await browser.request('/auth/session')).body);
    expect(session.expiresAt).toBeGreaterThan(Date.now() + h.clock.offsetMs + 800_000);
  });

  test('/auth/session renews a due token too, so expiresAt is current', async () => {
    const before = body((await browser.request('/auth/session')).body).expiresAt as number;
    advance(900);
    const after = body((await browser.request('/auth/session')).body);
    expect(after).toMatchObject({ status: 'authenticated', scopes: SCOPES });
    expect(after.expiresAt as number).toBeGreaterThan(before + 800_000);
    expect(tokenGrants(h.emulator)).toEqual(['authorization_code', 'refresh_token']);
  });

  test('20 concurrent calls on an expired token cause one refresh', async () => {
    advance(900);
    const answers = await Promise.all(Array.from({ length: 20 }, () => browser.api('/celonis/api/me')));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(tokenGrants(h.emulator)).toEqual(['authorization_code', 'refresh_token']);
  });

  test('two instances on one store: one refresh between them (the lock, and the re-read inside it)', async () => {
    const store = createMemorySessionStore({ now: () => Date.now() + h.clock.offsetMs });
    const options = { sessionStore: store };
    const first = h.use(options);
    const shared = h.browser();
    await h.signIn(shared);
    const second = createCelonisBff({
      teamUrl: h.emulator.url,
      clientId: 'portal',
      clientSecret: 'portal-secret',
      allowedOrigins: [h.origin],
      redirectUri: h.redirectUri,
      scopes: SCOPES,
      encryptionKeys: [KEY_1],
      sessionStore: store,
      deps: { now: () => Date.now() + h.clock.offsetMs, logger: { warn: (line) => void h.lines.push(line) } },
    });
    h.emulator.clearRequests();
    advance(900);
    const call = (bff: typeof first) =>
      bff(new Request(`${h.origin}/celonis/api/me`, { headers: { 'X-Celonis-Auth': '1', Cookie: `celonis-auth=${shared.session()}` } }));
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => call(i % 2 ? first : second)));
    for (const answer of answers) h.seen.push(await answer.text());
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(tokenGrants(h.emulator)).toEqual(['refresh_token']);
  });

  test('a 401 invalid_token from the API refreshes once and retries once', async () => {
    // The emulator's clock runs ahead: the token the BFF thinks fresh is expired there.
    advance(900, { bff: false });
    const me = await browser.api('/celonis/api/me');
    expect(me.status).toBe(200);
    expect(apiStatuses()).toEqual([401, 200]);
    expect(tokenGrants(h.emulator)).toEqual(['authorization_code', 'refresh_token']);
  });

  test('the retry replays the buffered request body', async () => {
    const bodies: string[] = [];
    // A POST API on top of the emulator's token check: it echoes the body, or answers the emulator's 401.
    h.intercept = (url, init) => {
      if (!url.endsWith('/echo')) return undefined;
      return (async () => {
        bodies.push(new TextDecoder().decode(init?.body as Uint8Array));
        const check = await fetch(`${h.emulator.url}/api/me`, { headers: { Authorization: new Headers(init?.headers).get('authorization')! } });
        return check.ok ? new Response(bodies.at(-1), { status: 201 }) : check;
      })();
    };
    try {
      advance(900, { bff: false });
      const answer = await browser.api('/celonis/echo', { method: 'POST', body: '{"hello":"world"}', headers: { 'Content-Type': 'application/json' } });
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 201, body: '{"hello":"world"}' });
      expect(bodies).toEqual(['{"hello":"world"}', '{"hello":"world"}']);
    } finally {
      h.intercept = undefined;
    }
  });

  test('a second 401 after the retry goes back to the browser as the API sent it', async () => {
    h.emulator.injectFault({
      endpoint: 'api',
      fault: { kind: 'status', status: 401, body: { error: 'invalid_token' }, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
      count: 2,
    });
    const me = await browser.api('/celonis/api/me');
    expect(me.status).toBe(401);
    expect(me.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(tokenGrants(h.emulator)).toEqual(['authorization_code', 'refresh_token']);
  });

  test('invalid_grant ends the session: deleted, cookie cleared, 401 session_expired', async () => {
    const id = browser.session()!;
    h.emulator.injectFault({ endpoint: 'token', fault: { kind: 'status', status: 400, body: { error: 'invalid_grant' } } });
    advance(900);
    const me = await browser.api('/celonis/api/me');
    expect({ status: me.status, error: body(me.body).error }).toEqual({ status: 401, error: 'session_expired' });
    expect(me.setCookies).toEqual(['celonis-auth=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax']);
    expect(await h.store.get(`session:${sha256Base64url(id)}`)).toBeNull();
    expect(h.emulator.requests('api')).toEqual([]);
  });

  test('the token endpoint down: the old token while it lasts, then 503 with Retry-After, and the session survives', async () => {
    h.emulator.injectFault({ endpoint: 'token', fault: { kind: 'status', status: 503, retryAfterSeconds: 7 }, count: 2 });
    advance(850);
    expect((await browser.api('/celonis/api/me')).status).toBe(200);
    advance(60);
    const down = await browser.api('/celonis/api/me');
    expect({ status: down.status, error: body(down.body).error, retry: down.headers.get('retry-after') }).toEqual({
      status: 503,
      error: 'token_endpoint_unavailable',
      retry: '7',
    });
    expect(down.setCookies).toEqual([]);
    expect((await browser.api('/celonis/api/me')).status).toBe(200);
  });
});

describe('session lifetimes', () => {
  test('idle timeout: a session unused for 30 minutes is signed out', async () => {
    advance(29 * 60);
    expect(body((await browser.request('/auth/session')).body).status).toBe('authenticated');
    advance(29 * 60);
    expect(body((await browser.request('/auth/session')).body).status).toBe('authenticated');
    advance(31 * 60);
    const session = await browser.request('/auth/session');
    expect(body(session.body)).toEqual({ status: 'signedOut', scopes: [], expiresAt: null });
    expect(session.setCookies).toEqual(['celonis-auth=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax']);
  });

  test('absolute timeout: a busy session still ends', async () => {
    h.use({ absoluteTimeoutSeconds: 3_600 });
    const busy = h.browser();
    await h.signIn(busy);
    for (const _ of [1, 2]) {
      advance(20 * 60);
      expect(body((await busy.request('/auth/session')).body).status).toBe('authenticated');
    }
    advance(21 * 60);
    expect(body((await busy.request('/auth/session')).body).status).toBe('signedOut');
  });
});
