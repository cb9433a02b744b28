import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import { renderToString } from 'react-dom/server';
import { hasSession, type AuthState } from '@celonis-auth/core';
import { CelonisAuthProvider, CelonisCallback, useCelonisToken } from '../index.js';
import { createTestCelonisAuth } from '../testing/index.js';
import { realClient, renderStrict } from './helpers.js';

afterEach(cleanup);

describe('useCelonisToken(selector)', () => {
  it('re-renders only when the selected value changes', () => {
    const auth = createTestCelonisAuth({ status: 'authenticated', expiresAt: 1_000 });
    const renders: string[] = [];
    function Status() {
      const status = useCelonisToken((state: AuthState) => state.status);
      renders.push(status);
      return <p data-testid="status">{status}</p>;
    }
    renderStrict(
      <CelonisAuthProvider auth={auth}>
        <Status />
      </CelonisAuthProvider>,
      { strict: false },
    );
    const before = renders.length;
    act(() => auth.setSession({ status: 'authenticated', expiresAt: 2_000 }));
    act(() => auth.setSession({ status: 'authenticated', expiresAt: 3_000, scopes: ['studio'] }));
    expect(renders).toHaveLength(before);
    act(() => auth.setSession({ status: 'refreshing', expiresAt: 3_000 }));
    expect(renders.slice(before)).toEqual(['refreshing']);
    expect(screen.getByTestId('status').textContent).toBe('refreshing');
  });

  it('takes the exported selectors as they are', () => {
    const auth = createTestCelonisAuth({ status: 'signedOut' });
    function SignedIn() {
      return <p data-testid="signed-in">{String(useCelonisToken(hasSession))}</p>;
    }
    renderStrict(
      <CelonisAuthProvider auth={auth}>
        <SignedIn />
      </CelonisAuthProvider>,
    );
    expect(screen.getByTestId('signed-in').textContent).toBe('false');
    act(() => auth.setSession({ status: 'expired', expiresAt: 1 }));
    expect(screen.getByTestId('signed-in').textContent).toBe('true');
  });

  it("renders the core's initial state on the server: signed out in a page, whatever the current session", () => {
    const auth = createTestCelonisAuth({ status: 'authenticated', scopes: ['studio'] });
    expect(auth.store.getState().status).toBe('authenticated');
    expect(auth.store.getInitialState().status).toBe('signedOut');
    function Status() {
      return <p>{useCelonisToken((state: AuthState) => state.status)}</p>;
    }
    expect(
      renderToString(
        <CelonisAuthProvider auth={auth}>
          <Status />
        </CelonisAuthProvider>,
      ),
    ).toContain('signedOut');
  });
});

describe('<CelonisCallback> reaches the page only through the core', () => {
  it('leaves the callback page through deps.navigateInApp, not the global history', async () => {
    const moves: string[] = [];
    const client = realClient({ deps: { navigateInApp: (path) => void moves.push(path) } });
    await client.auth.login({ returnTo: '/audit?tab=2' });
    client.arriveAtCallback();
    const before = globalThis.location.href;
    renderStrict(
      <CelonisAuthProvider auth={client.auth}>
        <CelonisCallback />
      </CelonisAuthProvider>,
    );
    await waitFor(() => expect(moves).toEqual(['/audit?tab=2']));
    expect(globalThis.location.href).toBe(before);
  });
});
