import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { CelonisAuthError, CelonisAuthErrorCode } from '@celonis-auth/core';
import { CelonisAuthProvider, CelonisCallback, type CelonisCallbackProps } from '../index.js';
import { deferred, REDIRECT_URI, tokenResponse } from '@celonis-auth/test-utils';
import { realClient, renderStrict } from './helpers.js';

afterEach(cleanup);

const HOSTILE = '<img src=x onerror="alert(1)"><b>bold</b>';

function renderCallback(client: ReturnType<typeof realClient>, props: CelonisCallbackProps = {}) {
  return renderStrict(
    <CelonisAuthProvider auth={client.auth}>
      <CelonisCallback loading={<p>Signing you in…</p>} {...props} />
    </CelonisAuthProvider>,
  );
}

describe('<CelonisCallback> on a successful callback', () => {
  it('under StrictMode sends one token request, shows loading meanwhile, then calls onSuccess once with returnTo', async () => {
    const answer = deferred<Response>();
    const client = realClient({ respond: () => answer.promise });
    await client.auth.login({ returnTo: '/audit?tab=2#top' });
    client.arriveAtCallback();
    const onSuccess = vi.fn();
    const onError = vi.fn();

    renderCallback(client, { onSuccess, onError });

    expect(screen.getByText('Signing you in…')).toBeTruthy();
    await waitFor(() => expect(client.tokenRequests('authorization_code')).toHaveLength(1));
    // The code left the address bar before the exchange finished.
    expect(client.page.url).toBe(REDIRECT_URI);
    expect(onSuccess).not.toHaveBeenCalled();

    await act(async () => answer.resolve(tokenResponse(1)));
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(1));
    expect(onSuccess).toHaveBeenCalledWith('/audit?tab=2#top');
    expect(onError).not.toHaveBeenCalled();
    expect(client.requests).toHaveLength(1);
    expect(client.auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
  });

  it('a second mount on the cleaned URL (remount, reload) sends nothing and succeeds again', async () => {
    const client = realClient();
    await client.auth.login();
    client.arriveAtCallback();
    const first = vi.fn();
    const { unmount } = renderCallback(client, { onSuccess: first });
    await waitFor(() => expect(first).toHaveBeenCalledTimes(1));
    unmount();

    const second = vi.fn();
    renderCallback(client, { onSuccess: second });
    await waitFor(() => expect(second).toHaveBeenCalledTimes(1));
    expect(second).toHaveBeenCalledWith(first.mock.calls[0]?.[0]);
    expect(client.tokenRequests()).toHaveLength(1);
  });

  it('without onSuccess moves to returnTo in place (history and popstate, no reload)', async () => {
    const client = realClient();
    await client.auth.login({ returnTo: '/audit?tab=2' });
    client.arriveAtCallback();
    const popped: string[] = [];
    const onPop = () => popped.push(`${globalThis.location.pathname}${globalThis.location.search}`);
    globalThis.addEventListener('popstate', onPop);
    try {
      renderCallback(client);
      await waitFor(() => expect(popped).toEqual(['/audit?tab=2']));
    } finally {
      globalThis.removeEventListener('popstate', onPop);
    }
  });
});

describe('<CelonisCallback> on a failed callback', () => {
  it('renders a hostile error_description as text, calls onError once, and sends no token request', async () => {
    const client = realClient();
    await client.auth.login();
    client.arriveAtCallback({ error: 'access_denied', error_description: HOSTILE });
    const onError = vi.fn<(error: CelonisAuthError) => void>();
    const onSuccess = vi.fn();
    const { container } = renderCallback(client, { onError, onSuccess });

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(HOSTILE);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.innerHTML).not.toContain('<img');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'authorization_error', oauthError: 'access_denied', oauthErrorDescription: HOSTILE });
    expect(onSuccess).not.toHaveBeenCalled();
    expect(client.requests).toHaveLength(0);
    expect(screen.queryByText('Signing you in…')).toBeNull();
  });

  it('"Try again" starts a new login', async () => {
    const client = realClient();
    await client.auth.login();
    client.arriveAtCallback({ error: 'access_denied' });
    renderCallback(client);
    fireEvent.click(await screen.findByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(client.page.navigations).toHaveLength(2));
    const retry = new URL(client.page.navigations[1]!);
    expect(retry.pathname).toBe('/oauth2/authorize');
    expect(retry.searchParams.get('state')).not.toBe(new URL(client.page.navigations[0]!).searchParams.get('state'));
    expect(client.auth.store.getState().status).toBe('redirecting');
  });

  it.each<{ name: string; arrive: (client: ReturnType<typeof realClient>) => void; code: CelonisAuthErrorCode }>([
    { name: 'error=access_denied', arrive: (c) => c.arriveAtCallback({ error: 'access_denied' }), code: 'authorization_error' },
    { name: 'an unknown state', arrive: (c) => void (c.page.url = `${REDIRECT_URI}?code=c&state=forged`), code: 'missing_transaction' },
    { name: 'two state parameters', arrive: (c) => void (c.page.url = `${REDIRECT_URI}?code=c&state=a&state=b`), code: 'state_mismatch' },
    { name: 'no callback parameters at all', arrive: (c) => void (c.page.url = REDIRECT_URI), code: 'invalid_callback' },
    { name: 'a state but neither code nor error', arrive: (c) => c.arriveAtCallback({}), code: 'invalid_callback' },
  ])('$name → onError once with $code, no token request, a way to start again', async ({ arrive, code }) => {
    const client = realClient();
    await client.auth.login();
    arrive(client);
    const onError = vi.fn<(error: CelonisAuthError) => void>();
    const onSuccess = vi.fn();
    renderCallback(client, { onError, onSuccess });
    await screen.findByRole('alert');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]?.[0].code).toBe(code);
    expect(onSuccess).not.toHaveBeenCalled();
    expect(client.requests).toHaveLength(0);
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('uses errorFallback when given, with a retry that starts a new login', async () => {
    const client = realClient();
    await client.auth.login();
    client.arriveAtCallback({ error: 'access_denied', error_description: HOSTILE });
    renderCallback(client, {
      errorFallback: (error, retry) => (
        <section>
          <h1>{error.code}</h1>
          <p>{error.oauthErrorDescription}</p>
          <button type="button" onClick={retry}>
            Sign in again
          </button>
        </section>
      ),
    });
    expect(await screen.findByText('authorization_error')).toBeTruthy();
    expect(screen.getByText(HOSTILE)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in again' }));
    await waitFor(() => expect(client.page.navigations).toHaveLength(2));
  });
});
