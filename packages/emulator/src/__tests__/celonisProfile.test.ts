/**
 * The token endpoint in the `celonis` profile, as tables: each refused request with its status and
 * OAuth error (and the same request in `permissive`, as it behaves today), that a refusal for want
 * of client authentication spends nothing, and what still works in both profiles.
 */
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '@celonis-auth/emulator';
import {
  M2M,
  PORTAL,
  authorize,
  basic,
  callApi,
  expectOAuthError,
  issueCode,
  json,
  multipart,
  pkce,
  postToken,
  urlencoded,
  useEmulator,
  type IssuedCode,
  type TokenResponse,
} from './flows.js';

const celonis = useEmulator({ profile: 'celonis' });
const permissive = useEmulator();

/** How a token request identifies its client. */
type Auth = 'basic' | 'post' | 'client_id only' | 'nothing' | 'wrong secret (basic)' | 'wrong secret (post)';
type Encoding = 'multipart' | 'urlencoded';

/** A token request for `clientId` with `fields`, authenticated as `auth` says, in `encoding`. */
function tokenRequest(em: RunningEmulator, clientId: string, secret: string, fields: Record<string, string>, auth: Auth, encoding: Encoding = 'urlencoded') {
  const headers: Record<string, string> = {};
  const body = { ...fields };
  if (auth === 'basic' || auth === 'wrong secret (basic)') headers.Authorization = basic(clientId, auth === 'basic' ? secret : 'wrong-secret');
  if (auth === 'post' || auth === 'wrong secret (post)' || auth === 'client_id only') body.client_id = clientId;
  if (auth === 'post') body.client_secret = secret;
  if (auth === 'wrong secret (post)') body.client_secret = 'wrong-secret';
  return postToken(em, encoding === 'multipart' ? multipart(body) : urlencoded(body), headers);
}

/** The fields that redeem `issued`; `verifier` replaces (or, `null`, drops) the issued code_verifier. */
function codeFields(issued: IssuedCode, verifier?: string | null): Record<string, string> {
  const codeVerifier = verifier === undefined ? issued.verifier : (verifier ?? undefined);
  return {
    grant_type: 'authorization_code',
    code: issued.code,
    redirect_uri: issued.redirectUri,
    ...(codeVerifier === undefined ? {} : { code_verifier: codeVerifier }),
  };
}

const exchange = (em: RunningEmulator, issued: IssuedCode, auth: Auth, options: { verifier?: string | null; encoding?: Encoding } = {}) =>
  tokenRequest(em, issued.clientId, issued.clientId === 'portal' ? PORTAL.secret : '', codeFields(issued, options.verifier), auth, options.encoding);

const refreshAs = (em: RunningEmulator, clientId: string, refreshToken: string, auth: Auth, encoding: Encoding = 'multipart') =>
  tokenRequest(em, clientId, clientId === 'portal' ? PORTAL.secret : '', { grant_type: 'refresh_token', refresh_token: refreshToken }, auth, encoding);

/** A refresh token of the portal, from an authenticated exchange (client_secret_post, as the permissive flows do). */
const portalRefreshToken = async (em: RunningEmulator) => (await authorize(em, { client: 'portal' })).refresh_token;

// An unknown token: refused as invalid_grant once the client is authenticated, and before that as invalid_client.
const UNKNOWN_REFRESH_TOKEN = 'r'.repeat(43);

/** Rows as `[name, row]`, so `%s` prints the whole name (vitest shortens a long `$name`). */
function named<T extends { name: string }>(rows: T[]): [string, T][] {
  return rows.map((row) => [row.name, row]);
}

type Outcome = { status: 200 } | { status: 400 | 401; error: string };
const OK: Outcome = { status: 200 };
const INVALID_CLIENT: Outcome = { status: 401, error: 'invalid_client' };
const INVALID_GRANT: Outcome = { status: 400, error: 'invalid_grant' };

const refusals: { name: string; send: (em: RunningEmulator) => Promise<Response>; celonis: Outcome; permissive: Outcome }[] = [
  {
    name: 'a code exchange by the public dashboard naming only its client_id',
    send: (em) => exchange(em, issueCode(em, { client: 'dashboard' }), 'client_id only'),
    celonis: INVALID_CLIENT,
    permissive: OK,
  },
  {
    name: 'a code exchange by the portal naming only its client_id',
    send: (em) => exchange(em, issueCode(em, { client: 'portal' }), 'client_id only'),
    celonis: INVALID_CLIENT,
    permissive: INVALID_CLIENT,
  },
  {
    name: 'a code exchange naming no client at all',
    send: (em) => exchange(em, issueCode(em, { client: 'portal' }), 'nothing'),
    celonis: INVALID_CLIENT,
    permissive: INVALID_CLIENT,
  },
  {
    name: 'a code exchange with a wrong secret (client_secret_basic)',
    send: (em) => exchange(em, issueCode(em, { client: 'portal' }), 'wrong secret (basic)'),
    celonis: INVALID_CLIENT,
    permissive: INVALID_CLIENT,
  },
  {
    name: 'a code exchange with a wrong secret (client_secret_post)',
    send: (em) => exchange(em, issueCode(em, { client: 'portal' }), 'wrong secret (post)'),
    celonis: INVALID_CLIENT,
    permissive: INVALID_CLIENT,
  },
  {
    name: 'an authenticated code exchange with a wrong code_verifier',
    send: (em) => exchange(em, issueCode(em, { client: 'portal' }), 'basic', { verifier: pkce().verifier }),
    celonis: INVALID_GRANT,
    permissive: INVALID_GRANT,
  },
  {
    name: 'an authenticated code exchange without the code_verifier of a code issued with a challenge',
    send: (em) => exchange(em, issueCode(em, { client: 'portal' }), 'basic', { verifier: null }),
    celonis: INVALID_GRANT,
    permissive: INVALID_GRANT,
  },
  {
    name: 'an authenticated code exchange with a code_verifier for a code issued without a challenge',
    send: (em) => exchange(em, issueCode(em, { client: 'portal', pkce: false }), 'post', { verifier: pkce().verifier }),
    celonis: INVALID_GRANT,
    permissive: INVALID_GRANT,
  },
  {
    name: 'a refresh by the public dashboard naming only its client_id',
    send: (em) => refreshAs(em, 'dashboard', UNKNOWN_REFRESH_TOKEN, 'client_id only'),
    celonis: INVALID_CLIENT,
    permissive: INVALID_GRANT,
  },
  {
    name: 'a refresh by the portal naming only its client_id',
    send: async (em) => refreshAs(em, 'portal', await portalRefreshToken(em), 'client_id only'),
    celonis: INVALID_CLIENT,
    permissive: INVALID_CLIENT,
  },
  {
    name: 'a refresh naming no client at all',
    send: async (em) => refreshAs(em, 'portal', await portalRefreshToken(em), 'nothing'),
    celonis: INVALID_CLIENT,
    permissive: INVALID_CLIENT,
  },
  {
    name: 'a refresh with a wrong secret',
    send: async (em) => refreshAs(em, 'portal', await portalRefreshToken(em), 'wrong secret (post)'),
    celonis: INVALID_CLIENT,
    permissive: INVALID_CLIENT,
  },
  {
    name: 'client_credentials by the public dashboard naming only its client_id',
    send: (em) => tokenRequest(em, 'dashboard', '', { grant_type: 'client_credentials' }, 'client_id only'),
    celonis: INVALID_CLIENT,
    permissive: { status: 400, error: 'unauthorized_client' },
  },
];

async function expectOutcome(response: Response, outcome: Outcome): Promise<void> {
  if (outcome.status === 200) {
    expect(response.status).toBe(200);
    expect(await json<TokenResponse>(response)).toMatchObject({ token_type: 'Bearer', expires_in: 899 });
    return;
  }
  await expectOAuthError(response, outcome.status, outcome.error);
  // RFC 6749 §5.2: a 401 invalid_client names the scheme to authenticate with, in both profiles.
  if (outcome.status === 401) expect(response.headers.get('www-authenticate')).toBe('Basic realm="celonis-emulator", charset="UTF-8"');
}

describe('token requests refused in the celonis profile', () => {
  it.each(named(refusals))('celonis: %s', async (_, { send, celonis: outcome }) => {
    await expectOutcome(await send(celonis()), outcome);
  });

  it.each(named(refusals))('permissive, as before: %s', async (_, { send, permissive: outcome }) => {
    await expectOutcome(await send(permissive()), outcome);
  });

  it('says why the public dashboard is refused', async () => {
    const em = celonis();
    const body = await expectOAuthError(await exchange(em, issueCode(em, { client: 'dashboard' }), 'client_id only'), 401, 'invalid_client');
    expect(body.error_description).toBe(
      'the celonis profile has no public clients: authenticate with client_secret_basic or client_secret_post (this client has no secret)',
    );
    expect(em.requests('token').at(-1)).toMatchObject({ status: 401, error: 'invalid_client', clientAuth: 'none', clientId: 'dashboard' });
  });
});

// RFC 6749 §3.2.1 and §4.1.3: the client is authenticated before the grant is looked at, so a refused client spends nothing.
describe('a request refused for its client authentication spends nothing (celonis)', () => {
  const unauthenticated: Auth[] = ['client_id only', 'nothing', 'wrong secret (basic)', 'wrong secret (post)'];

  it.each(unauthenticated)('the code survives an exchange with %s, for an authenticated retry', async (auth) => {
    const em = celonis();
    const issued = issueCode(em, { client: 'portal' });
    await expectOAuthError(await exchange(em, issued, auth), 401, 'invalid_client');
    const retry = await exchange(em, issued, 'basic');
    expect(retry.status).toBe(200);
    expect((await callApi(em, '/api/me', (await json<TokenResponse>(retry)).access_token)).status).toBe(200);
  });

  it.each(unauthenticated)('the refresh token survives a refresh with %s, and its family is not revoked', async (auth) => {
    const em = celonis();
    const first = await authorize(em, { client: 'portal' });
    await expectOAuthError(await refreshAs(em, 'portal', first.refresh_token, auth), 401, 'invalid_client');
    const retry = await refreshAs(em, 'portal', first.refresh_token, 'basic');
    expect(retry.status).toBe(200);
    expect((await json<TokenResponse>(retry)).refresh_token).toEqual(expect.any(String));
    expect((await callApi(em, '/api/me', first.access_token)).status).toBe(200);
  });
});

const PROFILES = [
  ['celonis', celonis],
  ['permissive', permissive],
] as const;
const methods = ['basic', 'post'] as const;
const encodings: Encoding[] = ['multipart', 'urlencoded'];
const exchanges = methods.flatMap((auth) =>
  [true, false].flatMap((withPkce) =>
    encodings.map((encoding) => ({ name: `client_secret_${auth}, ${withPkce ? 'with' : 'without'} PKCE, ${encoding}`, auth, withPkce, encoding })),
  ),
);
const pairs = methods.flatMap((auth) => encodings.map((encoding) => ({ name: `client_secret_${auth}, ${encoding}`, auth, encoding })));

describe.each(PROFILES)('what works in the %s profile', (_, emulator) => {
  it.each(named(exchanges))('the portal exchanges a code with %s', async (_, { auth, withPkce, encoding }) => {
    const em = emulator();
    const issued = issueCode(em, { client: 'portal', pkce: withPkce, scope: 'studio audit.log:read' });
    const response = await exchange(em, issued, auth, { encoding });
    expect(response.status).toBe(200);
    const tokens = await json<TokenResponse>(response);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 899, scope: 'studio audit.log:read', refresh_token: expect.any(String) });
    expect((await callApi(em, '/audit-log/api/events', tokens.access_token)).status).toBe(200);
    expect(em.requests('token').at(-1)).toMatchObject({ clientAuth: `client_secret_${auth}`, bodyEncoding: encoding });
  });

  it.each(named(pairs))('the portal refreshes with %s, and the token rotates', async (_, { auth, encoding }) => {
    const em = emulator();
    const first = await authorize(em, { client: 'portal' });
    const response = await refreshAs(em, 'portal', first.refresh_token, auth, encoding);
    expect(response.status).toBe(200);
    const next = await json<TokenResponse>(response);
    expect(next).toMatchObject({ token_type: 'Bearer', expires_in: 899, scope: 'studio' });
    expect(next.refresh_token).toEqual(expect.any(String));
    expect(next.refresh_token).not.toBe(first.refresh_token);
    // The rotated token presented again is reuse, in every profile.
    await expectOAuthError(await refreshAs(em, 'portal', first.refresh_token, auth, encoding), 400, 'invalid_grant');
  });

  it.each(named(pairs))('the m2m client gets a token with %s', async (_, { auth, encoding }) => {
    const em = emulator();
    const response = await tokenRequest(em, M2M.clientId, M2M.secret, { grant_type: 'client_credentials', scope: 'team.user-group-info:read' }, auth, encoding);
    expect(response.status).toBe(200);
    const tokens = await json<TokenResponse>(response);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 899, scope: 'team.user-group-info:read' });
    expect(tokens.refresh_token).toBeUndefined();
    expect((await callApi(em, '/team/api/users', tokens.access_token)).status).toBe(200);
  });

  it('still issues the dashboard a code on the authorize page (the exchange is what differs)', () => {
    const em = emulator();
    expect(issueCode(em, { client: 'dashboard' }).code).toEqual(expect.any(String));
  });
});
