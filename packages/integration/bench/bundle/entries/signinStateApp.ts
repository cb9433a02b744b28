// Bundle-size entry (d): oidc-client-ts's SigninState alone, the tier the core builds its authorization
// request with (the S256 challenge and the transaction's serialisation): the part of the core's bytes
// that is oidc-client-ts's, so a size decision can see it. Never run.
import { SigninState } from 'oidc-client-ts';

const verifier = 'a'.repeat(43);
void SigninState.create({
  id: 'b'.repeat(43),
  code_verifier: verifier,
  authority: 'https://acme.eu-1.celonis.cloud',
  client_id: 'my-portal',
  redirect_uri: `${location.origin}/callback`,
  scope: 'studio',
  data: { returnTo: '/' },
}).then(async (state) => {
  const stored = await SigninState.fromStorageString(state.toStorageString());
  document.title = `${stored.code_challenge ?? ''}`;
});
