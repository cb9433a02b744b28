// Shared by the React tests: StrictMode rendering and a real core client on fake platform deps.
import { Component, StrictMode, type ReactElement, type ReactNode } from 'react';
import { render, type RenderOptions, type RenderResult } from '@testing-library/react';
import { createCelonisAuth, type CelonisAuthDeps, type StorageChoice } from '@celonis-auth/core';
import { callbackFor, fakeDeps, fakeFetch, REDIRECT_URI, TEAM_URL, TOKEN_ENDPOINT, tokenResponse, type Responder } from '@celonis-auth/test-utils';

/** The fake page's starting location (see fakePage in @celonis-auth/test-utils). */
export const PAGE_PATH = '/reports?id=1';

/** Renders `ui` inside `<StrictMode>` (unless `strict: false`), re-renders included. */
export function renderStrict(ui: ReactElement, options: Omit<RenderOptions, 'queries'> & { strict?: boolean } = {}): RenderResult {
  const { strict = true, ...rest } = options;
  const wrap = (node: ReactNode) => (strict ? <StrictMode>{node}</StrictMode> : node);
  const result = render(wrap(ui), rest);
  return { ...result, rerender: (next: ReactNode) => result.rerender(wrap(next)) };
}

/** Options of {@link realClient}. */
export interface RealClientOptions {
  /** Answers every request; default: numbered token responses (`access-1`, `access-2`, ...). */
  respond?: Responder;
  storage?: StorageChoice;
  scopes?: readonly string[];
  deps?: Partial<CelonisAuthDeps>;
}

/** A real core client whose platform (page, clock, timers, network) is faked and inspectable. */
export function realClient(options: RealClientOptions = {}) {
  const fake = fakeDeps(options.deps);
  let tokenCount = 0;
  const net = fakeFetch(options.respond ?? (() => tokenResponse(++tokenCount)));
  const auth = createCelonisAuth({
    teamUrl: TEAM_URL,
    clientId: 'portal',
    redirectUri: REDIRECT_URI,
    scopes: options.scopes ?? ['studio'],
    storage: options.storage ?? 'memory',
    deps: { ...fake.deps, fetch: net.fetch },
  });
  /** The token endpoint requests of one grant type. */
  const tokenRequests = (grantType?: 'authorization_code' | 'refresh_token') =>
    net.requests.filter((r) => r.url === TOKEN_ENDPOINT && (grantType === undefined || new URLSearchParams(r.body).get('grant_type') === grantType));
  /** Plays the authorization server's redirect back to the app for the latest login. */
  const arriveAtCallback = (params?: Record<string, string>) => {
    const authorize = fake.page.navigations.at(-1);
    if (authorize === undefined) throw new Error('arriveAtCallback needs a login() first');
    fake.page.url = callbackFor(authorize, params);
  };
  /** Signs in through login, the callback and the (fake) code exchange. */
  const signIn = async (login: { returnTo?: string } = {}) => {
    await auth.login(login);
    arriveAtCallback();
    return auth.handleRedirectCallback();
  };
  return { auth, ...fake, requests: net.requests, tokenRequests, arriveAtCallback, signIn };
}

/** Catches what its children throw while rendering, so a test can read the error. */
export class CatchError extends Component<{ onError: (error: unknown) => void; children?: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(error: unknown) {
    this.props.onError(error);
  }
  override render() {
    return this.state.failed ? <p>caught</p> : this.props.children;
  }
}
