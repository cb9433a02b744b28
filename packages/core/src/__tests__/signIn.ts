import {
  CLIENT_ID,
  fakeDeps,
  fakeFetch,
  form,
  isTokenRequest,
  REDIRECT_URI,
  rotating,
  TEAM_URL,
  tokenResponse,
  type Responder,
} from '@celonis-auth/test-utils';
// A signed-in client for unit tests: a faked login + callback (or a pre-written session record),
// with every platform dependency injected through `deps`. No global is patched. What needs no
// knowledge of the core (fakes, responses, promise helpers) is in @celonis-auth/test-utils.
import type { CelonisAuthConfig } from '../config/resolveConfig.js';
import type { CelonisAuth } from '../celonisAuth.js';
import { createCelonisAuth } from '../createCelonisAuth.js';
import type { CelonisAuthDeps, StorageLike } from '../platform/celonisAuthDeps.js';
import { storageKeyPrefix, type StoredSession } from '../session/sessionRecordStore.js';

/** Configuration fields a test may change (deps are passed separately). */
export type TestConfig = Partial<Omit<CelonisAuthConfig, 'deps'>>;

/** The configuration every test starts from: one team, one client, `'memory'` storage. */
export function testConfig(overrides: TestConfig = {}): Omit<CelonisAuthConfig, 'deps'> {
  return { teamUrl: TEAM_URL, clientId: CLIENT_ID, redirectUri: REDIRECT_URI, scopes: ['studio'], storage: 'memory', ...overrides };
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
  const record: StoredSession = {
    sessionId: 'session-1',
    accessToken: 'access-1',
    refreshToken: 'refresh-1',
    scopes: ['studio'],
    loginAt: 0,
    rotation: 0,
    ...session,
  };
  storage.setItem(sessionKey(), JSON.stringify({ v: 1, ...record }));
  return record;
}
