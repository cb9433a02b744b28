// @vitest-environment happy-dom
import { expect, it } from 'vitest';
import { authenticatedState, signedOutState } from '../../session/authState.js';
import { createAuthStore } from '../../session/authStore.js';

it('in a page the initial state is signed out (as a server without browser storage rendered it), the current one the stored session', () => {
  expect(typeof document).toBe('object');
  const current = authenticatedState('at', 10, ['studio']);
  const store = createAuthStore(current);
  expect(store.getInitialState()).toEqual(signedOutState());
  expect(store.getState()).toBe(current);
});
