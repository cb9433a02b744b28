import { describe, expect, it } from 'vitest';
import { CELONIS_SCOPES, createCelonisAuth, teamEndpoints, type CelonisAuthConfig } from '@celonis-auth/core';
import { isLoopbackHost } from '@celonis-auth/core/protocol';
import { fakeDeps, fakeFetch } from '@celonis-auth/test-utils';
import { resolveConfig } from '../config/resolveConfig.js';

const TEAM = 'https://acme.eu-1.celonis.cloud';

const base: CelonisAuthConfig = {
  teamUrl: TEAM,
  clientId: 'my-portal',
  redirectUri: 'http://localhost:5173/callback',
  scopes: ['studio', 'intelligence.knowledge-models:read'],
  storage: 'memory',
};

/** Creates a client from `base` with `changes` (which may be ill-typed on purpose), all platform access faked. */
function create(changes: Record<string, unknown> = {}) {
  const fake = fakeDeps();
  const server = fakeFetch(() => {
    throw new Error('no request expected');
  });
  const config = { ...base, deps: { ...fake.deps, fetch: server.fetch }, ...changes } as CelonisAuthConfig;
  return { auth: createCelonisAuth(config), ...fake, requests: server.requests };
}

/** Runs `create(changes)` and returns what it threw. */
function thrownBy(changes: Record<string, unknown>): unknown {
  try {
    create(changes);
  } catch (error) {
    return error;
  }
  throw new Error('createCelonisAuth did not throw');
}

describe('teamUrl', () => {
  it.each([
    ['missing', undefined, 'invalid_team_url'],
    ['empty', '', 'invalid_team_url'],
    ['not a string', 42, 'invalid_team_url'],
    ['a bare host name', 'acme.eu-1.celonis.cloud', 'invalid_team_url'],
    ['a relative path', '/team', 'invalid_team_url'],
    ['http on a public host', 'http://acme.eu-1.celonis.cloud', 'invalid_team_url'],
    ['http on a host that only starts like localhost', 'http://localhost.evil.example', 'invalid_team_url'],
    ['http on a private network address', 'http://10.0.0.7:8787', 'invalid_team_url'],
    ['another scheme', 'ftp://acme.eu-1.celonis.cloud', 'invalid_team_url'],
    ['user and password', 'https://user:secret@acme.eu-1.celonis.cloud', 'invalid_team_url'],
    ['a user name', 'https://user@acme.eu-1.celonis.cloud', 'invalid_team_url'],
    ['a path', `${TEAM}/team`, 'invalid_team_url'],
    ['a query', `${TEAM}/?tenant=1`, 'invalid_team_url'],
    ['a fragment', `${TEAM}/#top`, 'invalid_team_url'],
  ])('refuses a teamUrl that is %s', (_, teamUrl, code) => {
    const error = thrownBy({ teamUrl });
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code });
  });

  it.each([
    ['the emulator on 127.0.0.1', 'http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
    ['localhost without a port', 'http://localhost', 'http://localhost'],
    ['IPv6 loopback', 'http://[::1]:8787', 'http://[::1]:8787'],
    ['https with a trailing slash', `${TEAM}/`, TEAM],
    ['https with upper case and the default port', 'HTTPS://ACME.eu-1.celonis.cloud:443', TEAM],
    ['https on a custom port', 'https://acme.example:8443', 'https://acme.example:8443'],
  ])('accepts %s, normalised to its origin', (_, teamUrl, origin) => {
    const { auth } = create({ teamUrl });
    expect(auth.config.teamUrl).toBe(origin);
    expect(auth.config.authorizationEndpoint).toBe(`${origin}/oauth2/authorize`);
    expect(auth.config.tokenEndpoint).toBe(`${origin}/oauth2/token`);
  });
});

describe('clientId and redirectUri', () => {
  it.each([
    ['clientId empty', { clientId: '' }, 'invalid_client_id'],
    ['clientId blank', { clientId: '   ' }, 'invalid_client_id'],
    ['clientId missing', { clientId: undefined }, 'invalid_client_id'],
    ['clientId not a string', { clientId: 7 }, 'invalid_client_id'],
    ['redirectUri missing', { redirectUri: undefined }, 'invalid_redirect_uri'],
    ['redirectUri relative to the root', { redirectUri: '/callback' }, 'invalid_redirect_uri'],
    ['redirectUri relative', { redirectUri: 'callback' }, 'invalid_redirect_uri'],
    ['redirectUri with a fragment', { redirectUri: 'http://localhost:5173/callback#done' }, 'invalid_redirect_uri'],
    ['redirectUri with an empty fragment', { redirectUri: 'http://localhost:5173/callback#' }, 'invalid_redirect_uri'],
  ])('refuses %s', (_, changes, code) => {
    const error = thrownBy(changes);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code });
  });

  it('keeps a redirectUri with a query as given', () => {
    const { auth } = create({ redirectUri: 'http://localhost:5173/callback?from=login' });
    expect(auth.config.redirectUri).toBe('http://localhost:5173/callback?from=login');
  });
});

describe('scopes (RFC 6749 §3.3)', () => {
  it.each([
    ['not an array', 'studio', 'invalid_scopes'],
    ['an object', { studio: true }, 'invalid_scopes'],
    ['empty', [], 'invalid_scopes'],
    ['a scope with a space', ['studio audit.log:read'], 'invalid_scopes'],
    ['a scope with a tab', ['studio\t'], 'invalid_scopes'],
    ['a scope with a double quote', ['"studio"'], 'invalid_scopes'],
    ['a scope with a backslash', ['studio\\read'], 'invalid_scopes'],
    ['a non-ASCII scope', ['stüdio'], 'invalid_scopes'],
    ['an empty scope', ['studio', ''], 'invalid_scopes'],
    ['a scope that is not a string', [42], 'invalid_scopes'],
    ['a duplicate', ['studio', 'audit.log:read', 'studio'], 'invalid_scopes'],
  ])('refuses scopes that are %s', (_, scopes, code) => {
    const error = thrownBy({ scopes });
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code });
  });

  it('treats scopes as exact, case-sensitive strings: Studio and studio are two scopes', () => {
    const { auth } = create({ scopes: ['Studio', 'studio'] });
    expect(auth.config.scopes).toEqual(['Studio', 'studio']);
  });

  it('accepts every printable ASCII character the grammar allows, and custom scopes', () => {
    const odd = "!#$%&'()*+,-./:;<=>?@[]^_`{|}~";
    const { auth } = create({ scopes: [odd, 'my-team.custom:write'] });
    expect(auth.config.scopes).toEqual([odd, 'my-team.custom:write']);
  });

  it('accepts all 16 scopes of the Celonis page (the 15 of its table and studio)', () => {
    const scopes = Object.keys(CELONIS_SCOPES);
    expect(scopes).toHaveLength(16);
    expect(create({ scopes }).auth.config.scopes).toEqual(scopes);
  });

  it('keeps its own frozen copy of the scopes', () => {
    const scopes = ['studio'];
    const { auth } = create({ scopes });
    scopes.push('audit.log:read');
    expect(auth.config.scopes).toEqual(['studio']);
    expect(Object.isFrozen(auth.config.scopes)).toBe(true);
  });
});

describe('storage, refresh leeway, client authentication and endpoints', () => {
  it.each([
    ['storage an unknown name', { storage: 'cookie' }, 'invalid_storage'],
    ['storage an empty object', { storage: {} }, 'invalid_storage'],
    ['storage without removeItem', { storage: { getItem: () => null, setItem: () => undefined } }, 'invalid_storage'],
    ['storage a number', { storage: 1 }, 'invalid_storage'],
    ['refreshLeewaySeconds negative', { refreshLeewaySeconds: -1 }, 'invalid_refresh_leeway'],
    ['refreshLeewaySeconds NaN', { refreshLeewaySeconds: Number.NaN }, 'invalid_refresh_leeway'],
    ['refreshLeewaySeconds Infinity', { refreshLeewaySeconds: Number.POSITIVE_INFINITY }, 'invalid_refresh_leeway'],
    ['refreshLeewaySeconds huge', { refreshLeewaySeconds: 1e9 }, 'invalid_refresh_leeway'],
    ['refreshLeewaySeconds a string', { refreshLeewaySeconds: '60' }, 'invalid_refresh_leeway'],
    ['clientAuthentication unknown', { clientAuthentication: 'private_key_jwt' }, 'invalid_client_authentication'],
    ['clientAuthentication none', { clientAuthentication: 'none' }, 'invalid_client_authentication'],
    ['clientSecret empty', { clientSecret: '' }, 'invalid_client_secret'],
    ['clientSecret not a string', { clientSecret: 123 }, 'invalid_client_secret'],
    ['tokenEndpoint on http', { endpoints: { tokenEndpoint: 'http://relay.example/token' } }, 'invalid_endpoint'],
    ['authorizationEndpoint on http', { endpoints: { authorizationEndpoint: 'http://login.example/authorize' } }, 'invalid_endpoint'],
    ['tokenEndpoint relative without a leading slash', { endpoints: { tokenEndpoint: 'api/token' } }, 'invalid_endpoint'],
    ['tokenEndpoint protocol-relative', { endpoints: { tokenEndpoint: '//relay.example/token' } }, 'invalid_endpoint'],
    ['apiBaseUrl on http', { apiBaseUrl: 'http://portal.example/celonis' }, 'invalid_api_base_url'],
    ['apiBaseUrl with a query', { apiBaseUrl: 'https://portal.example/celonis?x=1' }, 'invalid_api_base_url'],
    ['apiBaseUrl with a fragment', { apiBaseUrl: 'https://portal.example/celonis#' }, 'invalid_api_base_url'],
    ['apiBaseUrl no URL', { apiBaseUrl: 'celonis' }, 'invalid_api_base_url'],
    ['apiBaseUrl not a string', { apiBaseUrl: 42 }, 'invalid_api_base_url'],
    ['an apiOrigin on http', { apiOrigins: ['http://api.example'] }, 'invalid_api_origin'],
    ["a clientId with ':' for client_secret_basic (it could not be split back)", { clientId: 'my:portal', clientSecret: 's3cret' }, 'invalid_client_id'],
    ['an issuer on http', { issuer: 'http://login.example' }, 'invalid_issuer'],
    ['an issuer that is no URL', { issuer: 'acme' }, 'invalid_issuer'],
    ['requireIssuer not a boolean', { requireIssuer: 'yes' }, 'invalid_issuer'],
  ])('refuses %s', (_, changes, code) => {
    const error = thrownBy(changes);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code });
  });

  it('refuses a config that is not an object', () => {
    expect(() => createCelonisAuth(null as unknown as CelonisAuthConfig)).toThrow(expect.objectContaining({ name: 'CodedTypeError', code: 'invalid_config' }));
  });

  it.each([
    ['storage', 'session'],
    ['refreshLeewaySeconds', 60],
    ['clientAuthentication', 'client_secret_basic'],
    ['clientSecret', undefined],
  ] as const)('defaults %s to %s', (field, value) => {
    const { auth } = create({ storage: undefined });
    expect(auth.config[field]).toBe(value);
  });

  it.each([0, 3600])('accepts a refresh leeway of %s seconds', (refreshLeewaySeconds) => {
    expect(create({ refreshLeewaySeconds }).auth.config.refreshLeewaySeconds).toBe(refreshLeewaySeconds);
  });

  it.each([
    ['a token relay on https', { tokenEndpoint: 'https://portal.example/api/celonis-token' }, 'https://portal.example/api/celonis-token'],
    ['a token relay on loopback http', { tokenEndpoint: 'http://localhost:3000/token' }, 'http://localhost:3000/token'],
  ])('uses %s as token endpoint, and the team authorize endpoint', (_, endpoints, tokenEndpoint) => {
    const { auth } = create({ endpoints });
    expect(auth.config.tokenEndpoint).toBe(tokenEndpoint);
    expect(auth.config.authorizationEndpoint).toBe(`${TEAM}/oauth2/authorize`);
  });

  it("accepts a clientId with ':' for client_secret_post", () => {
    expect(create({ clientId: 'my:portal', clientSecret: 's3cret', clientAuthentication: 'client_secret_post' }).auth.config.clientId).toBe('my:portal');
  });

  it('defaults the issuer to the team URL and requires no iss', () => {
    expect(create().auth.config).toMatchObject({ issuer: TEAM, requireIssuer: false });
    expect(create({ issuer: 'https://login.acme.example/', requireIssuer: true }).auth.config).toMatchObject({
      issuer: 'https://login.acme.example',
      requireIssuer: true,
    });
  });

  it('sends the token to the team origin and the configured apiOrigins only', () => {
    const { auth } = create({ apiOrigins: ['https://api.example/some/path'] });
    expect(auth.config.tokenOrigins).toEqual([TEAM, 'https://api.example']);
  });
});

describe('client secrets', () => {
  const confidential: CelonisAuthConfig = { ...base, clientSecret: 's3cret' };

  it('refuses a client secret in a browser without the loudly named opt-in', () => {
    expect(() => resolveConfig(confidential, true)).toThrow(
      expect.objectContaining({ code: 'client_secret_in_browser', message: expect.stringContaining('dangerouslyAllowClientSecretInBrowser') }),
    );
  });

  it('accepts a client secret in a browser with the opt-in, and outside a browser', () => {
    expect(resolveConfig({ ...confidential, dangerouslyAllowClientSecretInBrowser: true }, true).clientSecret).toBe('s3cret');
    expect(resolveConfig(confidential, false).clientSecret).toBe('s3cret');
  });

  it('never puts the secret into the error message', () => {
    expect(() => resolveConfig(confidential, true)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
  });
});

describe('teamEndpoints()', () => {
  it.each([
    [TEAM, TEAM],
    [`${TEAM}/`, TEAM],
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
    ['http://localhost:8787/', 'http://localhost:8787'],
  ])('derives the endpoints of %s', (teamUrl, origin) => {
    expect(teamEndpoints(teamUrl)).toEqual({
      teamUrl: origin,
      authorizationEndpoint: `${origin}/oauth2/authorize`,
      tokenEndpoint: `${origin}/oauth2/token`,
    });
  });

  it.each(['http://acme.eu-1.celonis.cloud', `${TEAM}/oauth2`, 'acme', ''])('throws a TypeError for %j', (teamUrl) => {
    expect(() => teamEndpoints(teamUrl)).toThrow(expect.objectContaining({ name: 'CodedTypeError', code: 'invalid_team_url' }));
  });

  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['[::1]', true],
    ['localhost.example', false],
    ['128.0.0.1', false],
    ['127.0.0.1.nip.io', false],
    ['[::2]', false],
  ])('isLoopbackHost(%j) is %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('plain Node', () => {
  it('has no DOM globals here, so these tests prove the core needs none', () => {
    expect(typeof document).toBe('undefined');
    expect(typeof window).toBe('undefined');
    expect(typeof (globalThis as { location?: unknown }).location).toBe('undefined');
  });

  it('constructs a client without starting timers, sending requests, navigating or touching storage', () => {
    expect(typeof document).toBe('undefined');
    const { auth, timers, requests, page, warnings } = create();
    expect(timers.pending()).toEqual([]);
    expect(requests).toEqual([]);
    expect(page.navigations).toEqual([]);
    expect(page.replaced).toEqual([]);
    expect(warnings).toEqual([]);
    expect(auth.store.getState()).toEqual({ status: 'signedOut', accessToken: null, scopes: [], expiresAt: null, error: null });
  });

  it('constructs with the default platform access, quietly in memory where the platform has no sessionStorage (server rendering)', () => {
    const warnings: string[] = [];
    const auth = createCelonisAuth({ ...base, storage: undefined, deps: { warn: (m) => void warnings.push(m) } });
    expect(warnings).toEqual([]);
    expect(auth.store.getState().status).toBe('signedOut');
    expect(auth.isRedirectCallback()).toBe(false);
    expect(auth.hasScopes(['studio'])).toBe(false);
  });

  it('stays quiet without a page even when the platform has a storage that does not work (Node 25 without --localstorage-file)', () => {
    const warnings: string[] = [];
    const halfThere = {} as Storage;
    const auth = createCelonisAuth({ ...base, storage: 'local', deps: { localStorage: halfThere, warn: (m) => void warnings.push(m) } });
    expect(warnings).toEqual([]);
    expect(auth.store.getState().status).toBe('signedOut');
  });

  it('warns when a page has no sessionStorage at all (a browser that hides it), and keeps the session in memory', () => {
    const warnings: string[] = [];
    const page = { sessionStorage: undefined, currentUrl: () => 'https://portal.example/', warn: (m: string) => void warnings.push(m) };
    const auth = createCelonisAuth({ ...base, storage: 'session', deps: page });
    expect(warnings).toEqual(['session storage is unavailable; keeping the session in memory for this page only']);
    expect(auth.store.getState().status).toBe('signedOut');
  });

  it('warns when the page has a sessionStorage that refuses access (storage blocked), and keeps the session in memory', () => {
    const warnings: string[] = [];
    const blocked = (): never => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    const sessionStorage = { getItem: blocked, setItem: blocked, removeItem: blocked };
    const deps = { sessionStorage, currentUrl: () => 'https://portal.example/', warn: (m: string) => void warnings.push(m) };
    const auth = createCelonisAuth({ ...base, storage: 'session', deps });
    expect(warnings).toEqual(['session storage is unavailable; keeping the session in memory for this page only']);
    expect(auth.store.getState().status).toBe('signedOut');
  });

  it('starts and stops without leaving a timer behind when signed out', () => {
    const { auth, timers } = create();
    const stop = auth.start();
    stop();
    expect(timers.pending()).toEqual([]);
  });
});
