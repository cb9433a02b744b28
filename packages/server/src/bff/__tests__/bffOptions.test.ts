import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import type { ArgumentErrorCode } from '@celonis-auth/core/protocol';
import { bffMiddleware, createCelonisBff, createMemorySessionStore, type CelonisBffOptions } from '../../index.js';
import { expectCodedTypeError } from '../../__tests__/testSupport.js';
import { KEY_1 } from './bffSupport.js';

const BASE: CelonisBffOptions = {
  teamUrl: 'https://acme.eu-1.celonis.cloud',
  clientId: 'portal',
  clientSecret: 'portal-secret',
  allowedOrigins: ['https://portal.example.com'],
  scopes: ['studio'],
  encryptionKeys: [KEY_1],
};

type Case = [string, Record<string, unknown>, ArgumentErrorCode];

const CASES: Case[] = [
  ['a team URL on http beyond loopback', { teamUrl: 'http://acme.example' }, 'invalid_team_url'],
  ['a team URL with a path', { teamUrl: 'https://acme.eu-1.celonis.cloud/x' }, 'invalid_team_url'],
  ['an empty clientId', { clientId: '' }, 'invalid_client_id'],
  ['a clientId with ":" under client_secret_basic', { clientId: 'a:b' }, 'invalid_client_id'],
  ['an empty clientSecret', { clientSecret: '' }, 'invalid_client_secret'],
  ['an unknown clientAuthentication', { clientAuthentication: 'private_key_jwt' }, 'invalid_client_authentication'],
  ['an unknown tokenBodyEncoding', { tokenBodyEncoding: 'json' }, 'invalid_body_encoding'],
  ['no allowedOrigins', { allowedOrigins: [] }, 'invalid_allowed_origins'],
  ['a wildcard origin', { allowedOrigins: ['*'] }, 'invalid_allowed_origins'],
  ['an origin with a path', { allowedOrigins: ['https://portal.example.com/app'] }, 'invalid_allowed_origins'],
  ['a relative redirectUri', { redirectUri: '/auth/callback' }, 'invalid_redirect_uri'],
  [
    'a redirectUri on http beyond loopback',
    { allowedOrigins: ['http://portal.example.com'], redirectUri: 'http://portal.example.com/cb' },
    'invalid_redirect_uri',
  ],
  ['a redirectUri on another origin', { redirectUri: 'https://other.example.com/auth/callback' }, 'invalid_redirect_uri'],
  ['a redirectUri with a query', { redirectUri: 'https://portal.example.com/auth/callback?x=1' }, 'invalid_redirect_uri'],
  ['a redirectUri under apiBasePath', { redirectUri: 'https://portal.example.com/celonis/callback' }, 'invalid_redirect_uri'],
  ['a redirectUri on the session route', { redirectUri: 'https://portal.example.com/auth/session' }, 'invalid_redirect_uri'],
  ['no scopes', { scopes: undefined }, 'invalid_scopes'],
  ['an empty scope list', { scopes: [] }, 'invalid_scopes'],
  ['a scope with a space', { scopes: ['a b'] }, 'invalid_scopes'],
  ['no encryptionKeys', { encryptionKeys: undefined }, 'invalid_encryption_keys'],
  ['a short encryption key', { encryptionKeys: ['c2hvcnQ'] }, 'invalid_encryption_keys'],
  ['a sessionStore without lock', { sessionStore: { get() {}, set() {}, delete() {} } }, 'invalid_session_store'],
  ['a basePath without a leading slash', { basePath: 'auth' }, 'invalid_base_path'],
  ['an apiBasePath with a trailing slash', { apiBasePath: '/celonis/' }, 'invalid_base_path'],
  ['an apiBasePath inside basePath', { apiBasePath: '/auth/api' }, 'invalid_base_path'],
  ['basePath equal to apiBasePath', { basePath: '/celonis' }, 'invalid_base_path'],
  ['a cookieName with the __Host- prefix', { cookieName: '__Host-session' }, 'invalid_cookie_option'],
  ['a cookieName with a space', { cookieName: 'my session' }, 'invalid_cookie_option'],
  ['secure that is no boolean', { secure: 'yes' }, 'invalid_cookie_option'],
  ['secure: false on https', { secure: false }, 'invalid_cookie_option'],
  ['requireIssuer that is no boolean', { requireIssuer: 'yes' }, 'invalid_issuer'],
  ['an issuer that is no URL', { issuer: 'acme.eu-1.celonis.cloud' }, 'invalid_issuer'],
  ['an issuer on http', { issuer: 'http://acme.eu-1.celonis.cloud' }, 'invalid_issuer'],
  ['an issuer with a query', { issuer: 'https://acme.eu-1.celonis.cloud/?x=1' }, 'invalid_issuer'],
  ['an idle timeout under a minute', { idleTimeoutSeconds: 30 }, 'invalid_option'],
  ['a fractional absolute timeout', { absoluteTimeoutSeconds: 3600.5 }, 'invalid_option'],
  ['a timeout of 0', { timeoutMs: 0 }, 'invalid_option'],
  ['no concurrent API call allowed', { maxConcurrentRequests: 0 }, 'invalid_option'],
  ['a negative body cap', { maxRequestBodyBytes: -1 }, 'invalid_option'],
  ['a store timeout of 0', { sessionStoreTimeoutMs: 0 }, 'invalid_option'],
  ['a negative refresh leeway', { refreshLeewaySeconds: -1 }, 'invalid_refresh_leeway'],
  ['a fetch that is no function', { deps: { fetch: 'fetch' } }, 'invalid_deps'],
  ['a randomBytes that is no function', { deps: { randomBytes: 32 } }, 'invalid_deps'],
];

describe('createCelonisBff options: a CodedTypeError with a stable code, synchronously', () => {
  test.each(CASES)('%s: %s', (_name, change, code) => {
    expectCodedTypeError(() => createCelonisBff({ ...BASE, ...change }), code);
  });

  test('no options at all: invalid_config', () => {
    expectCodedTypeError(() => createCelonisBff(undefined as unknown as CelonisBffOptions), 'invalid_config');
  });

  test('messages name createCelonisBff and the option, never the secret', () => {
    const error = expectCodedTypeError(() => createCelonisBff({ ...BASE, apiBasePath: 'celonis' }), 'invalid_base_path');
    expect(error.message).toMatch(/^createCelonisBff: apiBasePath "celonis" must be a URL path like "\/celonis"/);
    const cap = expectCodedTypeError(() => createCelonisBff({ ...BASE, timeoutMs: 0 }), 'invalid_option');
    expect(cap.message).toMatch(/^createCelonisBff: timeoutMs/);
  });
});

describe('defaults', () => {
  test('routes: /auth, /celonis and the callback at ${allowedOrigins[0]}/auth/callback', async () => {
    const bff = createCelonisBff(BASE);
    expect({ basePath: bff.basePath, apiBasePath: bff.apiBasePath, callbackPath: bff.callbackPath }).toEqual({
      basePath: '/auth',
      apiBasePath: '/celonis',
      callbackPath: '/auth/callback',
    });
    const login = await bff(new Request('https://portal.example.com/auth/login'));
    const authorize = new URL(login.headers.get('location')!);
    expect(authorize.searchParams.get('redirect_uri')).toBe('https://portal.example.com/auth/callback');
    expect(login.headers.getSetCookie()[0]).toMatch(/^__Host-celonis-auth\.txn\.[\w-]{43}=[\w-]{43}; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/);
  });

  test('a redirectUri outside basePath moves the callback route there', () => {
    const bff = createCelonisBff({ ...BASE, redirectUri: 'https://portal.example.com/callback', basePath: '/bff', apiBasePath: '/api/celonis' });
    expect([bff.basePath, bff.apiBasePath, bff.callbackPath]).toEqual(['/bff', '/api/celonis', '/callback']);
  });

  test('state, PKCE verifier and binding are 256 bits each from deps.randomBytes', async () => {
    const sizes: number[] = [];
    const bff = createCelonisBff({ ...BASE, deps: { randomBytes: (size) => (sizes.push(size), new Uint8Array(size).fill(sizes.length)) } });
    const login = await bff(new Request('https://portal.example.com/auth/login'));
    const state = new URL(login.headers.get('location')!).searchParams.get('state');
    expect(state).toBe(Buffer.alloc(32, 1).toString('base64url'));
    // state, verifier, binding; then the transaction's IV.
    expect(sizes).toEqual([32, 32, 32, 12]);
  });
});

describe('bffMiddleware', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? (server.closeAllConnections(), server.close(() => resolve())) : resolve())));

  test('mounts basePath/, apiBasePath/ and the callback path; everything else goes to next()', async () => {
    const bff = createCelonisBff({
      ...BASE,
      allowedOrigins: ['http://127.0.0.1:5173'],
      redirectUri: 'http://127.0.0.1:5173/callback',
      sessionStore: createMemorySessionStore(),
    });
    const middleware = bffMiddleware(bff);
    server = createServer((req, res) => middleware(req, res, () => void res.writeHead(299).end('next')));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const status = async (path: string) => (await fetch(`${base}${path}`, { redirect: 'manual' })).status;
    expect(await status('/auth/session')).toBe(200);
    expect(await status('/celonis/api/me')).toBe(403);
    expect(await status('/callback?state=x')).toBe(400);
    expect(await status('/callbacks')).toBe(299);
    expect(await status('/authx')).toBe(299);
    expect(await status('/')).toBe(299);
  });

  test('refuses a handler createCelonisBff did not make', () => {
    expectCodedTypeError(() => bffMiddleware((async () => new Response()) as unknown as Parameters<typeof bffMiddleware>[0]), 'invalid_argument');
  });
});
