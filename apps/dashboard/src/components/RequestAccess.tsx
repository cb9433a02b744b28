import type { RequireScopesFallbackProps } from '@celonis-auth/react';
import type { Panel } from '../panels.js';
import { ScopeList } from './ScopeList.js';

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
          <ScopeList scopes={missingScopes} />
          <p className="muted">If your Celonis account has the permission, asking again grants it; otherwise ask your Celonis admin.</p>
        </>
      )}
      <button type="button" className="button" onClick={() => void requestAccess()}>
        {error ? 'Sign in again' : 'Request access'}
      </button>
    </section>
  );
}
