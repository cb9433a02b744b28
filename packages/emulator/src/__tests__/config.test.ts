import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_EMULATOR_CONFIG,
  EMULATOR_SCOPES,
  EmulatorApproveError,
  EmulatorConfigError,
  resolveEmulatorConfig,
  startEmulator,
  type EmulatorConfigInput,
  type RunningEmulator,
} from '@celonis-auth/emulator';
import {
  REDIRECT_URI,
  authorize,
  callApi,
  exchangeCode,
  expectOAuthError,
  issueCode,
  json,
  multipart,
  postToken,
  refresh,
  type TokenResponse,
} from './flows.js';

const client = (fields: Record<string, unknown>) => ({ clients: [{ clientId: 'c', clientSecret: 's', grantTypes: ['client_credentials'], ...fields }] });
const user = (fields: Record<string, unknown>) => ({ users: [{ username: 'u@example.com', password: 'p', permissions: ['studio'], ...fields }] });

const badConfigs: { name: string; input: unknown; message: string }[] = [
  { name: 'null', input: null, message: 'emulator config must be a JSON object' },
  { name: 'an array', input: [], message: 'emulator config must be a JSON object' },
  { name: 'a string', input: 'clients', message: 'emulator config must be a JSON object' },
  { name: 'an unknown field', input: { port: 8787 }, message: 'unknown field "port"' },
  { name: 'a __proto__ field', input: JSON.parse('{"__proto__": {"controlSurface": false}}'), message: 'unknown field "__proto__"' },
  { name: 'clients not an array', input: { clients: {} }, message: 'clients must be an array' },
  { name: 'a client that is not an object', input: { clients: ['m2m'] }, message: 'clients[0] must be an object' },
  { name: 'an empty clientId', input: client({ clientId: '' }), message: 'clients[0].clientId must be a non-empty string' },
  { name: 'a clientId with a colon', input: client({ clientId: 'a:b' }), message: 'clients[0].clientId must not contain ":"' },
  { name: 'an unknown grant type', input: client({ grantTypes: ['password'] }), message: 'clients[0].grantTypes: "password" is not one of' },
  { name: 'grantTypes not an array', input: client({ grantTypes: 'client_credentials' }), message: 'clients[0].grantTypes must be an array' },
  { name: 'an empty clientSecret', input: client({ clientSecret: '' }), message: 'clients[0].clientSecret must be a non-empty string' },
  {
    name: 'a client_credentials client without a secret',
    input: client({ clientSecret: undefined }),
    message: 'clients[0]: a client_credentials client needs a clientSecret',
  },
  {
    name: 'an authorization_code client without redirect URIs',
    input: client({ grantTypes: ['authorization_code'] }),
    message: 'clients[0]: an authorization_code client needs at least one redirectUris entry',
  },
  {
    name: 'a relative redirect URI',
    input: client({ grantTypes: ['authorization_code'], redirectUris: ['/callback'] }),
    message: 'clients[0].redirectUris[0]: "/callback" is not an absolute URL',
  },
  { name: 'an unknown auth method', input: client({ authMethods: ['private_key_jwt'] }), message: 'clients[0].authMethods: "private_key_jwt" is not one of' },
  { name: 'an unknown client scope', input: client({ scopes: ['nope'] }), message: 'clients[0].scopes: "nope" is not one of' },
  { name: 'a client name that is not a string', input: client({ name: 42 }), message: 'clients[0].name must be a non-empty string' },
  { name: 'a duplicate clientId', input: { clients: [client({}).clients[0], client({}).clients[0]] }, message: 'clients: clientId "c" appears twice' },
  { name: 'users not an array', input: { users: 'analyst' }, message: 'users must be an array' },
  { name: 'a user without a password', input: user({ password: undefined }), message: 'users[0].password must be a non-empty string' },
  { name: 'a user without permissions', input: user({ permissions: undefined }), message: 'users[0].permissions must be an array' },
  { name: 'an unknown permission', input: user({ permissions: ['admin'] }), message: 'users[0].permissions: "admin" is not one of' },
  { name: 'a duplicate username', input: { users: [user({}).users[0], user({}).users[0]] }, message: 'users: username "u@example.com" appears twice' },
  { name: 'a negative access token lifetime', input: { accessTokenLifetimeSeconds: -1 }, message: 'accessTokenLifetimeSeconds must be a whole number' },
  { name: 'a fractional access token lifetime', input: { accessTokenLifetimeSeconds: 1.5 }, message: 'accessTokenLifetimeSeconds must be a whole number' },
  { name: 'an access token lifetime as a string', input: { accessTokenLifetimeSeconds: '899' }, message: 'accessTokenLifetimeSeconds must be a whole number' },
  {
    name: 'an access token lifetime over a year',
    input: { accessTokenLifetimeSeconds: 31_536_001 },
    message: 'accessTokenLifetimeSeconds must be a whole number',
  },
  {
    name: 'a refresh token lifetime of NaN',
    input: { refreshTokenLifetimeSeconds: Number.NaN },
    message: 'refreshTokenLifetimeSeconds must be a whole number',
  },
  { name: 'a code lifetime of null', input: { codeLifetimeSeconds: null }, message: 'codeLifetimeSeconds must be a whole number' },
  { name: 'corsOrigins not an array', input: { corsOrigins: 'http://localhost:5173' }, message: 'corsOrigins must be an array' },
  {
    name: 'a CORS origin with a path',
    input: { corsOrigins: ['http://localhost:5173/app'] },
    message: 'corsOrigins: "http://localhost:5173/app" must be a bare origin',
  },
  { name: 'a CORS wildcard', input: { corsOrigins: ['*'] }, message: 'corsOrigins: "*" is not an absolute URL' },
  { name: 'a CORS origin without a scheme', input: { corsOrigins: ['localhost:5173'] }, message: 'corsOrigins: "localhost:5173"' },
  { name: 'controlSurface as a string', input: { controlSurface: 'yes' }, message: 'controlSurface must be true or false' },
  { name: 'sendIssuer as a string', input: { sendIssuer: 'true' }, message: 'sendIssuer must be true or false' },
];

describe('resolveEmulatorConfig', () => {
  it.each(badConfigs)('rejects $name with EmulatorConfigError naming the field', ({ input, message }) => {
    let thrown: unknown;
    try {
      resolveEmulatorConfig(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EmulatorConfigError);
    expect((thrown as EmulatorConfigError).name).toBe('EmulatorConfigError');
    expect((thrown as EmulatorConfigError).message).toContain(message);
  });

  it('fills every default for an empty input', () => {
    const config = resolveEmulatorConfig();
    expect(config.clients.map((c) => c.clientId)).toEqual(['dashboard', 'portal', 'm2m']);
    expect(config.clients.every((c) => c.scopes?.length === EMULATOR_SCOPES.length)).toBe(true);
    expect(config.clients.find((c) => c.clientId === 'm2m')).toMatchObject({
      name: 'Machine Client',
      authMethods: ['client_secret_basic', 'client_secret_post'],
      redirectUris: [],
    });
    expect(config).toMatchObject({
      accessTokenLifetimeSeconds: 899,
      refreshTokenLifetimeSeconds: 86_400,
      codeLifetimeSeconds: 60,
      controlSurface: true,
      sendIssuer: false,
    });
    expect(config.clients.find((c) => c.clientId === 'dashboard')?.name).toBe('Celonis Portal');
    expect(config.corsOrigins).toEqual(['http://localhost:5173', 'http://127.0.0.1:5173']);
  });

  it('defaults a client name to its id and keeps the seeded users when only clients are given', () => {
    const config = resolveEmulatorConfig(client({}));
    expect(config.clients).toEqual([expect.objectContaining({ clientId: 'c', name: 'c' })]);
    expect(config.users.map((u) => u.username)).toEqual(DEFAULT_EMULATOR_CONFIG.users.map((u) => u.username));
  });

  it('leaves the defaults and the input untouched', () => {
    const input = client({});
    const before = JSON.stringify(input);
    resolveEmulatorConfig(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(Object.isFrozen(DEFAULT_EMULATOR_CONFIG)).toBe(true);
  });
});

describe('startEmulator({ config })', () => {
  const started: RunningEmulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((em) => em.close()));
  });
  async function start(config: EmulatorConfigInput): Promise<RunningEmulator> {
    const em = await startEmulator({ config });
    started.push(em);
    return em;
  }

  it.each(badConfigs.filter((c) => typeof c.input === 'object' && c.input !== null && !Array.isArray(c.input)).slice(0, 8))(
    'rejects $name with EmulatorConfigError before listening',
    async ({ input, message }) => {
      await expect(startEmulator({ config: input as EmulatorConfigInput })).rejects.toThrow(EmulatorConfigError);
      await expect(startEmulator({ config: input as EmulatorConfigInput })).rejects.toThrow(message);
    },
  );

  it.each([-1, 1.5, 65_536, Number.NaN])('rejects port %s with a RangeError', async (port) => {
    await expect(startEmulator({ port })).rejects.toThrow(RangeError);
  });

  it('serves a custom client, granting only the scopes it is configured for', async () => {
    const em = await start({
      clients: [{ clientId: 'reporting', clientSecret: 'r-secret', grantTypes: ['client_credentials'], scopes: ['studio', 'audit.log:read'] }],
    });
    const creds = { client_id: 'reporting', client_secret: 'r-secret', grant_type: 'client_credentials' };

    const all = await json<TokenResponse>(await postToken(em, multipart(creds)));
    expect(all.scope).toBe('studio audit.log:read');
    const some = await json<TokenResponse>(await postToken(em, multipart({ ...creds, scope: 'studio integration.data-pools' })));
    expect(some.scope).toBe('studio');
    await expectOAuthError(await postToken(em, multipart({ ...creds, scope: 'integration.data-pools' })), 400, 'invalid_scope');
    // The seeded clients are replaced.
    await expectOAuthError(
      await postToken(em, multipart({ client_id: 'm2m', client_secret: 'm2m-secret', grant_type: 'client_credentials' })),
      401,
      'invalid_client',
    );
  });

  it('issues tokens with the configured accessTokenLifetimeSeconds', async () => {
    const em = await start({ accessTokenLifetimeSeconds: 60 });
    const tokens = await json<TokenResponse>(
      await postToken(em, multipart({ client_id: 'm2m', client_secret: 'm2m-secret', grant_type: 'client_credentials' })),
    );
    expect(tokens.expires_in).toBe(60);
    const claims = decodeJwt(tokens.access_token);
    expect(claims.exp! - claims.iat!).toBe(60);
    em.advanceClock(61);
    expect((await callApi(em, '/api/me', tokens.access_token)).status).toBe(401);
  });

  it('expires codes after the configured codeLifetimeSeconds', async () => {
    const em = await start({ codeLifetimeSeconds: 5 });
    const fresh = issueCode(em);
    em.advanceClock(4);
    expect((await exchangeCode(em, fresh)).status).toBe(200);
    const stale = issueCode(em);
    em.advanceClock(6);
    await expectOAuthError(await exchangeCode(em, stale), 400, 'invalid_grant');
  });

  it('expires refresh tokens after the configured refreshTokenLifetimeSeconds', async () => {
    const em = await start({ refreshTokenLifetimeSeconds: 120 });
    const tokens = await authorize(em);
    em.advanceClock(121);
    await expectOAuthError(await refresh(em, tokens.refresh_token), 400, 'invalid_grant');
  });

  it('signs in the configured users only, granting their permissions', async () => {
    const em = await start({ users: [{ username: 'qa@example.com', password: 'qa', permissions: ['studio', 'team.user-group-info:read'] }] });
    const tokens = await authorize(em, { user: 'qa@example.com', scope: 'studio audit.log:read team.user-group-info:read' });
    expect(tokens.scope).toBe('studio team.user-group-info:read');
    const users = await json<{ content: { email: string }[] }>(await callApi(em, '/team/api/users', tokens.access_token));
    expect(users.content).toEqual([{ email: 'qa@example.com', name: 'qa@example.com' }]);
    expect(() => issueCode(em, { user: 'analyst@example.com' })).toThrow(EmulatorApproveError);
  });

  it('registers custom redirect URIs and limits a public client to its scopes', async () => {
    const redirect = 'http://localhost:3000/auth/callback';
    const em = await start({
      clients: [{ clientId: 'spa', grantTypes: ['authorization_code', 'refresh_token'], redirectUris: [redirect], scopes: ['studio'] }],
    });
    const url = new URL('/oauth2/authorize', em.url);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'spa',
      redirect_uri: redirect,
      scope: 'studio audit.log:read',
      state: 's',
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'S256',
    }).toString();
    const location = new URL(em.approve(url));
    expect(`${location.origin}${location.pathname}`).toBe(redirect);
    // The seeded dashboard redirect is not registered for this client.
    url.searchParams.set('redirect_uri', REDIRECT_URI);
    expect(() => em.approve(url)).toThrow(EmulatorApproveError);
  });
});
