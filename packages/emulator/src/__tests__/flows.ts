/**
 * Shared helpers of the emulator's tests: start/stop an emulator per file, build requests the way
 * the Celonis page writes them, and run the authorization-code flow (PKCE + headless approve).
 * Everything talks real HTTP to a real emulator on 127.0.0.1.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from '@celonis-auth/emulator';

/** The seeded clients, users and redirect URI the tests use. */
export const REDIRECT_URI = 'http://localhost:5173/callback';
export const OTHER_REDIRECT_URI = 'http://127.0.0.1:5173/callback';
export const PORTAL = { clientId: 'portal', secret: 'portal-secret' } as const;
export const M2M = { clientId: 'm2m', secret: 'm2m-secret' } as const;
export const ANALYST = { username: 'analyst@example.com', password: 'analyst' } as const;
export const VIEWER = { username: 'viewer@example.com', password: 'viewer' } as const;

/** A successful token response, shaped like the example on the Celonis page. */
export interface TokenResponse {
  access_token: string;
  scope: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
}

/** An RFC 6749 §5.2 error body. */
export interface OAuthErrorBody {
  error: string;
  error_description?: string;
}

/**
 * Starts one emulator for the test file (closed in `afterAll`) and resets it before each test,
 * so tests do not see each other's codes, tokens, faults, log or clock.
 */
export function useEmulator(options: StartEmulatorOptions = {}): () => RunningEmulator {
  let emulator: RunningEmulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator(options);
  });
  afterAll(async () => {
    await emulator?.close();
  });
  beforeEach(() => emulator?.reset());
  return () => {
    if (!emulator) throw new Error('the emulator is not started yet: call this inside a test');
    return emulator;
  };
}

/** `Basic base64(client_id:client_secret)`, not form-encoded first, as on the Celonis page. */
export function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`, 'utf8').toString('base64')}`;
}

/** A form as `--form` sends it (multipart/form-data). */
export function multipart(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
}

/** A form as `--data-urlencode` sends it (application/x-www-form-urlencoded). */
export function urlencoded(fields: Record<string, string> | [string, string][]): URLSearchParams {
  return new URLSearchParams(fields);
}

/** POSTs a token request; the body's type decides the content type, as with fetch in a browser. */
export function postToken(
  emulator: RunningEmulator,
  body: FormData | URLSearchParams | string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${emulator.url}/oauth2/token`, { method: 'POST', body, headers });
}

/** Reads a JSON body as `T`; the tests assert on its fields right after. */
export async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Asserts an RFC 6749 §5.2 error response and returns its body. */
export async function expectOAuthError(response: Response, status: number, error: string): Promise<OAuthErrorBody> {
  const body = await json<OAuthErrorBody>(response);
  expect({ status: response.status, error: body.error }).toEqual({ status, error });
  expect(typeof body.error_description).toBe('string');
  return body;
}

/** A client-credentials token for the seeded `m2m` client (client_secret_post, multipart). */
export async function clientCredentials(emulator: RunningEmulator, scope = 'studio'): Promise<TokenResponse> {
  const response = await postToken(emulator, multipart({ client_id: M2M.clientId, client_secret: M2M.secret, grant_type: 'client_credentials', scope }));
  expect(response.status).toBe(200);
  return json<TokenResponse>(response);
}

/** An RFC 7636 S256 verifier and its challenge. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Options of an authorization request built by {@link authorizeUrl}. */
export interface AuthorizeRequestOptions {
  clientId?: string;
  redirectUri?: string;
  scope?: string;
  state?: string;
  /** The S256 challenge; `null` sends none. */
  codeChallenge?: string | null;
}

/** `${url}/oauth2/authorize?response_type=code&...`, with PKCE S256 when a challenge is given. */
export function authorizeUrl(emulator: RunningEmulator, options: AuthorizeRequestOptions = {}): URL {
  const url = new URL('/oauth2/authorize', emulator.url);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', options.clientId ?? 'dashboard');
  url.searchParams.set('redirect_uri', options.redirectUri ?? REDIRECT_URI);
  url.searchParams.set('scope', options.scope ?? 'studio');
  url.searchParams.set('state', options.state ?? randomBytes(16).toString('base64url'));
  if (options.codeChallenge) {
    url.searchParams.set('code_challenge', options.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return url;
}

/** A login page as a browser holds it: the HTML and the form cookie the emulator set with it. */
export interface LoginForm {
  html: string;
  /** `name=value` of the emulator's form cookie, as the browser would send it back. */
  cookie: string;
}

/** Reads a login page response (200, or a re-rendered 400/401) as a browser would keep it. */
export async function readLoginForm(response: Response): Promise<LoginForm> {
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { html: await response.text(), cookie };
}

/** GETs the login page of `url` and asserts it is one. */
export async function openLoginForm(url: URL): Promise<LoginForm> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return readLoginForm(response);
}

/** The hidden inputs of the login form, decoded as a browser would. */
export function hiddenInputs(html: string): [string, string][] {
  return [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [decodeEntities(m[1]!), decodeEntities(m[2]!)]);
}

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[name] ?? '');
}

/**
 * Submits the login form as a browser would: the hidden inputs (CSRF token included), the typed
 * fields and the button pressed, with the form cookie; the redirect is not followed.
 */
export function submitLoginForm(
  emulator: RunningEmulator,
  form: LoginForm,
  fields: { username?: string; password?: string; decision?: string },
): Promise<Response> {
  const body = urlencoded(hiddenInputs(form.html));
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) body.append(name, value);
  return fetch(`${emulator.url}/oauth2/authorize`, { method: 'POST', body, redirect: 'manual', headers: form.cookie ? { Cookie: form.cookie } : {} });
}

/** Which seeded client runs the flow: the public `dashboard` (PKCE) or the confidential `portal`. */
export type FlowClient = 'dashboard' | 'portal';

/** Options of {@link issueCode} and {@link authorize}. */
export interface FlowOptions {
  client?: FlowClient;
  user?: string;
  scope?: string;
  /** Whether to send a PKCE challenge. Default true (the public client cannot do without). */
  pkce?: boolean;
}

/** An approved authorization: the code and what the token request needs to redeem it. */
export interface IssuedCode {
  code: string;
  state: string;
  clientId: FlowClient;
  redirectUri: string;
  /** Absent when no challenge was sent. */
  verifier: string | undefined;
}

/** Approves an authorization request headlessly (as the login form would) and returns the code. */
export function issueCode(emulator: RunningEmulator, options: FlowOptions = {}): IssuedCode {
  const clientId = options.client ?? 'dashboard';
  const { verifier, challenge } = pkce();
  const withPkce = options.pkce ?? true;
  const state = randomBytes(16).toString('base64url');
  const url = authorizeUrl(emulator, { clientId, scope: options.scope ?? 'studio', state, codeChallenge: withPkce ? challenge : null });
  const location = new URL(emulator.approve(url, { username: options.user ?? ANALYST.username }));
  const code = location.searchParams.get('code');
  if (!code) throw new Error(`the emulator did not issue a code: ${location.href}`);
  expect(location.searchParams.get('state')).toBe(state);
  return { code, state, clientId, redirectUri: REDIRECT_URI, verifier: withPkce ? verifier : undefined };
}

/** The token request that redeems `issued` (urlencoded; the portal authenticates with client_secret_post). */
export function exchangeCode(emulator: RunningEmulator, issued: IssuedCode, overrides: Record<string, string | undefined> = {}): Promise<Response> {
  const fields: Record<string, string | undefined> = {
    grant_type: 'authorization_code',
    code: issued.code,
    redirect_uri: issued.redirectUri,
    client_id: issued.clientId,
    ...(issued.clientId === 'portal' ? { client_secret: PORTAL.secret } : {}),
    ...(issued.verifier ? { code_verifier: issued.verifier } : {}),
    ...overrides,
  };
  return postToken(emulator, urlencoded(definedEntries(fields)));
}

/** Runs the whole authorization-code flow (PKCE + approve + exchange) and returns the tokens. */
export async function authorize(emulator: RunningEmulator, options: FlowOptions = {}): Promise<TokenResponse & { refresh_token: string }> {
  const response = await exchangeCode(emulator, issueCode(emulator, options));
  expect(response.status).toBe(200);
  const tokens = await json<TokenResponse>(response);
  if (!tokens.refresh_token) throw new Error('an authorization-code exchange must return a refresh_token');
  return { ...tokens, refresh_token: tokens.refresh_token };
}

/** A refresh-token grant for `client` (multipart, as on the Celonis page). */
export function refresh(emulator: RunningEmulator, refreshToken: string, options: { client?: FlowClient; scope?: string } = {}): Promise<Response> {
  const clientId = options.client ?? 'dashboard';
  return postToken(
    emulator,
    multipart({
      client_id: clientId,
      ...(clientId === 'portal' ? { client_secret: PORTAL.secret } : {}),
      refresh_token: refreshToken,
      grant_type: 'refresh_token',
      ...(options.scope ? { scope: options.scope } : {}),
    }),
  );
}

/** GETs a sample API, with `Authorization: Bearer <token>` when a token is given. */
export function callApi(emulator: RunningEmulator, path: string, token?: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${emulator.url}${path}`, { headers: { ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }), ...headers } });
}

function definedEntries(fields: Record<string, string | undefined>): [string, string][] {
  return Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined);
}
