import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import { createMemoryStorage } from '@celonis-auth/core';
import { CelonisAuthProvider, useCelonisToken } from '../index.js';
import { createTestCelonisAuth } from '../testing/index.js';
import { fakeBroadcastHub, json, tokenResponse } from '@celonis-auth/test-utils';
import { realClient, renderStrict } from './helpers.js';

afterEach(cleanup);

/** Counts every call of a component's render function, StrictMode's double calls included. */
function renderCounter() {
  return { renders: 0 };
}

function Session({ counter = renderCounter() }: { counter?: { renders: number } }) {
  counter.renders += 1;
  const { status, accessToken, scopes, expiresAt, error } = useCelonisToken();
  return (
    <dl>
      <dt>status</dt>
      <dd data-testid="status">{status}</dd>
      <dt>token</dt>
      <dd data-testid="token">{accessToken ?? 'none'}</dd>
      <dt>scopes</dt>
      <dd data-testid="scopes">{scopes.join(' ')}</dd>
      <dt>expires</dt>
      <dd data-testid="expires">{expiresAt ?? 'never'}</dd>
      <dt>error</dt>
      <dd data-testid="error">{error?.code ?? 'none'}</dd>
    </dl>
  );
}

const text = (id: string) => screen.getByTestId(id).textContent;

describe('useCelonisToken with a real core client', () => {
  it('shows the status, token, granted scopes and expiry of the session', async () => {
    const client = realClient({ respond: () => tokenResponse(1, { scope: 'studio audit.log:read' }) });
    await client.signIn();
    renderStrict(
      <CelonisAuthProvider auth={client.auth}>
        <Session />
      </CelonisAuthProvider>,
    );
    expect(text('status')).toBe('authenticated');
    expect(text('token')).toBe('access-1');
    expect(text('scopes')).toBe('studio audit.log:read');
    expect(text('expires')).toBe(String(client.clock.now() + 899_000));
    expect(text('error')).toBe('none');
  });

  it('re-renders with the new token and expiry after a refresh', async () => {
    const client = realClient();
    await client.signIn();
    const firstExpiry = client.clock.now() + 899_000;
    renderStrict(
      <CelonisAuthProvider auth={client.auth}>
        <Session />
      </CelonisAuthProvider>,
    );
    expect(text('expires')).toBe(String(firstExpiry));
    client.clock.advance(120_000);
    await act(() => client.auth.refresh());
    expect(text('status')).toBe('authenticated');
    expect(text('token')).toBe('access-2');
    expect(text('expires')).toBe(String(firstExpiry + 120_000));
  });

  it("shows 'expired' once the scheduler finds the token's time up while the token endpoint fails", async () => {
    let refreshFails = false;
    let n = 0;
    const client = realClient({
      respond: () => (refreshFails ? json({ error: 'temporarily_unavailable' }, 503) : tokenResponse(++n)),
    });
    await client.signIn();
    renderStrict(
      <CelonisAuthProvider auth={client.auth}>
        <Session />
      </CelonisAuthProvider>,
    );
    refreshFails = true;
    // Past expiry: the refresh timer fires (and fails), then the expiry timer writes 'expired'.
    await act(async () => client.timers.advance(900_000));
    await waitFor(() => expect(text('error')).toBe('server_unavailable'));
    expect(text('status')).toBe('expired');
    expect(text('token')).toBe('none');
    expect(client.tokenRequests('refresh_token').length).toBeGreaterThanOrEqual(1);
  });

  it("follows a refresh in another tab, and shows 'signedOut' when that tab signs out", async () => {
    const hub = fakeBroadcastHub();
    const shared = createMemoryStorage();
    const tabA = realClient({ storage: shared, deps: { broadcast: hub.open } });
    await tabA.signIn();
    const tabB = realClient({ storage: shared, deps: { broadcast: hub.open } });
    expect(tabB.auth.store.getState().status).toBe('authenticated');
    const stopA = tabA.auth.start();
    renderStrict(
      <CelonisAuthProvider auth={tabB.auth}>
        <Session />
      </CelonisAuthProvider>,
    );
    expect(text('status')).toBe('authenticated');

    // A refresh in the other tab reaches this one through storage and the channel.
    await act(() => tabA.auth.refresh());
    expect(text('token')).toBe('access-2');
    expect(text('status')).toBe('authenticated');

    act(() => tabA.auth.logout());

    expect(text('status')).toBe('signedOut');
    expect(text('token')).toBe('none');
    expect(text('scopes')).toBe('');
    expect(text('expires')).toBe('never');
    expect(tabB.requests).toHaveLength(0);
    stopA();
  });

  it('renders a bounded number of times: mount plus one transition', async () => {
    const client = realClient();
    await client.signIn();
    const counter = renderCounter();
    renderStrict(
      <CelonisAuthProvider auth={client.auth}>
        <Session counter={counter} />
      </CelonisAuthProvider>,
    );
    // StrictMode calls each render twice.
    expect(counter.renders).toBeLessThanOrEqual(2);
    act(() => client.auth.logout());
    expect(text('status')).toBe('signedOut');
    expect(counter.renders).toBeLessThanOrEqual(4);
  });

  it('does not re-render when a store write leaves the snapshot unchanged', async () => {
    const client = realClient();
    await client.signIn();
    const counter = renderCounter();
    renderStrict(
      <CelonisAuthProvider auth={client.auth}>
        <Session counter={counter} />
      </CelonisAuthProvider>,
    );
    const afterMount = counter.renders;
    // A same-tab storage sync that finds nothing new writes nothing.
    await act(async () => {
      await client.auth.getAccessToken();
    });
    expect(counter.renders).toBe(afterMount);
  });
});

describe('useCelonisToken with createTestCelonisAuth', () => {
  it('follows setSession: refresh, expiry, sign-out', () => {
    const auth = createTestCelonisAuth({ scopes: ['studio'], accessToken: 'one', expiresAt: 1_000 });
    const counter = renderCounter();
    renderStrict(
      <CelonisAuthProvider auth={auth}>
        <Session counter={counter} />
      </CelonisAuthProvider>,
    );
    expect([text('status'), text('token'), text('scopes'), text('expires')]).toEqual(['authenticated', 'one', 'studio', '1000']);
    expect(counter.renders).toBeLessThanOrEqual(2);

    act(() => auth.setSession({ scopes: ['studio', 'audit.log:read'], accessToken: 'two', expiresAt: 2_000 }));
    expect([text('status'), text('token'), text('scopes'), text('expires')]).toEqual(['authenticated', 'two', 'studio audit.log:read', '2000']);
    expect(counter.renders).toBeLessThanOrEqual(4);

    act(() => auth.setSession({ status: 'expired', scopes: ['studio'], expiresAt: 2_000 }));
    expect([text('status'), text('token')]).toEqual(['expired', 'none']);

    act(() => auth.setSession({ status: 'signedOut' }));
    expect([text('status'), text('token'), text('scopes'), text('expires')]).toEqual(['signedOut', 'none', '', 'never']);
    expect(counter.renders).toBeLessThanOrEqual(8);
  });

  it('exposes the verbs of the client', async () => {
    const auth = createTestCelonisAuth({ scopes: ['studio'] });
    let token: ReturnType<typeof useCelonisToken> | undefined;
    function Grab() {
      token = useCelonisToken();
      return null;
    }
    renderStrict(
      <CelonisAuthProvider auth={auth}>
        <Grab />
      </CelonisAuthProvider>,
    );
    expect(token?.hasScopes(['studio'])).toBe(true);
    expect(token?.hasScopes(['studio', 'audit.log:read'])).toBe(false);
    expect(token?.hasScopes(['studio', 'audit.log:read'], 'any')).toBe(true);
    await expect(token?.getAccessToken()).resolves.toBe('test-access-token');
    act(() => token?.logout());
    expect(auth.logoutCalls).toBe(1);
    await expect(token?.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
    await act(() => token?.login({ scopes: ['audit.log:read'] }));
    expect(auth.loginCalls).toEqual([{ scopes: ['audit.log:read'] }]);
  });
});
