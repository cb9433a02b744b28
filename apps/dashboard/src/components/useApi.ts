import { useCallback, useEffect, useState } from 'react';
import { insufficientScopeError } from '@celonis-auth/core';
import { useCelonisAuth } from '@celonis-auth/react';

/** The state of one API call. */
export type ApiResult<T> = { state: 'loading' } | { state: 'error'; error: unknown; message: string } | { state: 'ok'; data: T };

const LOADING = { state: 'loading' } as const;

/**
 * Step 4 — call an API: `auth.fetch` adds the Bearer token (refreshing it when due) and this hook
 * turns the answer into loading, error or data.
 */
export function useApi<T>(path: string): ApiResult<T> & { reload: () => void } {
  const auth = useCelonisAuth();
  const [attempt, setAttempt] = useState(0);
  // The answer remembers which request it belongs to: until the current request is answered the hook shows
  // loading, with no setState in the effect itself.
  const [answer, setAnswer] = useState<{ auth: typeof auth; path: string; attempt: number; result: ApiResult<T> } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const settle = (result: ApiResult<T>) => {
      if (!controller.signal.aborted) setAnswer({ auth, path, attempt, result });
    };
    auth
      .fetch(path, { signal: controller.signal })
      .then(async (response) => {
        if (response.ok) return settle({ state: 'ok', data: (await response.json()) as T });
        // A 403 insufficient_scope is a CelonisAuthError like the others, so the page explains it the same way.
        const missing = insufficientScopeError(response);
        settle({ state: 'error', error: missing, message: `Celonis could not load this data (HTTP ${response.status}). Press Reload to try again.` });
      })
      .catch((error: unknown) => {
        const unreadable = error instanceof SyntaxError;
        const message = unreadable
          ? 'Celonis sent data the portal cannot read.'
          : 'Celonis could not be reached. Check your internet connection, then press Reload.';
        settle({ state: 'error', error, message });
      });
    return () => controller.abort();
  }, [auth, path, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const current = answer !== null && answer.auth === auth && answer.path === path && answer.attempt === attempt;
  return { ...(current ? answer.result : LOADING), reload };
}
