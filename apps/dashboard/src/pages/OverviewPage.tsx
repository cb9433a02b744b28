import { useState } from 'react';
import { useCelonisAuth, useCelonisToken } from '@celonis-auth/react';
import { ExpiryCountdown } from '../components/ExpiryCountdown.js';
import { Loading } from '../components/Loading.js';
import { ScopeList } from '../components/ScopeList.js';
import { useApi } from '../components/useApi.js';

interface Me {
  sub: string;
  name: string;
  clientId: string;
}

/** Step 5 — refresh: who is signed in, what was granted, and the token's life, renewed automatically. */
export function OverviewPage() {
  const auth = useCelonisAuth();
  const { status, scopes, expiresAt, error } = useCelonisToken();
  const me = useApi<Me>('/api/me');
  const [refreshError, setRefreshError] = useState<string | null>(null);

  const refreshNow = () => {
    setRefreshError(null);
    auth.refresh().catch((e: unknown) => setRefreshError(e instanceof Error ? e.message : 'The refresh failed.'));
  };

  return (
    <div className="grid">
      <section className="card" aria-labelledby="who-title">
        <h1 id="who-title">Overview</h1>
        {me.state === 'loading' ? <Loading /> : null}
        {me.state === 'error' ? (
          <p className="alert" role="alert">
            {me.message}
          </p>
        ) : null}
        {me.state === 'ok' ? (
          <dl className="facts">
            <dt>Signed in as</dt>
            <dd data-testid="signed-in-as">
              {me.data.name}
              <span className="muted block">{me.data.sub}</span>
            </dd>
            <dt>Application</dt>
            <dd>{me.data.clientId}</dd>
          </dl>
        ) : null}
      </section>

      <section className="card" aria-labelledby="token-title">
        <h2 id="token-title">Access token</h2>
        <dl className="facts">
          <dt>Expires in</dt>
          <dd>
            <ExpiryCountdown expiresAt={expiresAt} />
          </dd>
          <dt>Status</dt>
          <dd data-testid="token-status">
            <span className={`pill ${status}`}>{status === 'refreshing' ? 'Refreshing…' : status === 'expired' ? 'Expired, retrying' : 'Valid'}</span>
          </dd>
        </dl>
        <p className="muted">The token is renewed automatically a minute before it expires, in one tab for all tabs.</p>
        {error || refreshError ? (
          <p className="alert" role="alert">
            {refreshError ?? error?.message}
          </p>
        ) : null}
        <button type="button" className="button secondary" onClick={refreshNow}>
          Refresh now
        </button>
      </section>

      <section className="card wide" aria-labelledby="scopes-title">
        <h2 id="scopes-title">Granted scopes</h2>
        <ScopeList scopes={scopes} testId="granted-scopes" />
      </section>
    </div>
  );
}
