import { Link } from 'react-router';
import type { RequireScopesFallbackProps } from '@celonis-auth/react';
import { useCelonisToken } from '@celonis-auth/react';
import { rememberAccessRequest, wasRefused } from '../accessRequests.js';
import type { Panel } from '../panels.js';
import { ErrorPage } from '../pages/ErrorPage.js';
import { ScopeList } from './ScopeList.js';

const WHO_GRANTS = 'A Celonis admin can grant it, in Admin & Settings → Permissions.';

/**
 * Shown instead of a panel the session has no scope for: explains, and offers to ask for it.
 * After a request Celonis did not grant, it says so (and who can grant it) instead of offering the
 * same button again as if nothing had happened.
 */
export function RequestAccess({ panel, missingScopes, error, requestAccess }: RequireScopesFallbackProps & { panel: Panel }) {
  const expiresAt = useCelonisToken((state) => state.expiresAt);
  // Signed out by a failure (e.g. the session expired): the error page says why and signs in again.
  if (error) return <ErrorPage error={error} onRetry={() => void requestAccess().catch(() => undefined)} />;

  const ask = () => {
    rememberAccessRequest(missingScopes, expiresAt);
    requestAccess().catch(() => undefined);
  };
  if (wasRefused(missingScopes, expiresAt)) {
    return (
      <section className="card notice" aria-labelledby="no-access-title">
        <h1 id="no-access-title">Access to {panel.title} was not granted</h1>
        <p role="status" data-testid="access-refused">
          You asked for this permission and signed in again, but Celonis did not grant it: your Celonis account does not have it.
        </p>
        <ScopeList scopes={missingScopes} />
        <p className="next-step">{WHO_GRANTS} Ask them, then try again.</p>
        <div className="actions">
          <Link className="button" to="/overview">
            Back to the overview
          </Link>
          <button type="button" className="button secondary" onClick={ask}>
            Try again
          </button>
        </div>
      </section>
    );
  }
  return (
    <section className="card notice" aria-labelledby="no-access-title">
      <h1 id="no-access-title">No access to {panel.title}</h1>
      <p>This page needs a permission that Celonis did not grant when you signed in:</p>
      <ScopeList scopes={missingScopes} />
      <p className="muted">If your Celonis account has it now, requesting access signs you in again with it. {WHO_GRANTS}</p>
      <div className="actions">
        <button type="button" className="button" onClick={ask}>
          Request access
        </button>
      </div>
    </section>
  );
}
