// The callback tests' browser: pages (clients) sharing a page, a transaction storage and an inspectable session storage.
import { expect } from 'vitest';
import { createCelonisAuth, isCelonisAuthError, type CelonisAuthConfig, type CelonisAuthErrorCode, type LoginOptions } from '@celonis-auth/core';
import { fakeDeps, fakeFetch, inspectableStorage, rejection, tokenResponse } from '@celonis-auth/test-utils';

export const TEAM = 'https://acme.eu-1.celonis.cloud';
export const CALLBACK = 'http://localhost:5173/callback';

const base: CelonisAuthConfig = {
  teamUrl: TEAM,
  clientId: 'my-portal',
  redirectUri: CALLBACK,
  scopes: ['studio', 'intelligence.knowledge-models:read'],
};

/** What the fake token endpoint answers. */
export type Responder = Parameters<typeof fakeFetch>[0];

/**
 * A browser whose pages are clients made by `openPage()`: they share the page, the transaction
 * storage and an inspectable session storage, as the login page and the callback page do.
 */
export function browser(responder: Responder = (_, i) => tokenResponse(i + 1), config: Partial<CelonisAuthConfig> = {}) {
  const fake = fakeDeps();
  const session = inspectableStorage();
  const server = fakeFetch(responder);
  const deps = { ...fake.deps, fetch: server.fetch };
  const openPage = () => createCelonisAuth({ ...base, storage: session.storage, ...config, deps });
  /** Logs in on a page of its own and returns the authorization URL it navigated to. */
  async function startLogin(options?: LoginOptions): Promise<string> {
    await openPage().login({ returnTo: '/reports?id=1', ...options });
    const url = fake.page.navigations.at(-1);
    if (url === undefined) throw new Error('login did not navigate');
    return url;
  }
  return { ...fake, session, requests: server.requests, openPage, startLogin };
}

/** The `state` of an authorization request URL. */
export function stateOf(authorizeUrl: string): string {
  return new URL(authorizeUrl).searchParams.get('state') ?? '';
}

/** A callback a test expects to be refused: where the browser arrives, and the code it must hear. */
export interface RefusedCallback {
  url: (authorizeUrl: string) => string;
  code: CelonisAuthErrorCode;
  expected?: Record<string, unknown>;
  config?: Partial<CelonisAuthConfig>;
  before?: (env: ReturnType<typeof browser>) => void;
}

/**
 * Logs in, arrives at the callback on a new page, and checks the refusal the way every hostile-input
 * test must: the error's code, no token request, nothing stored, signed out with that error.
 */
export async function refuseCallback(row: RefusedCallback) {
  const env = browser(undefined, row.config);
  const authorizeUrl = await env.startLogin();
  row.before?.(env);
  const auth = env.openPage();
  env.page.url = row.url(authorizeUrl);
  const error = await rejection(auth.handleRedirectCallback());
  expect(isCelonisAuthError(error, row.code)).toBe(true);
  if (row.expected) expect(error).toMatchObject(row.expected);
  expect(env.requests).toEqual([]);
  expect(env.session.libraryKeys()).toEqual([]);
  expect(auth.store.getState()).toMatchObject({ status: 'signedOut', accessToken: null, expiresAt: null });
  expect(auth.store.getState().error).toBe(error);
  return { env, auth, error };
}
