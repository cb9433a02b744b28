import { expect, it } from 'vitest';
import { authenticatedState } from '../../session/authState.js';
import { createAuthStore } from '../../session/authStore.js';

it('outside a page the initial state (what a server renders) is the current one', () => {
  expect(typeof document).toBe('undefined');
  const current = authenticatedState('at', 10, ['studio']);
  const store = createAuthStore(current);
  expect(store.getInitialState()).toBe(current);
  expect(store.getState()).toBe(current);
});
