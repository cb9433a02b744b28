import { CELONIS_SCOPES, isKnownCelonisScope } from '@celonis-auth/core';
import type { RequireScopesFallbackProps } from '@celonis-auth/react';
import type { Panel } from '../panels.js';

/** Shown instead of a panel the session has no scope for: explains, and offers to ask for it. */
export function RequestAccess({ panel, missingScopes, error, requestAccess }: RequireScopesFallbackProps & { panel: Panel }) {
  return (
    <section className="card notice" aria-labelledby="no-access-title">
      <h1 id="no-access-title">{error ? 'You are signed out' : `No access to ${panel.title}`}</h1>
      {error ? (
        <p>{error.message}</p>
      ) : (
        <>
          <p>This page needs a permission your sign-in did not grant:</p>
          <ul className="scope-list">
            {missingScopes.map((scope) => (
              <li key={scope}>
                <code>{scope}</code>
                {isKnownCelonisScope(scope) ? <span> — {CELONIS_SCOPES[scope]}</span> : null}
              </li>
            ))}
          </ul>
          <p className="muted">If your Celonis account has the permission, asking again grants it; otherwise ask your Celonis admin.</p>
        </>
      )}
      <button type="button" className="button" onClick={() => void requestAccess()}>
        {error ? 'Sign in again' : 'Request access'}
      </button>
    </section>
  );
}
