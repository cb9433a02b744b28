import { SigninState } from 'oidc-client-ts';
const s = await SigninState.create({ id: 'x', code_verifier: 'abc', authority: 'a', client_id: 'c', redirect_uri: 'r', scope: 's', data: 1 });
console.log(s.toStorageString(), s.code_challenge);
const t = await SigninState.fromStorageString('{}');
console.log(t);
