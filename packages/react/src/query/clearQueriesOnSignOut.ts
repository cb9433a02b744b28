import { hasSession, isSignedOut, type CelonisAuth } from '@celonis-auth/core';

/** What {@link clearQueriesOnSignOut} needs of a cache: TanStack Query's `QueryClient` has it. */
export interface ClearableCache {
  clear(): void;
}

/**
 * Empties a query cache whenever a session ends (a `logout()` here or in another tab, a refresh
 * token the server refused), so the next user of the page never sees the previous one's data.
 * It subscribes to the client's store; TanStack Query is never imported (any `{ clear() }` will do).
 *
 * @returns the unsubscribe function: call it when the cache goes away (e.g. an effect's cleanup).
 * @example
 * ```ts
 * const queryClient = new QueryClient()
 * const stop = clearQueriesOnSignOut(auth, queryClient)
 * ```
 */
export function clearQueriesOnSignOut(auth: CelonisAuth, cache: ClearableCache): () => void {
  return auth.store.subscribe((state, previous) => {
    // Only the end of a session: a refresh or a step-up login keeps the user's data.
    if (hasSession(previous) && isSignedOut(state)) cache.clear();
  });
}
