import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { ANALYST, OTHER_REDIRECT_URI, authorizeUrl, hiddenInputs, pkce, readLoginForm, useEmulator, type LoginForm } from './flows.js';

const emulator = useEmulator();

/** A login-form post as a browser would send it: the fields and the cookie it holds. */
interface Submission {
  fields: [string, string][];
  cookie: string | undefined;
}

/** GETs the login page, sending `cookie` when the browser has one. */
async function open(url: URL, cookie?: string): Promise<LoginForm> {
  const response = await fetch(url, { headers: cookie ? { Cookie: cookie } : {} });
  expect(response.status).toBe(200);
  return readLoginForm(response);
}

function submission(form: LoginForm, decision: string): Submission {
  return { fields: [...hiddenInputs(form.html), ['username', ANALYST.username], ['password', ANALYST.password], ['decision', decision]], cookie: form.cookie };
}

function post(em: RunningEmulator, { fields, cookie }: Submission): Promise<Response> {
  return fetch(`${em.url}/oauth2/authorize`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    redirect: 'manual',
    headers: cookie ? { Cookie: cookie } : {},
  });
}

const set = (fields: [string, string][], name: string, value: string): [string, string][] => fields.map(([n, v]) => [n, n === name ? value : v]);
const tokenOf = (fields: [string, string][]) => fields.find(([name]) => name === 'csrf_token')![1];

let restarted: RunningEmulator;
beforeAll(async () => {
  restarted = await startEmulator();
});
afterAll(() => restarted.close());

// Each case spoils one part of a real form post; the untouched post signs in (the first test).
const cases: { name: string; spoil: (s: Submission, em: RunningEmulator, url: URL) => Submission | Promise<Submission> }[] = [
  { name: 'no csrf_token', spoil: (s) => ({ ...s, fields: s.fields.filter(([name]) => name !== 'csrf_token') }) },
  { name: 'an empty csrf_token', spoil: (s) => ({ ...s, fields: set(s.fields, 'csrf_token', '') }) },
  { name: 'no form cookie (a cross-site post: the cookie is SameSite=Strict)', spoil: (s) => ({ ...s, cookie: undefined }) },
  { name: 'another browser’s cookie', spoil: (s) => ({ ...s, cookie: `celonis_emulator_form=${randomBytes(32).toString('base64url')}` }) },
  {
    name: 'a token with its last character changed',
    spoil: (s) => {
      const token = tokenOf(s.fields);
      return { ...s, fields: set(s.fields, 'csrf_token', `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`) };
    },
  },
  { name: 'a token without its MAC', spoil: (s) => ({ ...s, fields: set(s.fields, 'csrf_token', tokenOf(s.fields).split('.')[0]!) }) },
  {
    name: 'the token of another form of the same browser (another state)',
    spoil: async (s, em) => {
      const other = await open(authorizeUrl(em, { state: 'another-state', codeChallenge: pkce().challenge }), s.cookie);
      return { ...s, fields: set(s.fields, 'csrf_token', tokenOf(hiddenInputs(other.html))) };
    },
  },
  { name: 'a widened scope', spoil: (s) => ({ ...s, fields: set(s.fields, 'scope', 'studio audit.log:read') }) },
  { name: 'the other registered redirect_uri', spoil: (s) => ({ ...s, fields: set(s.fields, 'redirect_uri', OTHER_REDIRECT_URI) }) },
  { name: 'the state dropped', spoil: (s) => ({ ...s, fields: s.fields.filter(([name]) => name !== 'state') }) },
  { name: 'a repeated csrf_token', spoil: (s) => ({ ...s, fields: [...s.fields, ['csrf_token', tokenOf(s.fields)]] }) },
  {
    name: 'a form and cookie of an emulator that has restarted (another key)',
    spoil: async (s, _em, url) => {
      const before = await open(new URL(`${url.pathname}${url.search}`, restarted.url));
      return submission(before, s.fields.find(([name]) => name === 'decision')![1]);
    },
  },
];

describe('the login form’s CSRF token', () => {
  it('signs in with the untouched form and its cookie', async () => {
    const em = emulator();
    const form = await open(authorizeUrl(em, { state: 'st', codeChallenge: pkce().challenge }));
    const response = await post(em, submission(form, 'approve'));
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location')!).searchParams.get('code')).toEqual(expect.any(String));
  });

  it('keeps the cookie a browser already has, so its open forms all stay good', async () => {
    const em = emulator();
    const first = await open(authorizeUrl(em, { state: 'one', codeChallenge: pkce().challenge }));
    const second = await open(authorizeUrl(em, { state: 'two', codeChallenge: pkce().challenge }), first.cookie);
    expect(second.cookie).toBe(first.cookie);
    expect(tokenOf(hiddenInputs(second.html))).not.toBe(tokenOf(hiddenInputs(first.html)));
    expect((await post(em, submission(first, 'approve'))).status).toBe(302);
    expect((await post(em, submission(second, 'approve'))).status).toBe(302);
  });

  it.each(cases.flatMap((c) => (['approve', 'deny'] as const).map((decision) => ({ ...c, decision }))))(
    'refuses a post ($decision) with $name: 403, a clear page, no redirect, no code',
    async ({ spoil, decision }) => {
      const em = emulator();
      const url = authorizeUrl(em, { state: 'st', codeChallenge: pkce().challenge });
      const spoiled = await spoil(submission(await open(url), decision), em, url);
      const response = await post(em, spoiled);
      expect(response.status).toBe(403);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).toContain('<h1>This sign-in form cannot be used</h1>');
      expect(html).toContain('Nothing was signed in.');
      expect(html).toContain('Go back to the application and start the sign-in again.');
      expect(html).not.toContain('<form');
      expect(em.requests('authorize').at(-1)).toMatchObject({ method: 'POST', status: 403, error: 'invalid_request' });
    },
  );

  it('links back to the application from the refusal when the posted redirect_uri is on a registered origin', async () => {
    const em = emulator();
    const form = await open(authorizeUrl(em, { codeChallenge: pkce().challenge }));
    const html = await (await post(em, { ...submission(form, 'approve'), cookie: undefined })).text();
    expect(html).toContain('<a href="http://localhost:5173/">Back to http://localhost:5173/</a>');
  });
});
