// Bundle-size entry: the smallest app that signs in with @celonis-auth/core (createCelonisAuth,
// start, login, handleRedirectCallback, getAccessToken, fetch). Built by measureBundles.ts; never run.
import { createCelonisAuth } from '@celonis-auth/core';

const auth = createCelonisAuth({
  teamUrl: 'https://acme.eu-1.celonis.cloud',
  clientId: 'my-portal',
  redirectUri: `${location.origin}/callback`,
  scopes: ['studio', 'intelligence.knowledge-models:read'],
});
auth.start();

const output = document.querySelector('#output');

if (auth.isRedirectCallback()) {
  void auth.handleRedirectCallback().then(({ returnTo }) => history.replaceState(null, '', returnTo));
}

document.querySelector('#login')?.addEventListener('click', () => void auth.login());

document.querySelector('#load')?.addEventListener('click', () => {
  void (async () => {
    const token = await auth.getAccessToken();
    const res = await auth.fetch('/intelligence/api/knowledge-models');
    if (output) output.textContent = `${token.length} ${res.status} ${await res.text()}`;
  })();
});
