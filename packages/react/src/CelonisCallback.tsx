import { useEffect, useState, type ReactNode } from 'react';
import { CelonisAuthError, isCelonisAuthError } from '@celonis-auth/core';
import { useCelonisAuth } from './useCelonisAuth.js';

/** Props of {@link CelonisCallback}. */
export interface CelonisCallbackProps {
  /**
   * Where to go after sign-in; pass your router's navigate. Default: `auth.navigateInApp`, which
   * replaces the history entry and fires `popstate` (routers follow it) without reloading the page
   * (a reload would lose a session kept in memory).
   */
  onSuccess?: (returnTo: string) => void;
  /** Told about a failed sign-in (the error is also rendered unless `errorFallback` says otherwise). */
  onError?: (error: CelonisAuthError) => void;
  /** Shown while the code is exchanged. */
  loading?: ReactNode;
  /** Renders a failure; `retry` starts a new sign-in. Default: a short message and a "Try again" button. */
  errorFallback?: (error: CelonisAuthError, retry: () => void) => ReactNode;
}

/**
 * The redirect URI's page: finishes the sign-in once (StrictMode-safe, the core answers a repeated
 * call with the same result), then goes to the page the user first asked for. Server-sent error
 * text is rendered as text, never as HTML. A sign-in the page's reload interrupted mid-exchange
 * (`login_interrupted`) starts one new sign-in by itself; a second interruption shows "Sign-in was
 * interrupted. Sign in again" with a button, never a loop.
 *
 * @example
 * ```tsx
 * <Route path="/callback" element={<CelonisCallback onSuccess={(to) => navigate(to, { replace: true })} />} />
 * ```
 */
export function CelonisCallback({ onSuccess, onError, loading = null, errorFallback = defaultErrorFallback }: CelonisCallbackProps): ReactNode {
  const auth = useCelonisAuth('CelonisCallback');
  const [error, setError] = useState<CelonisAuthError | null>(null);

  useEffect(() => {
    let active = true;
    auth.handleRedirectCallback().then(
      ({ returnTo }) => active && (onSuccess ?? auth.navigateInApp)(returnTo),
      (failure: unknown) => {
        if (!active) return;
        const typed = isCelonisAuthError(failure)
          ? failure
          : new CelonisAuthError('invalid_callback', 'The sign-in could not be completed', { cause: failure });
        const fail = () => {
          setError(typed);
          onError?.(typed);
        };
        // A reload while the code was exchanged: one new sign-in by itself; the core says when one was tried already.
        if (isCelonisAuthError(typed, 'login_interrupted') && typed.retried !== true)
          auth.login({ returnTo: typed.returnTo ?? '/', replace: true }).catch(fail);
        else fail();
      },
    );
    return () => {
      active = false;
    };
    // Handle the callback once per mount; changing handlers must not re-run it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [auth]);

  if (error) return errorFallback(error, () => void auth.login({ returnTo: error.returnTo ?? '/' }).catch(() => undefined));
  return loading;
}

function defaultErrorFallback(error: CelonisAuthError, retry: () => void): ReactNode {
  if (error.code === 'login_interrupted') {
    return (
      <div role="alert">
        <p>Sign-in was interrupted. Sign in again.</p>
        <button type="button" onClick={retry}>
          Sign in again
        </button>
      </div>
    );
  }
  return (
    <div role="alert">
      <p>Sign-in failed: {error.message}</p>
      {error.oauthErrorDescription ? <p>{error.oauthErrorDescription}</p> : null}
      <button type="button" onClick={retry}>
        Try again
      </button>
    </div>
  );
}
