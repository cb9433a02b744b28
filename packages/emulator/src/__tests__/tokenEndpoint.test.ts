import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EMULATOR_CONFIG, EMULATOR_SCOPES, type RunningEmulator } from '@celonis-auth/emulator';
import {
  ANALYST,
  M2M,
  PORTAL,
  REDIRECT_URI,
  basic,
  expectOAuthError,
  issueCode,
  json,
  multipart,
  openLoginForm,
  postToken,
  submitLoginForm,
  urlencoded,
  useEmulator,
  type TokenResponse,
} from './flows.js';

// Two extra clients next to the seeded ones: a secret with a colon, and a Basic-only client.
const emulator = useEmulator({
  config: {
    clients: [
      ...DEFAULT_EMULATOR_CONFIG.clients,
      { clientId: 'colon', clientSecret: 'a:b', grantTypes: ['client_credentials'] },
      { clientId: 'basic-only', clientSecret: 'basic-secret', grantTypes: ['client_credentials'], authMethods: ['client_secret_basic'] },
    ],
  },
});

/** Checks a token response against the example on the Celonis page and returns the JWT claims. */
async function expectCelonisTokenResponse(em: RunningEmulator, response: Response, expected: { clientId: string; scopes: string[]; refreshToken: boolean }) {
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = await json<TokenResponse>(response);
  expect(body).toMatchObject({ scope: expected.scopes.join(' '), token_type: 'Bearer', expires_in: 899 });
  expect(typeof body.refresh_token === 'string').toBe(expected.refreshToken);

  const header = decodeProtectedHeader(body.access_token);
  expect(header.alg).toBe('ES384');
  expect(header.kid).toEqual(expect.any(String));
  const claims = decodeJwt(body.access_token);
  expect(claims.iss).toBe(em.url);
  expect(claims.aud).toEqual([expected.clientId, new URL(em.url).host]);
  expect(claims.azp).toBe(expected.clientId);
  expect(claims.scope).toEqual(expected.scopes);
  expect(claims.exp! - claims.iat!).toBe(899);
  expect(claims.jti).toEqual(expect.any(String));

  // The signature verifies with the emulator's published key.
  const jwks = await json<JSONWebKeySet>(await fetch(`${em.url}/oauth2/jwks`));
  await expect(jwtVerify(body.access_token, createLocalJWKSet(jwks), { issuer: em.url, algorithms: ['ES384'] })).resolves.toBeTruthy();
  return body;
}

describe('the curl requests of the Celonis page, replayed as written', () => {
  it('client_credentials with client_secret_post as multipart --form fields', async () => {
    const response = await postToken(
      emulator(),
      multipart({ client_id: M2M.clientId, client_secret: M2M.secret, grant_type: 'client_credentials', scope: 'studio audit.log:read' }),
    );
    await expectCelonisTokenResponse(emulator(), response, { clientId: 'm2m', scopes: ['studio', 'audit.log:read'], refreshToken: false });
    expect(emulator().requests('token')).toMatchObject([
      { bodyEncoding: 'multipart', clientAuth: 'client_secret_post', grantType: 'client_credentials', status: 200 },
    ]);
  });

  it('client_credentials with client_secret_basic (Authorization: Basic) and a multipart body', async () => {
    const response = await postToken(emulator(), multipart({ grant_type: 'client_credentials', scope: 'studio' }), {
      Authorization: basic(M2M.clientId, M2M.secret),
    });
    await expectCelonisTokenResponse(emulator(), response, { clientId: 'm2m', scopes: ['studio'], refreshToken: false });
    expect(emulator().requests('token')).toMatchObject([{ clientAuth: 'client_secret_basic', clientId: 'm2m' }]);
  });

  it('authorization_code: GET the authorize URL, sign in, then exchange the code urlencoded with the page fields', async () => {
    const em = emulator();
    const state = 'state-from-step-1';
    const step1 = new URL('/oauth2/authorize', em.url);
    step1.search = new URLSearchParams({
      response_type: 'code',
      client_id: PORTAL.clientId,
      scope: 'studio audit.log:read',
      redirect_uri: REDIRECT_URI,
      state,
    }).toString();
    const page = await openLoginForm(step1);
    expect(page.html).toContain('<form method="post" action="/oauth2/authorize">');

    // The browser submits the login form.
    const login = await submitLoginForm(em, page, { username: ANALYST.username, password: ANALYST.password, decision: 'approve' });
    expect(login.status).toBe(302);
    const callback = new URL(login.headers.get('location')!);
    expect(callback.searchParams.get('state')).toBe(state);
    const code = callback.searchParams.get('code')!;

    // Step 2, field for field as on the page.
    const response = await postToken(
      em,
      urlencoded([
        ['grant_type', 'authorization_code'],
        ['code', code],
        ['redirect_uri', REDIRECT_URI],
        ['client_id', PORTAL.clientId],
        ['client_secret', PORTAL.secret],
        ['state', state],
      ]),
    );
    await expectCelonisTokenResponse(em, response, { clientId: 'portal', scopes: ['studio', 'audit.log:read'], refreshToken: true });
    expect(em.requests('token')).toMatchObject([{ bodyEncoding: 'urlencoded', clientAuth: 'client_secret_post', grantType: 'authorization_code' }]);
  });

  it('refresh_token renewal as multipart with client_id, client_secret, refresh_token, grant_type and scope', async () => {
    const em = emulator();
    const first = await json<TokenResponse>(await postTokenForCode(em));
    const response = await postToken(
      em,
      multipart({
        client_id: PORTAL.clientId,
        client_secret: PORTAL.secret,
        refresh_token: first.refresh_token!,
        grant_type: 'refresh_token',
        scope: 'studio',
      }),
    );
    const renewed = await expectCelonisTokenResponse(em, response, { clientId: 'portal', scopes: ['studio'], refreshToken: true });
    expect(renewed.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(renewed.access_token).sub).toBe(ANALYST.username);
  });

  it('answers the public dashboard client (PKCE, no secret) with tokens and a refresh token', async () => {
    const em = emulator();
    const issued = issueCode(em, { client: 'dashboard', scope: 'studio' });
    const response = await postToken(
      em,
      urlencoded({ grant_type: 'authorization_code', code: issued.code, redirect_uri: REDIRECT_URI, client_id: 'dashboard', code_verifier: issued.verifier! }),
    );
    await expectCelonisTokenResponse(em, response, { clientId: 'dashboard', scopes: ['studio'], refreshToken: true });
    expect(em.requests('token')).toMatchObject([{ clientAuth: 'none', clientId: 'dashboard' }]);
  });
});

/** Exchanges a fresh portal code (studio) with client_secret_post. */
function postTokenForCode(em: RunningEmulator): Promise<Response> {
  const issued = issueCode(em, { client: 'portal', scope: 'studio', pkce: false });
  return postToken(
    em,
    urlencoded({ grant_type: 'authorization_code', code: issued.code, redirect_uri: REDIRECT_URI, client_id: PORTAL.clientId, client_secret: PORTAL.secret }),
  );
}

describe('client authentication', () => {
  it('splits Basic credentials on the first colon, so a secret may contain ":"', async () => {
    const response = await postToken(emulator(), urlencoded({ grant_type: 'client_credentials' }), { Authorization: basic('colon', 'a:b') });
    expect(response.status).toBe(200);
    expect(decodeJwt((await json<TokenResponse>(response)).access_token).azp).toBe('colon');
  });

  it('accepts a secret containing ":" in the body too', async () => {
    const response = await postToken(emulator(), urlencoded({ grant_type: 'client_credentials', client_id: 'colon', client_secret: 'a:b' }));
    expect(response.status).toBe(200);
  });

  it('accepts Basic credentials with a matching client_id in the body', async () => {
    const response = await postToken(emulator(), urlencoded({ grant_type: 'client_credentials', client_id: M2M.clientId }), {
      Authorization: basic(M2M.clientId, M2M.secret),
    });
    expect(response.status).toBe(200);
  });

  it('accepts the Basic scheme name in any case', async () => {
    const response = await postToken(emulator(), urlencoded({ grant_type: 'client_credentials' }), {
      Authorization: basic(M2M.clientId, M2M.secret).replace('Basic', 'bAsIc'),
    });
    expect(response.status).toBe(200);
  });

  it('grants a client_credentials client all its scopes when it asks for none, and treats an empty scope as absent', async () => {
    const response = await postToken(
      emulator(),
      multipart({ client_id: M2M.clientId, client_secret: M2M.secret, grant_type: 'client_credentials', scope: '' }),
    );
    expect(response.status).toBe(200);
    const body = await json<TokenResponse>(response);
    expect(body.scope.split(' ')).toEqual([...EMULATOR_SCOPES]);
  });
});

interface RefusalCase {
  name: string;
  body: () => FormData | URLSearchParams | string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
  status: 400 | 401 | 413;
  error: string;
}

const m2mPost = { client_id: M2M.clientId, client_secret: M2M.secret };
const refusals: RefusalCase[] = [
  // Content types the Celonis page does not use.
  {
    name: 'a JSON body',
    body: () => JSON.stringify({ grant_type: 'client_credentials', ...m2mPost }),
    headers: { 'Content-Type': 'application/json' },
    status: 400,
    error: 'invalid_request',
  },
  { name: 'a text/plain body', body: () => `grant_type=client_credentials&client_id=m2m&client_secret=m2m-secret`, status: 400, error: 'invalid_request' },
  {
    name: 'a body without a content type',
    body: () => new TextEncoder().encode('grant_type=client_credentials&client_id=m2m&client_secret=m2m-secret'),
    status: 400,
    error: 'invalid_request',
  },
  { name: 'multipart without a boundary', body: () => '--x\r\n', headers: { 'Content-Type': 'multipart/form-data' }, status: 400, error: 'invalid_request' },
  { name: 'a multipart file part', body: () => withFile(multipart({ grant_type: 'client_credentials', ...m2mPost })), status: 400, error: 'invalid_request' },
  // RFC 6749 §3.2: parameters must not repeat.
  {
    name: 'grant_type twice (urlencoded)',
    body: () =>
      urlencoded([
        ['grant_type', 'client_credentials'],
        ['grant_type', 'client_credentials'],
        ['client_id', 'm2m'],
        ['client_secret', 'm2m-secret'],
      ]),
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'client_secret twice (multipart)',
    body: () => withRepeat(multipart({ grant_type: 'client_credentials', ...m2mPost }), 'client_secret', M2M.secret),
    status: 400,
    error: 'invalid_request',
  },
  // Client authentication.
  {
    name: 'Basic and client_secret in the body',
    body: () => urlencoded({ grant_type: 'client_credentials', client_secret: M2M.secret }),
    headers: { Authorization: basic(M2M.clientId, M2M.secret) },
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'Basic and a different client_id in the body',
    body: () => urlencoded({ grant_type: 'client_credentials', client_id: 'portal' }),
    headers: { Authorization: basic(M2M.clientId, M2M.secret) },
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'a wrong secret (client_secret_post)',
    body: () => urlencoded({ grant_type: 'client_credentials', client_id: M2M.clientId, client_secret: 'wrong' }),
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'a wrong secret (client_secret_basic)',
    body: () => urlencoded({ grant_type: 'client_credentials' }),
    headers: { Authorization: basic(M2M.clientId, 'wrong') },
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'the secret prefix before a colon (a:b sent as a)',
    body: () => urlencoded({ grant_type: 'client_credentials' }),
    headers: { Authorization: basic('colon', 'a') },
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'an unknown client (client_secret_post)',
    body: () => urlencoded({ grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' }),
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'an unknown client (client_secret_basic)',
    body: () => urlencoded({ grant_type: 'client_credentials' }),
    headers: { Authorization: basic('nobody', 'x') },
    status: 401,
    error: 'invalid_client',
  },
  { name: 'an unknown public client', body: () => urlencoded({ grant_type: 'client_credentials', client_id: 'nobody' }), status: 401, error: 'invalid_client' },
  { name: 'no client authentication at all', body: () => urlencoded({ grant_type: 'client_credentials' }), status: 401, error: 'invalid_client' },
  {
    name: 'a Basic header that is not base64',
    body: () => urlencoded({ grant_type: 'client_credentials' }),
    headers: { Authorization: 'Basic !!not-base64!!' },
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'Basic credentials without a colon',
    body: () => urlencoded({ grant_type: 'client_credentials' }),
    headers: { Authorization: `Basic ${Buffer.from('m2m').toString('base64')}` },
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'Basic credentials with an empty client id',
    body: () => urlencoded({ grant_type: 'client_credentials' }),
    headers: { Authorization: `Basic ${Buffer.from(':m2m-secret').toString('base64')}` },
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'a Bearer Authorization header',
    body: () => urlencoded({ grant_type: 'client_credentials', ...m2mPost }),
    headers: { Authorization: 'Bearer abc' },
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'a confidential client sending no secret',
    body: () => urlencoded({ grant_type: 'authorization_code', client_id: PORTAL.clientId, code: 'x', redirect_uri: REDIRECT_URI }),
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'a public client sending Basic credentials',
    body: () => urlencoded({ grant_type: 'refresh_token', refresh_token: 'x' }),
    headers: { Authorization: basic('dashboard', 'anything') },
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'client_secret_post by a client allowed only client_secret_basic',
    body: () => urlencoded({ grant_type: 'client_credentials', client_id: 'basic-only', client_secret: 'basic-secret' }),
    status: 401,
    error: 'invalid_client',
  },
  // Grants.
  {
    name: 'a public client asking for client_credentials',
    body: () => urlencoded({ grant_type: 'client_credentials', client_id: 'dashboard' }),
    status: 400,
    error: 'unauthorized_client',
  },
  {
    name: 'the m2m client asking for authorization_code',
    body: () => urlencoded({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT_URI, ...m2mPost }),
    status: 400,
    error: 'unauthorized_client',
  },
  {
    name: 'the portal client asking for client_credentials',
    body: () => urlencoded({ grant_type: 'client_credentials', client_id: PORTAL.clientId, client_secret: PORTAL.secret }),
    status: 400,
    error: 'unauthorized_client',
  },
  {
    name: 'an unsupported grant_type (password)',
    body: () => urlencoded({ grant_type: 'password', username: 'a', password: 'b', ...m2mPost }),
    status: 400,
    error: 'unsupported_grant_type',
  },
  { name: 'a missing grant_type', body: () => urlencoded(m2mPost), status: 400, error: 'invalid_request' },
  { name: 'an empty grant_type', body: () => urlencoded({ grant_type: '', ...m2mPost }), status: 400, error: 'invalid_request' },
  {
    name: 'authorization_code without a code',
    body: () => urlencoded({ grant_type: 'authorization_code', client_id: 'dashboard', redirect_uri: REDIRECT_URI }),
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'an unknown code',
    body: () => urlencoded({ grant_type: 'authorization_code', client_id: 'dashboard', code: 'nope', redirect_uri: REDIRECT_URI }),
    status: 400,
    error: 'invalid_grant',
  },
  {
    name: 'refresh_token without a refresh token',
    body: () => urlencoded({ grant_type: 'refresh_token', client_id: 'dashboard' }),
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'an unknown refresh token',
    body: () => urlencoded({ grant_type: 'refresh_token', client_id: 'dashboard', refresh_token: 'nope' }),
    status: 400,
    error: 'invalid_grant',
  },
  // Scopes.
  {
    name: 'an unknown scope',
    body: () => urlencoded({ grant_type: 'client_credentials', scope: 'studio not-a-scope', ...m2mPost }),
    status: 400,
    error: 'invalid_scope',
  },
  {
    name: 'scopes separated by two spaces',
    body: () => urlencoded({ grant_type: 'client_credentials', scope: 'studio  audit.log:read', ...m2mPost }),
    status: 400,
    error: 'invalid_scope',
  },
  {
    name: 'scopes separated by a comma',
    body: () => urlencoded({ grant_type: 'client_credentials', scope: 'studio,audit.log:read', ...m2mPost }),
    status: 400,
    error: 'invalid_scope',
  },
  {
    name: 'a repeated scope',
    body: () => urlencoded({ grant_type: 'client_credentials', scope: 'studio studio', ...m2mPost }),
    status: 400,
    error: 'invalid_scope',
  },
  // Size: the emulator does not buffer whatever a client sends.
  { name: 'a urlencoded body over 1 MiB', body: () => paddedBody(MIB + 1), status: 413, error: 'invalid_request' },
  {
    name: 'a multipart body over 1 MiB',
    body: () => multipart({ grant_type: 'client_credentials', ...m2mPost, pad: 'x'.repeat(MIB) }),
    status: 413,
    error: 'invalid_request',
  },
];

describe('token endpoint refusals (RFC 6749 §5.2)', () => {
  it.each(refusals)('$name → $status $error', async ({ body, headers, status, error }) => {
    const response = await postToken(emulator(), body(), headers);
    expect(response.headers.get('cache-control')).toBe('no-store');
    await expectOAuthError(response, status, error);
    // RFC 6749 §5.2: a 401 invalid_client names the scheme the client may authenticate with.
    if (status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="celonis-emulator"/);
    else expect(response.headers.get('www-authenticate')).toBeNull();
    expect(emulator().requests('token')).toMatchObject([{ status, error }]);
  });

  it('refuses a streamed body over 1 MiB (no Content-Length) with 413, and serves one of exactly 1 MiB', async () => {
    const em = emulator();
    const streamed = (body: string) => {
      const bytes = new TextEncoder().encode(body);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
          controller.close();
        },
      });
      const init: RequestInit & { duplex: 'half' } = {
        method: 'POST',
        body: stream,
        duplex: 'half',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        signal: AbortSignal.timeout(10_000),
      };
      return fetch(`${em.url}/oauth2/token`, init);
    };
    const refused = await streamed(paddedBody(MIB + 1));
    // The rest of the body is left unread, so the connection is not kept for another request.
    expect(refused.headers.get('connection')).toBe('close');
    await expectOAuthError(refused, 413, 'invalid_request');
    expect((await streamed(paddedBody(MIB))).status).toBe(200);
    expect((await postToken(em, paddedBody(MIB), { 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(200);
    expect(em.requests('token').map((e) => e.status)).toEqual([413, 200, 200]);
  });

  it('does not serve GET on the token endpoint', async () => {
    const response = await fetch(`${emulator().url}/oauth2/token?grant_type=client_credentials&client_id=m2m&client_secret=m2m-secret`);
    expect(response.status).toBe(404);
  });
});

const MIB = 1_048_576;

/** A client-credentials request for `m2m`, urlencoded, padded with an unknown parameter to exactly `bytes` bytes. */
function paddedBody(bytes: number): string {
  const base = `grant_type=client_credentials&client_id=${M2M.clientId}&client_secret=${M2M.secret}&pad=`;
  return base + 'x'.repeat(bytes - base.length);
}

function withFile(form: FormData): FormData {
  form.append('scope', new Blob(['studio'], { type: 'text/plain' }), 'scope.txt');
  return form;
}

function withRepeat(form: FormData, name: string, value: string): FormData {
  form.append(name, value);
  return form;
}
