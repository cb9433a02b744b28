import { useCallback, useEffect, useState } from 'react';
import { insufficientScopeError, isCelonisAuthError } from '@celonis-auth/core';
import { useCelonisAuth } from '@celonis-auth/react';

/** The state of one API call. */
export type ApiResult<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; data: T };

/**
 * Step 4 — call an API: `auth.fetch` adds the Bearer token (refreshing it when due) and this hook
 * turns the answer into loading, error or data.
 */
export function useApi<T>(path: string): ApiResult<T> & { reload: () => void } {
  const auth = useCelonisAuth();
  const [result, setResult] = useState<ApiResult<T>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setResult({ state: 'loading' });
    auth
      .fetch(path, { signal: controller.signal })
      .then(async (response) => {
        if (response.ok) return setResult({ state: 'ok', data: (await response.json()) as T });
        const missing = insufficientScopeError(response);
        setResult({ state: 'error', message: missing ? missing.message : `The API answered HTTP ${response.status}.` });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setResult({ state: 'error', message: isCelonisAuthError(error) ? error.message : 'The API could not be reached.' });
      });
    return () => controller.abort();
  }, [auth, path, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...result, reload };
}
