import { createHash } from 'node:crypto';
import type { RunningEmulator } from '@celonis-auth/emulator';
import { expect } from 'vitest';
import { leakForms, responseText, expectNoSecret } from './testSupport.js';

export const SPA_ORIGIN = 'http://localhost:5173';
export const REDIRECT_URI = `${SPA_ORIGIN}/callback`;
export const PORTAL_SECRET = 'portal-secret';
export const PORTAL_FORMS = leakForms('portal', PORTAL_SECRET);
export const KM_SCOPE = 'intelligence.knowledge-models:read';

/** The PKCE verifier of every code {@link authorizationCode} issues: the relay forwards no code exchange without one. */
export const CODE_VERIFIER = 'relay-test-verifier-'.padEnd(43, 'v');
const CODE_CHALLENGE = createHash('sha256').update(CODE_VERIFIER).digest('base64url');

/** A fresh authorization code for the seeded `portal` client (PKCE S256 with {@link CODE_VERIFIER}), approved headlessly on the emulator. */
export function authorizationCode(emulator: RunningEmulator, state = 'state-1'): string {
  const url = new URL(`${emulator.url}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: 'portal',
    redirect_uri: REDIRECT_URI,
    scope: KM_SCOPE,
    state,
    code_challenge: CODE_CHALLENGE,
    code_challenge_method: 'S256',
  }).toString();
  const code = new URL(emulator.approve(url, { username: 'analyst@example.com' })).searchParams.get('code');
  if (!code) throw new Error('the emulator issued no code');
  return code;
}

/** How a test browser posts to the relay. */
export interface PostOptions {
  origin?: string | null;
  encoding?: 'urlencoded' | 'multipart';
  headers?: Record<string, string>;
  method?: string;
}

/** A token request as a browser (or oidc-client-ts) would send it to the relay. */
export function browserRequest(url: string, params: Record<string, string> | [string, string][], options: PostOptions = {}): Request {
  const entries = Array.isArray(params) ? params : Object.entries(params);
  const headers = new Headers(options.headers);
  const origin = options.origin === undefined ? SPA_ORIGIN : options.origin;
  if (origin !== null) headers.set('Origin', origin);
  const method = options.method ?? 'POST';
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return new Request(url, { method, headers });
  let body: FormData | string;
  if (options.encoding === 'multipart') {
    const form = new FormData();
    for (const [name, value] of entries) form.append(name, value);
    body = form;
  } else {
    body = new URLSearchParams(entries).toString();
    if (!headers.has('content-type')) headers.set('Content-Type', 'application/x-www-form-urlencoded');
  }
  return new Request(url, { method, headers, body });
}

/** Asserts the response carries no form of the portal secret, then parses its JSON body. */
export async function checkedJson(response: Response): Promise<Record<string, unknown>> {
  expectNoSecret(await responseText(response), PORTAL_FORMS);
  return (await response.json()) as Record<string, unknown>;
}

/** Asserts an RFC 6749 §5.2 error response of the relay. */
export async function expectOAuthError(response: Response, status: number, error: string): Promise<Record<string, unknown>> {
  const body = await checkedJson(response);
  expect(response.status).toBe(status);
  expect(body).toMatchObject({ error, error_description: expect.any(String) });
  expect(response.headers.get('cache-control')).toBe('no-store');
  return body;
}
