// A signed-in client for unit tests: a faked login + callback (or a pre-written session record),
// with every platform dependency injected through `deps`. No global is patched.
import type { CelonisAuthConfig } from '../config/resolveConfig.js';
import { createCelonisAuth, type CelonisAuth } from '../createCelonisAuth.js';
import type { CelonisAuthDeps, StorageLike } from '../platform/celonisAuthDeps.js';
import { storageKeyPrefix, type StoredSession } from '../session/sessionRecordStore.js';
import { fakeDeps, fakeFetch, json, tokenResponse, type SeenRequest } from './fakes.js';

export const TEAM_URL = 'https://acme.eu-1.celonis.cloud';
export const CLIENT_ID = 'my-portal';
export const REDIRECT_URI = 'http://localhost:5173/callback';
export const TOKEN_ENDPOINT = `${TEAM_URL}/oauth2/token`;

/** Answers one request of the fake fetch; `index` counts the requests this responder saw, from 0. */
export type Responder = (request: SeenRequest, index: number) => Response | Promise<Response>;

/** Configuration fields a test may change (deps are passed separately). */
export type TestConfig = Partial<Omit<CelonisAuthConfig, 'deps'>>;

/** The configuration every test starts from: one team, one client, `'memory'` storage. */
export function testConfig(overrides: TestConfig = {}): Omit<CelonisAuthConfig, 'deps'> {
  return { teamUrl: TEAM_URL, clientId: CLIENT_ID, redirectUri: REDIRECT_URI, scopes: ['studio'], storage: 'memory', ...overrides };
}

/** A token endpoint that rotates: the i-th refresh (from 0) answers `access-(i+2)` / `refresh-(i+2)`. */
export const rotating: Responder = (_request, index) => tokenResponse(index + 2);

/** The form fields of a urlencoded request body. */
export function form(request: SeenRequest): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request.body));
}

/** Whether `request` went to the token endpoint. */
export function isTokenRequest(request: SeenRequest): boolean {
  return request.url === TOKEN_ENDPOINT;
}

/** An OAuth error response of the token endpoint. */
export function oauthError(error: string, status = 400, description?: string): Response {
  return json({ error, ...(description === undefined ? {} : { error_description: description }) }, status);
}

/** Options of {@link testClient} and {@link signedIn}. */
export interface TestClientOptions {
  /** Answers every request except the code exchange. Default {@link rotating}. */
  respond?: Responder;
  /** The answer to the code exchange. Default `tokenResponse(1)`. */
  signInResponse?: () => Response;
  config?: TestConfig;
  deps?: Partial<CelonisAuthDeps>;
}

/**
 * A client with fake deps whose fetch answers the code exchange with `tokenResponse(1)` and
 * everything else with `respond`. `requests` records what was sent; `signals` the abort signal of each.
 */
export function testClient(options: TestClientOptions = {}) {
  const env = fakeDeps(options.deps);
  const respond = options.respond ?? rotating;
  let answered = 0;
  const net = fakeFetch((request) => {
    if (isTokenRequest(request) && form(request).grant_type === 'authorization_code') return (options.signInResponse ?? (() => tokenResponse(1)))();
    return respond(request, answered++);
  });
  const signals: (AbortSignal | undefined)[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    signals.push(init?.signal ?? undefined);
    return net.fetch(input, init);
  };
  const auth = createCelonisAuth({ ...testConfig(options.config), deps: { ...env.deps, fetch } });
  return { ...env, auth, requests: net.requests, signals };
}

/** Signs `auth` in the way a browser does: login, then the callback with a code and the login's state. */
export async function signIn(auth: CelonisAuth, page: { navigations: string[] }): Promise<void> {
  await auth.login();
  const authorize = page.navigations.at(-1);
  if (authorize === undefined) throw new Error('login() did not navigate');
  const state = new URL(authorize).searchParams.get('state') ?? '';
  await auth.handleRedirectCallback(`${REDIRECT_URI}?code=c&state=${encodeURIComponent(state)}`);
}

/**
 * A client signed in with `access-1` / `refresh-1` (scope `studio`, 899 s) through a faked login
 * and callback. `requests` and `signals` start empty after the sign-in; `expiresAt` is the token's expiry.
 */
export async function signedIn(options: TestClientOptions = {}) {
  const client = testClient(options);
  await signIn(client.auth, client.page);
  client.requests.splice(0);
  client.signals.splice(0);
  const expiresAt = client.auth.store.getState().expiresAt;
  if (expiresAt === null) throw new Error('the sign-in did not authenticate');
  return { ...client, expiresAt };
}

/** The storage key of the session record of the test client. */
export function sessionKey(teamUrl = TEAM_URL, clientId = CLIENT_ID): string {
  return `${storageKeyPrefix(teamUrl, clientId)}:session`;
}

/** Writes a valid session record (format of sessionRecordStore.ts) into `storage`. */
export function seedSession(storage: StorageLike, session: Partial<StoredSession> & { expiresAt: number }): StoredSession {
  const record: StoredSession = { sessionId: 'session-1', accessToken: 'access-1', refreshToken: 'refresh-1', scopes: ['studio'], loginAt: 0, rotation: 0, ...session };
  storage.setItem(sessionKey(), JSON.stringify({ v: 1, ...record }));
  return record;
}

/** Lets promise chains and fake-fetch bodies finish: a few turns of the real event loop. */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Moves fake time forward in steps, firing due timers and letting their work settle after each. */
export async function runTimersFor(timers: { advance: (ms: number) => void }, ms: number, stepMs = 1_000): Promise<void> {
  for (let done = 0; done < ms; done += stepMs) {
    timers.advance(Math.min(stepMs, ms - done));
    await settle();
  }
}

/** A promise resolved from outside. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The rejection of `promise` (fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** Messages of an error and its causes, for checking that no secret leaks into them. */
export function messagesOf(error: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth += 1) messages.push(e.message);
  return JSON.stringify(messages);
}
