import { useEffect } from 'react';
import { Navigate } from 'react-router';
import { useCelonisAuth, useCelonisToken } from '@celonis-auth/react';
import { forgetAccessRequests } from '../accessRequests.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Loading } from '../components/Loading.js';
import { useTeamReachability } from '../teamReachability.js';

/** Step 2 — sign in: one button; the library handles state, PKCE and the redirect. */
export function SignInPage() {
  const auth = useCelonisAuth();
  const { status, error, login } = useCelonisToken();
  const checking = useTeamReachability().status === 'checking';
  const signedOut = status === 'signedOut';
  // Signed out: earlier refused access requests belonged to that session.
  useEffect(() => {
    if (signedOut) forgetAccessRequests();
  }, [signedOut]);

  if (status === 'authenticated' || status === 'refreshing') return <Navigate to="/overview" replace />;
  if (checking || status === 'redirecting' || status === 'handlingCallback') return <Loading label="Taking you to Celonis…" />;
  return (
    <main id="main" className="landing">
      <section className="card hero" aria-labelledby="sign-in-title">
        <p className="eyebrow">Celonis Portal</p>
        <h1 id="sign-in-title">Your process data, one sign-in away</h1>
        <p className="muted">
          Sign in with your Celonis account to see Knowledge Models, audit events and data pools of <strong>{new URL(auth.config.teamUrl).host}</strong>.
        </p>
        {error ? <ErrorNotice error={error} fallback={error.message} /> : null}
        <button type="button" className="button large" onClick={() => void login({ returnTo: '/overview' }).catch(() => undefined)}>
          Sign in with Celonis
        </button>
      </section>
    </main>
  );
}
