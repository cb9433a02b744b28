import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { CelonisAuthError } from '@celonis-auth/core';
import { CelonisAuthProvider, CelonisCallback } from '../index.js';
import { createTestCelonisAuth } from '../testing/index.js';
import { renderStrict } from './helpers.js';

afterEach(cleanup);

function interruptedClient(retried: boolean) {
  const auth = createTestCelonisAuth({ status: 'signedOut' });
  const error = new CelonisAuthError('login_interrupted', 'Sign-in was interrupted', { returnTo: '/audit?tab=2', retried });
  auth.handleRedirectCallback = () => Promise.reject(error);
  return auth;
}

describe('<CelonisCallback> after a sign-in a reload interrupted', () => {
  it('starts exactly one new sign-in by itself, back to where it was going, replacing the history entry (StrictMode)', async () => {
    const auth = interruptedClient(false);
    renderStrict(
      <CelonisAuthProvider auth={auth}>
        <CelonisCallback loading={<p>Signing you in…</p>} />
      </CelonisAuthProvider>,
    );
    await waitFor(() => expect(auth.loginCalls).toEqual([{ returnTo: '/audit?tab=2', replace: true }]));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText('Signing you in…')).toBeTruthy();
  });

  it('when one was tried already, says so in plain words with a button, and signs in only when pressed', async () => {
    const auth = interruptedClient(true);
    const errors: string[] = [];
    renderStrict(
      <CelonisAuthProvider auth={auth}>
        <CelonisCallback onError={(e) => void errors.push(e.code)} />
      </CelonisAuthProvider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Sign-in was interrupted. Sign in again.');
    expect(alert.textContent).not.toContain('authorization callback');
    expect(auth.loginCalls).toEqual([]);
    expect(errors).toEqual(['login_interrupted']);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in again' }));
    await waitFor(() => expect(auth.loginCalls).toEqual([{ returnTo: '/audit?tab=2' }]));
  });
});
