import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AuthState } from './authState.js';
import { signedOutState } from './authState.js';

/** A read-only zustand store: subscribe and read, never set (only the core writes). */
export type ReadonlyAuthStore = Pick<StoreApi<AuthState>, 'getState' | 'getInitialState' | 'subscribe'>;

/**
 * Creates the one store of an auth client, with its writable API kept inside the core.
 *
 * `getInitialState()` is what a server renders, and so what React hydrates against: in a page
 * (a `document` exists) that is signed out, since a server has no browser storage, and `current`
 * (the stored session) follows at once; elsewhere it is `current` itself.
 */
export function createAuthStore(current: AuthState): StoreApi<AuthState> {
  const inPage = typeof document !== 'undefined';
  const store = createStore<AuthState>()(() => (inPage ? signedOutState() : current));
  if (inPage) store.setState(current, true);
  return store;
}
