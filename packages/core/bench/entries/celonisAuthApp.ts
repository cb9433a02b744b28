// Bundle-size entry (a): the smallest app that signs in with @celonis-auth/core, handles the
// callback, and calls an API with a token. Built by bench/bundleSize.ts; never run.
import { createCelonisAuth } from '@celonis-auth/core';

const auth = createCelonisAuth({
  teamUrl: 'https://acme.eu-1.celonis.cloud',
  clientId: 'my-portal',
  redirectUri: `${location.origin}/callback`,
  scopes: ['studio', 'intelligence.knowledge-models:read'],
});

const output = document.querySelector('#output');

if (auth.isRedirectCallback()) {
  void auth.handleRedirectCallback().then(({ returnTo }) => history.replaceState(null, '', returnTo));
}

document.querySelector('#login')?.addEventListener('click', () => void auth.login());

document.querySelector('#load')?.addEventListener('click', async () => {
  const token = await auth.getAccessToken();
  const res = await auth.fetch('/intelligence/api/knowledge-models');
  if (output) output.textContent = `${token.length} ${res.status} ${await res.text()}`;
});
