import { Link } from 'react-router';
import type { CelonisAuthError } from '@celonis-auth/core';

/** Props of {@link ErrorPage}: an auth error, or a title and message of its own. */
export interface ErrorPageProps {
  error?: CelonisAuthError | null;
  title?: string;
  message?: string;
  onRetry?: () => void;
}

/** A clear error page. Server-sent descriptions are shown as text, never HTML. */
export function ErrorPage({ error, title, message, onRetry }: ErrorPageProps) {
  const heading = title ?? (error?.oauthError === 'access_denied' ? 'Sign-in was cancelled' : 'Something went wrong');
  return (
    <section className="card error-page" aria-labelledby="error-title">
      <h1 id="error-title">{heading}</h1>
      <p>{message ?? error?.message ?? 'An unexpected error occurred.'}</p>
      {error?.oauthErrorDescription ? (
        <blockquote className="server-message" data-testid="error-description">
          {error.oauthErrorDescription}
        </blockquote>
      ) : null}
      {error ? (
        <p className="muted">
          Error code: <code>{error.code}</code>
        </p>
      ) : null}
      <div className="actions">
        {onRetry ? (
          <button type="button" className="button" onClick={onRetry}>
            Start again
          </button>
        ) : null}
        <Link className="button secondary" to="/">
          Back to the start page
        </Link>
      </div>
    </section>
  );
}
