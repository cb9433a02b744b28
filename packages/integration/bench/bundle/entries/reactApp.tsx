// Bundle-size entry: the same app with @celonis-auth/react (provider, useCelonisToken,
// RequireScopes, CelonisCallback). React itself is external: it is the app's, not ours. Never run.
import { createRoot } from 'react-dom/client';
import { createCelonisAuth } from '@celonis-auth/core';
import { CelonisAuthProvider, CelonisCallback, RequireScopes, useCelonisAuth, useCelonisToken } from '@celonis-auth/react';

const auth = createCelonisAuth({
  teamUrl: 'https://acme.eu-1.celonis.cloud',
  clientId: 'my-portal',
  redirectUri: `${location.origin}/callback`,
  scopes: ['studio', 'intelligence.knowledge-models:read'],
});

function Models() {
  const client = useCelonisAuth();
  const { status, expiresAt, login } = useCelonisToken();
  if (status === 'signedOut') return <button onClick={() => void login()}>Sign in with Celonis</button>;
  return <button onClick={() => void client.fetch('/intelligence/api/knowledge-models')}>Load (token until {expiresAt})</button>;
}

createRoot(document.querySelector('#root')!).render(
  <CelonisAuthProvider auth={auth}>
    {location.pathname === '/callback' ? (
      <CelonisCallback />
    ) : (
      <RequireScopes scopes={['intelligence.knowledge-models:read']} fallback={<p>No access</p>}>
        <Models />
      </RequireScopes>
    )}
  </CelonisAuthProvider>,
);
