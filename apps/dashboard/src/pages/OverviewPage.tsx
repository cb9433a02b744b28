import { Fragment, useState, type ReactNode } from 'react';
import { useCelonisAuth, useCelonisToken } from '@celonis-auth/react';
import { ErrorNotice } from '../components/ErrorNotice.js';
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
  const [refreshError, setRefreshError] = useState<unknown>(null);

  const refreshNow = () => {
    setRefreshError(null);
    auth.refresh().catch((e: unknown) => setRefreshError(e));
  };

  return (
    <div className="grid">
      <section className="card" aria-labelledby="who-title">
        <h1 id="who-title">Overview</h1>
        {me.state === 'loading' ? <Loading /> : null}
        {me.state === 'error' ? <ErrorNotice error={me.error} fallback={me.message} /> : null}
        {me.state === 'ok' ? (
          <dl className="facts">
            <dt>Signed in as</dt>
            <dd data-testid="signed-in-as">
              {me.data.name}
              <span className="muted block email">{breakableAddress(me.data.sub)}</span>
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
        <p className="muted" data-testid="renewal-rule">
          {renewalRule(auth.config.refreshLeewaySeconds)} One tab renews it for all open tabs.
        </p>
        {refreshError || error ? (
          <ErrorNotice error={refreshError ?? error} fallback="The token could not be renewed. Press Refresh now to try again." />
        ) : null}
        {/* In the backend-for-frontend mode the server renews the token; the page has none to renew. */}
        {auth.config.mode === 'browser' ? (
          <button type="button" className="button secondary" onClick={refreshNow}>
            Refresh now
          </button>
        ) : null}
      </section>

      <section className="card wide" aria-labelledby="scopes-title">
        <h2 id="scopes-title">Granted scopes</h2>
        <ScopeList scopes={scopes} testId="granted-scopes" />
      </section>
    </div>
  );
}

/** An e-mail address (or any id) that may wrap only before its "@" and dots, never inside a word. */
function breakableAddress(address: string): ReactNode[] {
  return address.split(/(?=[@.])/).map((part, i) => (
    <Fragment key={i}>
      {i > 0 ? <wbr /> : null}
      {part}
    </Fragment>
  ));
}

/**
 * The core's schedule in words: `leeway` before expiry, but never in the first half of the token's
 * life, so a token living less than twice the leeway is renewed halfway through.
 */
function renewalRule(leewaySeconds: number): string {
  if (leewaySeconds === 0) return 'The portal renews the token by itself when it expires.';
  return `The portal renews the token by itself ${duration(leewaySeconds)} before it expires; a token that lives less than ${duration(2 * leewaySeconds)} is renewed halfway through its life instead.`;
}

function duration(seconds: number): string {
  if (seconds % 60 !== 0) return `${seconds} seconds`;
  return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`;
}
