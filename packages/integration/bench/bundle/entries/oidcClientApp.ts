// Bundle-size entry (c): oidc-client-ts's lower tier OidcClient alone, as the core uses it plus the
// refresh-token grant: createSigninRequest, processSigninResponse, useRefreshToken. Never run.
import { OidcClient, type RefreshState } from 'oidc-client-ts';

const teamUrl = 'https://acme.eu-1.celonis.cloud';
const client = new OidcClient({
  authority: teamUrl,
  client_id: 'my-portal',
  redirect_uri: `${location.origin}/callback`,
  response_type: 'code',
  scope: 'studio intelligence.knowledge-models:read',
  metadata: { issuer: teamUrl, authorization_endpoint: `${teamUrl}/oauth2/authorize`, token_endpoint: `${teamUrl}/oauth2/token` },
  loadUserInfo: false,
});

const output = document.querySelector('#output');

if (location.pathname === '/callback' && new URLSearchParams(location.search).has('state')) {
  void client.processSigninResponse(location.href).then((response) => {
    sessionStorage.setItem('refresh_token', response.refresh_token ?? '');
    history.replaceState(null, '', '/');
  });
}

document.querySelector('#login')?.addEventListener('click', () => {
  void client.createSigninRequest({}).then((request) => location.assign(request.url));
});

document.querySelector('#refresh')?.addEventListener('click', () => {
  // RefreshState is a type only at runtime: a plain object carries the refresh token.
  const state = { refresh_token: sessionStorage.getItem('refresh_token') ?? '', session_state: null, profile: {} } as RefreshState;
  void client.useRefreshToken({ state }).then((response) => {
    if (output) output.textContent = `${response.access_token.length}`;
  });
});
