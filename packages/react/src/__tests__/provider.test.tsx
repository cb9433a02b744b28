import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReactElement } from 'react';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { CelonisAuthProvider, CelonisCallback, RequireScopes, useCelonisAuth, useCelonisToken } from '../index.js';
import { createTestCelonisAuth } from '../testing/index.js';
import { CatchError, realClient, renderStrict } from './helpers.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function TokenConsumer() {
  return <p>{useCelonisToken().status}</p>;
}
function AuthConsumer() {
  const { config } = useCelonisAuth();
  return <p>{config.mode === 'browser' ? config.clientId : config.basePath}</p>;
}

describe('outside <CelonisAuthProvider>', () => {
  it.each<[string, ReactElement]>([
    ['useCelonisToken', <TokenConsumer />],
    ['useCelonisAuth', <AuthConsumer />],
    ['RequireScopes', <RequireScopes scopes={['studio']}>secret</RequireScopes>],
    ['CelonisCallback', <CelonisCallback />],
  ])('%s throws an error that says how to wrap the app', (name, ui) => {
    // React reports caught render errors on the console; the assertion is on the error itself.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const errors: unknown[] = [];
    renderStrict(<CatchError onError={(e) => errors.push(e)}>{ui}</CatchError>);
    expect(screen.getByText('caught')).toBeTruthy();
    expect(screen.queryByText('secret')).toBeNull();
    const error = errors[0];
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain(name);
    expect(message).toContain('<CelonisAuthProvider auth={auth}>');
    expect(message).toContain('createCelonisAuth');
  });
});

describe('<CelonisAuthProvider>', () => {
  it('calls auth.start() on mount and the stop it returned on unmount', () => {
    const auth = createTestCelonisAuth();
    const stop = vi.fn();
    const start = vi.spyOn(auth, 'start').mockImplementation(() => stop);
    const { unmount } = render(
      <CelonisAuthProvider auth={auth}>
        <TokenConsumer />
      </CelonisAuthProvider>,
    );
    expect(start).toHaveBeenCalledTimes(1);
    expect(stop).not.toHaveBeenCalled();
    unmount();
    expect(start).toHaveBeenCalledTimes(1);
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('under StrictMode keeps exactly one start() outstanding, and none after unmount', () => {
    const auth = createTestCelonisAuth();
    let running = 0;
    vi.spyOn(auth, 'start').mockImplementation(() => {
      running += 1;
      return () => void (running -= 1);
    });
    const { unmount } = renderStrict(
      <CelonisAuthProvider auth={auth}>
        <TokenConsumer />
      </CelonisAuthProvider>,
    );
    expect(running).toBe(1);
    unmount();
    expect(running).toBe(0);
  });

  it('gives the hooks below the client it carries', () => {
    const auth = createTestCelonisAuth({ scopes: ['studio'] });
    renderStrict(
      <CelonisAuthProvider auth={auth}>
        <AuthConsumer />
        <TokenConsumer />
      </CelonisAuthProvider>,
    );
    expect(screen.getByText(auth.config.clientId)).toBeTruthy();
    expect(screen.getByText('authenticated')).toBeTruthy();
  });

  it('with a real client under StrictMode runs one scheduler: one refresh when due, no timers after unmount', async () => {
    const client = realClient();
    await client.signIn();
    // 850 s of the 899 s lifetime have passed: inside the 60 s refresh leeway.
    client.clock.advance(850_000);
    expect(client.timers.pending()).toHaveLength(0);

    const { unmount } = renderStrict(
      <CelonisAuthProvider auth={client.auth}>
        <TokenConsumer />
      </CelonisAuthProvider>,
    );
    // One refresh timer and one expiry timer: a second scheduler would not change the count,
    // but it would send a second token request below.
    expect(client.timers.pending()).toHaveLength(2);
    await act(async () => client.timers.runDue());
    await waitFor(() => expect(client.auth.store.getState().accessToken).toBe('access-2'));
    expect(client.tokenRequests('refresh_token')).toHaveLength(1);
    expect(screen.getByText('authenticated')).toBeTruthy();
    // The new token is scheduled once more (refresh + expiry).
    expect(client.timers.pending()).toHaveLength(2);

    unmount();
    expect(client.timers.pending()).toEqual([]);
    // Nothing fires later either.
    client.timers.advance(3_600_000);
    expect(client.tokenRequests('refresh_token')).toHaveLength(1);
  });

  it('two providers for one client share one scheduler, which stops with the last one', async () => {
    const client = realClient();
    await client.signIn();
    const first = renderStrict(<CelonisAuthProvider auth={client.auth}>one</CelonisAuthProvider>);
    const second = renderStrict(<CelonisAuthProvider auth={client.auth}>two</CelonisAuthProvider>);
    expect(client.timers.pending()).toHaveLength(2);
    first.unmount();
    expect(client.timers.pending()).toHaveLength(2);
    second.unmount();
    expect(client.timers.pending()).toEqual([]);
  });
});
