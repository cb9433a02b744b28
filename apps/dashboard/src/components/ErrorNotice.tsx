import { isCelonisAuthError } from '@celonis-auth/core';
import { useCelonisAuth } from '@celonis-auth/react';
import { explainError } from '../errorMessages.js';
import { ErrorDetails } from './ErrorDetails.js';

/** An inline alert for a failure inside a page (an API call, a refresh): what happened and what helps. */
export function ErrorNotice({ error, fallback }: { error: unknown; fallback: string }) {
  const auth = useCelonisAuth();
  if (!isCelonisAuthError(error)) {
    return (
      <div className="alert" role="alert">
        <p>{fallback}</p>
      </div>
    );
  }
  const explained = explainError(error, auth.config.teamUrl);
  return (
    <div className="alert" role="alert">
      <p>
        <strong>{explained.title}.</strong> {explained.message} {explained.action}
      </p>
      <ErrorDetails error={error} />
    </div>
  );
}
