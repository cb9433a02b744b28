import { Navigate } from 'react-router';
import { useCelonisToken } from '@celonis-auth/react';
import { auth } from '../auth.js';
import { Loading } from '../components/Loading.js';

/** Step 2 — sign in: one button; the library handles state, PKCE and the redirect. */
export function SignInPage() {
  const { status, error, login } = useCelonisToken();
  if (status === 'authenticated' || status === 'refreshing') return <Navigate to="/overview" replace />;
  if (status === 'redirecting' || status === 'handlingCallback') return <Loading label="Taking you to Celonis…" />;
  return (
    <main id="main" className="landing">
      <section className="card hero" aria-labelledby="sign-in-title">
        <p className="eyebrow">Celonis Portal</p>
        <h1 id="sign-in-title">Your process data, one sign-in away</h1>
        <p className="muted">
          Sign in with your Celonis account to see Knowledge Models, audit events and data pools of <strong>{new URL(auth.config.teamUrl).host}</strong>.
        </p>
        {error ? (
          <p className="alert" role="alert">
            {error.message}
          </p>
        ) : null}
        <button type="button" className="button large" onClick={() => void login({ returnTo: '/overview' })}>
          Sign in with Celonis
        </button>
      </section>
    </main>
  );
}
