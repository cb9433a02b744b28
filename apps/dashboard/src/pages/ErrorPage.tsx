import { Link } from 'react-router';
import type { CelonisAuthError } from '@celonis-auth/core';
import { useCelonisAuth } from '@celonis-auth/react';
import { ErrorDetails } from '../components/ErrorDetails.js';
import { explainError } from '../errorMessages.js';

/** Props of {@link ErrorPage}: an auth error, or a title and message of its own. */
export interface ErrorPageProps {
  error?: CelonisAuthError | null;
  title?: string;
  message?: string;
  /** The helpful action (a new sign-in, or the failed step again); its label comes from the explanation. */
  onRetry?: () => void;
}

/** A clear error page: what happened in plain words, the one action that helps, and the technical detail folded away. */
export function ErrorPage({ error, title, message, onRetry }: ErrorPageProps) {
  const auth = useCelonisAuth();
  const explained = error ? explainError(error, auth.config.teamUrl) : null;
  return (
    // An alert: the failure is announced as the page appears (a screen reader hears it without searching).
    <section className="card error-page" aria-labelledby="error-title" role={error ? 'alert' : undefined}>
      <h1 id="error-title">{title ?? explained?.title ?? 'Something went wrong'}</h1>
      <p>{message ?? explained?.message ?? 'An unexpected error occurred.'}</p>
      {explained ? <p className="next-step">{explained.action}</p> : null}
      <div className="actions">
        {onRetry ? (
          <button type="button" className="button" onClick={onRetry}>
            {explained?.actionLabel ?? 'Try again'}
          </button>
        ) : null}
        <Link className="button secondary" to="/">
          Back to the start page
        </Link>
      </div>
      {error ? <ErrorDetails error={error} /> : null}
    </section>
  );
}
