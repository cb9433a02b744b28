// Bundle-size entry (b): the same app with oidc-client-ts's UserManager (its high-level tier):
// signinRedirect, signinRedirectCallback, getUser, and a fetch with the token. Never run.
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';

const teamUrl = 'https://acme.eu-1.celonis.cloud';
const userManager = new UserManager({
  authority: teamUrl,
  client_id: 'my-portal',
  redirect_uri: `${location.origin}/callback`,
  response_type: 'code',
  scope: 'studio intelligence.knowledge-models:read',
  // Manual metadata: Celonis has no discovery document.
  metadata: { issuer: teamUrl, authorization_endpoint: `${teamUrl}/oauth2/authorize`, token_endpoint: `${teamUrl}/oauth2/token` },
  loadUserInfo: false,
  userStore: new WebStorageStateStore({ store: sessionStorage }),
});

const output = document.querySelector('#output');

if (location.pathname === '/callback' && new URLSearchParams(location.search).has('state')) {
  void userManager.signinRedirectCallback().then(() => history.replaceState(null, '', '/'));
}

document.querySelector('#login')?.addEventListener('click', () => void userManager.signinRedirect());

document.querySelector('#load')?.addEventListener('click', () => {
  void (async () => {
    const user = await userManager.getUser();
    if (!user) return;
    const res = await fetch(`${teamUrl}/intelligence/api/knowledge-models`, { headers: { Authorization: `Bearer ${user.access_token}` } });
    if (output) output.textContent = `${res.status} ${await res.text()}`;
  })();
});
