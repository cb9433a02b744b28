import { describe, expect, test } from 'vitest';
import { sha256Base64url } from '../bffIds.js';
import { pageCode, useBffHarness, type BffHarness, type Browser, type BrowserResponse } from './bffSupport.js';

let h: BffHarness;
useBffHarness((harness) => (h = harness));

/** A login started in `browser`, approved by the emulator: the callback's query and the state. */
async function approvedLogin(browser: Browser, returnTo = '/after'): Promise<{ query: URLSearchParams; state: string }> {
  const login = await browser.request(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  const callback = new URL(h.emulator.approve(login.location!));
  h.secrets.add(callback.searchParams.get('code')!);
  return { query: callback.searchParams, state: callback.searchParams.get('state')! };
}

function expectPage(answer: BrowserResponse, status: number, code: string, returnTo = '/'): void {
  expect({ status: answer.status, code: pageCode(answer.body) }).toEqual({ status, code });
  expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(answer.headers.get('cache-control')).toBe('no-store');
  expect(answer.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
  expect(answer.body).toContain(`<a href="/auth/login?returnTo=${encodeURIComponent(returnTo).replace(/%20/g, '+')}">Sign in again</a>`);
}

interface HostileCase {
  name: string;
  /** Builds the hostile callback (path and query) in a browser that started a login. */
  make: (browser: Browser) => Promise<string>;
  status: number;
  code: string;
  /** The returnTo the page offers: known once the transaction was matched. */
  returnTo?: string;
}

const callbackWith = (query: URLSearchParams, change: (q: URLSearchParams) => void) => {
  const q = new URLSearchParams(query);
  change(q);
  return `/auth/callback?${q}`;
};

const CASES: HostileCase[] = [
  { name: 'no state', make: async (b) => callbackWith((await approvedLogin(b)).query, (q) => q.delete('state')), status: 400, code: 'state_mismatch' },
  {
    name: 'a repeated state',
    make: async (b) => {
      const { query, state } = await approvedLogin(b);
      return callbackWith(query, (q) => q.append('state', state));
    },
    status: 400,
    code: 'state_mismatch',
  },
  { name: 'an empty state', make: async (b) => callbackWith((await approvedLogin(b)).query, (q) => q.set('state', '')), status: 400, code: 'state_mismatch' },
  {
    name: 'an oversized state',
    make: async (b) => callbackWith((await approvedLogin(b)).query, (q) => q.set('state', 'a'.repeat(5_000))),
    status: 400,
    code: 'state_mismatch',
  },
  {
    name: 'an unknown state',
    make: async (b) => callbackWith((await approvedLogin(b)).query, (q) => q.set('state', 'u'.repeat(43))),
    status: 400,
    code: 'state_mismatch',
  },
  {
    name: 'an unknown state with a forged cookie named after it',
    make: async (b) => {
      b.jar.set(`celonis-auth.txn.${'u'.repeat(43)}`, 'f'.repeat(43));
      return callbackWith((await approvedLogin(b)).query, (q) => q.set('state', 'u'.repeat(43)));
    },
    status: 400,
    code: 'missing_transaction',
  },
  {
    name: 'the state without its transaction cookie',
    make: async (b) => {
      const { query, state } = await approvedLogin(b);
      b.jar.delete(`celonis-auth.txn.${state}`);
      return callbackWith(query, () => undefined);
    },
    status: 400,
    code: 'state_mismatch',
  },
  {
    name: 'the transaction cookie of another login (login CSRF)',
    make: async (b) => {
      const attacker = h.browser();
      const { query } = await approvedLogin(attacker);
      await approvedLogin(b);
      return callbackWith(query, () => undefined);
    },
    status: 400,
    code: 'state_mismatch',
  },
  {
    name: 'a cookie named after the state with another value',
    make: async (b) => {
      const { query, state } = await approvedLogin(b);
      b.jar.set(`celonis-auth.txn.${state}`, 'x'.repeat(43));
      return callbackWith(query, () => undefined);
    },
    status: 400,
    code: 'state_mismatch',
  },
  {
    name: 'a foreign iss',
    make: async (b) => callbackWith((await approvedLogin(b)).query, (q) => q.set('iss', 'https://evil.example')),
    status: 400,
    code: 'issuer_mismatch',
    returnTo: '/after',
  },
  {
    name: 'an access_token in the query',
    make: async (b) => callbackWith((await approvedLogin(b)).query, (q) => q.set('access_token', 'eyJforged')),
    status: 400,
    code: 'invalid_callback',
    returnTo: '/after',
  },
  {
    name: 'a repeated code',
    make: async (b) => callbackWith((await approvedLogin(b)).query, (q) => q.append('code', 'other')),
    status: 400,
    code: 'invalid_callback',
    returnTo: '/after',
  },
  {
    name: 'an oversized code',
    make: async (b) => callbackWith((await approvedLogin(b)).query, (q) => q.set('code', 'c'.repeat(2_049))),
    status: 400,
    code: 'invalid_callback',
    returnTo: '/after',
  },
  {
    name: 'no code and no error',
    make: async (b) => callbackWith((await approvedLogin(b)).query, (q) => q.delete('code')),
    status: 400,
    code: 'invalid_callback',
    returnTo: '/after',
  },
  {
    name: 'error=access_denied (the user declined)',
    make: async (b) => {
      const login = await b.request('/auth/login?returnTo=%2Fafter');
      const denied = new URL(h.emulator.approve(login.location!, { decision: 'deny' }));
      return `${denied.pathname}${denied.search}`;
    },
    status: 403,
    code: 'access_denied',
    returnTo: '/after',
  },
  {
    name: 'an error with HTML in its description',
    make: async (b) =>
      callbackWith((await approvedLogin(b)).query, (q) => {
        q.delete('code');
        q.set('error', 'server_error');
        q.set('error_description', '<script>alert(1)</script>');
      }),
    status: 400,
    code: 'authorization_error',
    returnTo: '/after',
  },
];

describe('hostile callbacks: a page in plain words, and no token request', () => {
  test.each(CASES)('$name', async ({ make, status, code, returnTo }) => {
    const browser = h.browser();
    const path = await make(browser);
    const answer = await browser.request(path);
    expectPage(answer, status, code, returnTo);
    expect(answer.body).not.toContain('<script>');
    expect(h.emulator.requests('token')).toEqual([]);
    expect(browser.session()).toBeUndefined();
  });

  test('a description is escaped and shown as text', async () => {
    const browser = h.browser();
    const { query } = await approvedLogin(browser);
    const answer = await browser.request(
      callbackWith(query, (q) => (q.delete('code'), q.set('error', 'server_error'), q.set('error_description', '<b>"busy"</b> & down'))),
    );
    expect(answer.body).toContain('&#60;b&#62;&#34;busy&#34;&#60;/b&#62; &#38; down');
  });

  test('a replayed callback is refused without a token request, even with its cookie put back', async () => {
    const browser = h.browser();
    const { query, state } = await approvedLogin(browser);
    const cookie = browser.jar.get(`celonis-auth.txn.${state}`)!;
    expect((await browser.request(`/auth/callback?${query}`)).status).toBe(302);
    browser.jar.set(`celonis-auth.txn.${state}`, cookie);
    expectPage(await browser.request(`/auth/callback?${query}`), 400, 'missing_transaction');
    expect(h.emulator.requests('token')).toHaveLength(1);
  });

  test('a callback that fails after its state matched has used its transaction up', async () => {
    const browser = h.browser();
    const { query, state } = await approvedLogin(browser);
    const cookie = browser.jar.get(`celonis-auth.txn.${state}`)!;
    await browser.request(callbackWith(query, (q) => q.set('iss', 'https://evil.example')));
    expect(await h.store.get(`txn:${sha256Base64url(state)}`)).toBeNull();
    browser.jar.set(`celonis-auth.txn.${state}`, cookie);
    expectPage(await browser.request(`/auth/callback?${query}`), 400, 'missing_transaction');
    expect(h.emulator.requests('token')).toEqual([]);
  });

  test('iss equal to the team URL is accepted (RFC 9207)', async () => {
    const browser = h.browser();
    const { query } = await approvedLogin(browser);
    const answer = await browser.request(callbackWith(query, (q) => q.set('iss', h.emulator.url)));
    expect({ status: answer.status, location: answer.location }).toEqual({ status: 302, location: '/after' });
  });

  test('requireIssuer: a callback without iss is refused before any token request; one with the team URL signs in', async () => {
    h.use({ requireIssuer: true });
    const browser = h.browser();
    const { query } = await approvedLogin(browser);
    const refused = await browser.request(callbackWith(query, (q) => q.delete('iss')));
    expectPage(refused, 400, 'issuer_mismatch', '/after');
    expect(refused.body).toContain('does not say which server sent it');
    expect(h.emulator.requests('token')).toEqual([]);
    const { query: again } = await approvedLogin(browser);
    const answer = await browser.request(callbackWith(again, (q) => q.set('iss', h.emulator.url)));
    expect({ status: answer.status, location: answer.location }).toEqual({ status: 302, location: '/after' });
  });

  test('issuer: the iss a callback must name when it is not the team URL', async () => {
    h.use({ issuer: 'https://login.celonis.example/' });
    const browser = h.browser();
    const { query } = await approvedLogin(browser);
    expectPage(await browser.request(callbackWith(query, (q) => q.set('iss', h.emulator.url))), 400, 'issuer_mismatch', '/after');
    const { query: again } = await approvedLogin(browser);
    const answer = await browser.request(callbackWith(again, (q) => q.set('iss', 'https://login.celonis.example')));
    expect({ status: answer.status, location: answer.location }).toEqual({ status: 302, location: '/after' });
  });

  test('a code the team refuses ends on a page; the failure is logged without the code', async () => {
    const browser = h.browser();
    const { query } = await approvedLogin(browser);
    const answer = await browser.request(callbackWith(query, (q) => q.set('code', 'not-a-real-code')));
    expectPage(answer, 502, 'token_error', '/after');
    expect(h.lines.at(-1)).toBe("celonis-auth BFF: a sign-in's code exchange failed (token_error invalid_grant (HTTP 400))");
  });
});
