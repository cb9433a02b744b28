import type { CelonisAuthError } from '@celonis-auth/core';

/**
 * The technical side of a failure, folded away behind "Details": the error code, what the server
 * said and the library's message, for whoever has to fix it. Server text is rendered as text only.
 */
export function ErrorDetails({ error }: { error: CelonisAuthError }) {
  return (
    <details className="details">
      <summary>Details</summary>
      <dl className="facts">
        <dt>Error code</dt>
        <dd>
          <code>{error.code}</code>
        </dd>
        {error.oauthError ? (
          <>
            <dt>OAuth error</dt>
            <dd>
              <code>{error.oauthError}</code>
            </dd>
          </>
        ) : null}
        {error.oauthErrorDescription ? (
          <>
            <dt>Server message</dt>
            <dd>
              <blockquote className="server-message" data-testid="error-description">
                {error.oauthErrorDescription}
              </blockquote>
            </dd>
          </>
        ) : null}
        {error.status !== undefined ? (
          <>
            <dt>HTTP status</dt>
            <dd>{error.status}</dd>
          </>
        ) : null}
        <dt>Message</dt>
        <dd data-testid="error-message">{error.message}</dd>
      </dl>
    </details>
  );
}
