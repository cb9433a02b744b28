import { startEmulator, type EmulatorFault, type RunningEmulator } from '@celonis-auth/emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { basicCredentials } from '@celonis-auth/core/protocol';
import { createTokenRelay, type TokenRelay, type TokenRelayOptions } from '../index.js';
import {
  authorizationCode,
  browserRequest,
  checkedJson,
  CODE_VERIFIER,
  expectOAuthError,
  KM_SCOPE,
  PORTAL_FORMS,
  PORTAL_SECRET,
  REDIRECT_URI,
  SPA_ORIGIN,
} from './relaySupport.js';
import { captureLogger, expectCodedTypeError, expectNoSecret, freePort, leakForms, responseText } from './testSupport.js';

const RELAY_URL = 'http://relay.local/api/celonis/token';

let emulator: RunningEmulator;
const log = captureLogger();
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());
afterEach(() => {
  for (const line of log.lines) expectNoSecret(line, PORTAL_FORMS);
  log.lines.length = 0;
});

function portalRelay(overrides: Partial<TokenRelayOptions> = {}): TokenRelay {
  return createTokenRelay({
    teamUrl: emulator.url,
    clientId: 'portal',
    clientSecret: PORTAL_SECRET,
    allowedOrigins: [SPA_ORIGIN],
    ...overrides,
    deps: { logger: log.logger, ...overrides.deps },
  });
}

const codeGrant = (code: string) => ({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: 'portal', code_verifier: CODE_VERIFIER });
const tokenRequests = () => emulator.requests('token');

describe('forwarding', () => {
  it.each([
    ['client_secret_basic', 'urlencoded'],
    ['client_secret_basic', 'multipart'],
    ['client_secret_post', 'urlencoded'],
    ['client_secret_post', 'multipart'],
  ] as const)('exchanges a code and refreshes with %s upstream and a %s upstream body', async (authentication, bodyEncoding) => {
    const relay = portalRelay({ authentication, bodyEncoding });
    const exchanged = await relay(browserRequest(RELAY_URL, codeGrant(authorizationCode(emulator))));
    const tokens = await checkedJson(exchanged);
    expect(exchanged.status).toBe(200);
    expect(tokens).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), token_type: 'Bearer', scope: KM_SCOPE });
    expect(exchanged.headers.get('cache-control')).toBe('no-store');
    expect(exchanged.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
    expect(exchanged.headers.get('vary')).toBe('Origin');

    const refreshed = await relay(browserRequest(RELAY_URL, { grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) }));
    expect(refreshed.status).toBe(200);
    expect(await checkedJson(refreshed)).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String) });

    expect(tokenRequests()).toEqual([
      expect.objectContaining({ grantType: 'authorization_code', clientAuth: authentication, bodyEncoding, clientId: 'portal', status: 200 }),
      expect.objectContaining({ grantType: 'refresh_token', clientAuth: authentication, bodyEncoding, clientId: 'portal', status: 200 }),
    ]);
  });

  it('accepts a multipart browser body and one without client_id', async () => {
    const { client_id: _omitted, ...params } = codeGrant(authorizationCode(emulator));
    const response = await portalRelay()(browserRequest(RELAY_URL, params, { encoding: 'multipart' }));
    expect(response.status).toBe(200);
  });

  it('reads a secret function on every request (rotation without restart)', async () => {
    let current = 'portal-old-secret';
    const relay = portalRelay({ clientSecret: () => current });
    await expectOAuthError(await relay(browserRequest(RELAY_URL, codeGrant(authorizationCode(emulator)))), 401, 'invalid_client');
    current = PORTAL_SECRET;
    expect((await relay(browserRequest(RELAY_URL, codeGrant(authorizationCode(emulator))))).status).toBe(200);
  });

  it('serves callers without an Origin only when allowRequestsWithoutOrigin is set', async () => {
    const request = () => browserRequest(RELAY_URL, codeGrant(authorizationCode(emulator)), { origin: null });
    await expectOAuthError(await portalRelay()(request()), 403, 'invalid_request');
    const response = await portalRelay({ allowRequestsWithoutOrigin: true })(request());
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('origins and CORS', () => {
  it('answers a preflight from an allowed origin', async () => {
    const response = await portalRelay()(
      browserRequest(
        RELAY_URL,
        {},
        { method: 'OPTIONS', headers: { 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } },
      ),
    );
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'access-control-allow-origin': SPA_ORIGIN,
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'Content-Type',
      vary: 'Origin',
    });
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it.each([
    ['no Origin', null],
    ['another site', 'https://evil.example'],
    ['another port', 'http://localhost:5174'],
    ['another scheme', 'https://localhost:5173'],
    ['an opaque origin', 'null'],
  ])('refuses %s with 403 and no CORS grant, for POST and preflight alike', async (_name, origin) => {
    for (const method of ['POST', 'OPTIONS']) {
      const response = await portalRelay()(browserRequest(RELAY_URL, codeGrant('any'), { origin, method }));
      const body = await expectOAuthError(response, 403, 'invalid_request');
      expect(body.error_description).toBe('origin not allowed');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
    expect(tokenRequests()).toHaveLength(0);
  });
});

describe('refused requests', () => {
  const big = 'x'.repeat(17_000);
  it.each([
    { name: 'GET', request: () => browserRequest(RELAY_URL, {}, { method: 'GET' }), status: 405, error: 'invalid_request' },
    {
      name: 'the client_credentials grant',
      request: () => browserRequest(RELAY_URL, { grant_type: 'client_credentials', scope: KM_SCOPE }),
      status: 400,
      error: 'unsupported_grant_type',
    },
    {
      name: 'the password grant',
      request: () => browserRequest(RELAY_URL, { grant_type: 'password', username: 'a', password: 'b' }),
      status: 400,
      error: 'unsupported_grant_type',
    },
    { name: 'no grant_type', request: () => browserRequest(RELAY_URL, { code: 'abc' }), status: 400, error: 'invalid_request' },
    {
      name: 'a client_secret from the browser',
      request: () => browserRequest(RELAY_URL, { ...codeGrant('abc'), client_secret: 'guess' }),
      status: 400,
      error: 'invalid_request',
    },
    {
      name: 'an empty client_secret',
      request: () => browserRequest(RELAY_URL, [...Object.entries(codeGrant('abc')), ['client_secret', '']]),
      status: 400,
      error: 'invalid_request',
    },
    {
      name: 'a client_assertion',
      request: () => browserRequest(RELAY_URL, { ...codeGrant('abc'), client_assertion: 'eyJ' }),
      status: 400,
      error: 'invalid_request',
    },
    {
      name: 'an Authorization header',
      request: () => browserRequest(RELAY_URL, codeGrant('abc'), { headers: { Authorization: 'Basic cG9ydGFsOmd1ZXNz' } }),
      status: 400,
      error: 'invalid_request',
    },
    { name: 'another client_id', request: () => browserRequest(RELAY_URL, { ...codeGrant('abc'), client_id: 'm2m' }), status: 400, error: 'invalid_request' },
    {
      name: 'a JSON body',
      request: () => browserRequest(RELAY_URL, codeGrant('abc'), { headers: { 'Content-Type': 'application/json' } }),
      status: 400,
      error: 'invalid_request',
    },
    {
      name: 'a repeated parameter',
      request: () => browserRequest(RELAY_URL, [...Object.entries(codeGrant('abc')), ['code', 'def']]),
      status: 400,
      error: 'invalid_request',
    },
    { name: 'a body over 16 KB', request: () => browserRequest(RELAY_URL, { ...codeGrant('abc'), state: big }), status: 413, error: 'invalid_request' },
    { name: 'a streamed body over 16 KB', request: () => streamedRequest(`grant_type=authorization_code&code=${big}`), status: 413, error: 'invalid_request' },
    {
      name: 'a code exchange without code_verifier',
      request: () => browserRequest(RELAY_URL, withoutVerifier(codeGrant(authorizationCode(emulator)))),
      status: 400,
      error: 'invalid_request',
    },
    {
      name: 'a code exchange with an empty code_verifier',
      request: () => browserRequest(RELAY_URL, { ...codeGrant(authorizationCode(emulator)), code_verifier: '' }),
      status: 400,
      error: 'invalid_request',
    },
    {
      name: 'a code issued without PKCE, which the confidential client could redeem',
      request: () => browserRequest(RELAY_URL, withoutVerifier(codeGrant(codeWithoutPkce()))),
      status: 400,
      error: 'invalid_request',
    },
  ])('refuses $name with $status $error, without calling upstream', async ({ request, status, error }) => {
    const response = await portalRelay()(request());
    await expectOAuthError(response, status, error);
    expect(response.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
    expect(tokenRequests()).toHaveLength(0);
  });

  it('says why a code exchange without PKCE is refused', async () => {
    const body = await expectOAuthError(await portalRelay()(browserRequest(RELAY_URL, withoutVerifier(codeGrant(codeWithoutPkce())))), 400, 'invalid_request');
    expect(body.error_description).toMatch(/code_verifier is required/);
  });

  it('names POST in Allow when refusing another method', async () => {
    const response = await portalRelay()(browserRequest(RELAY_URL, {}, { method: 'GET' }));
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
  });
});

describe('upstream answers', () => {
  it('passes an OAuth error through unchanged', async () => {
    const response = await portalRelay()(browserRequest(RELAY_URL, codeGrant('not-a-code')));
    expect(await expectOAuthError(response, 400, 'invalid_grant')).toEqual({
      error: 'invalid_grant',
      error_description: 'code refused: the grant is not known',
    });
    expect(response.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
  });

  it.each([
    [503, 7],
    [429, 30],
  ])('passes a %i with Retry-After %i through, without retrying', async (status, retryAfterSeconds) => {
    const body = { error: 'temporarily_unavailable', error_description: 'maintenance' };
    emulator.injectFault({ endpoint: 'token', fault: { kind: 'status', status, body, retryAfterSeconds }, count: 2 });
    const response = await portalRelay()(browserRequest(RELAY_URL, codeGrant(authorizationCode(emulator))));
    expect(await expectOAuthError(response, status, 'temporarily_unavailable')).toEqual(body);
    expect(response.headers.get('retry-after')).toBe(String(retryAfterSeconds));
    expect(response.headers.get('access-control-expose-headers')).toBe('Retry-After');
    expect(tokenRequests()).toHaveLength(1);
  });

  it('passes invalid_client through without the Basic challenge, and tells the operator', async () => {
    const relay = portalRelay({ clientSecret: 'portal-wrong-secret' });
    const response = await relay(browserRequest(RELAY_URL, codeGrant(authorizationCode(emulator))));
    await expectOAuthError(response, 401, 'invalid_client');
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(log.lines).toEqual([expect.stringMatching(/invalid_client.*check clientId and clientSecret/)]);
    expectNoSecret(log.lines.join('\n'), [...PORTAL_FORMS, 'portal-wrong-secret']);
  });

  it.each([
    ['a dropped connection', () => emulator.injectFault({ endpoint: 'token', fault: { kind: 'drop' } }), () => emulator.url],
    ['nothing listening', () => undefined, async () => `http://127.0.0.1:${await freePort()}`],
  ])('answers 502 server_error for %s', async (_name, arrange, teamUrl) => {
    arrange();
    const relay = portalRelay({ teamUrl: await teamUrl() });
    const body = await expectOAuthError(await relay(browserRequest(RELAY_URL, codeGrant('abc'))), 502, 'server_error');
    expect(body).toEqual({ error: 'server_error', error_description: 'the authorization server could not be reached' });
    expect(log.lines).toEqual([expect.stringMatching(/could not be reached/)]);
  });

  const token = { access_token: 'relayed-token', token_type: 'Bearer', refresh_token: 'relayed-refresh' };
  it.each([
    ['without expires_in (the browser core applies its default)', token],
    ['with expires_in as a numeric string', { ...token, expires_in: '3600' }],
  ])('passes a 200 %s through unchanged', async (_name, body) => {
    emulator.injectFault({ endpoint: 'token', fault: { kind: 'status', status: 200, body } });
    const response = await portalRelay()(browserRequest(RELAY_URL, { grant_type: 'refresh_token', refresh_token: 'r' }));
    expect(response.status).toBe(200);
    expect(await checkedJson(response)).toEqual(body);
    expect(log.lines).toEqual([]);
  });

  it.each([
    ['a text/plain 200 whose body is a token response', { kind: 'status', status: 200, body: JSON.stringify({ ...token, expires_in: 899 }) }, /not JSON/],
    ['a 200 that is not JSON', { kind: 'malformed-json' }, /not JSON/],
    ['a 200 without access_token', { kind: 'status', status: 200, body: { token_type: 'Bearer', expires_in: 899 } }, /no access_token/],
    [
      'a 200 with an access_token over 8192 characters',
      { kind: 'status', status: 200, body: { ...token, access_token: 'x'.repeat(8193) } },
      /access_token an Authorization header cannot carry, or one too long/,
    ],
    ['a 200 with a negative expires_in', { kind: 'status', status: 200, body: { ...token, expires_in: -1 } }, /expires_in/],
    ['a 204', { kind: 'status', status: 204 }, /not JSON/],
  ] satisfies [string, EmulatorFault, RegExp][])('answers 502 server_error to %s, never its body', async (_name, fault, logged) => {
    emulator.injectFault({ endpoint: 'token', fault });
    const response = await portalRelay()(browserRequest(RELAY_URL, { grant_type: 'refresh_token', refresh_token: 'r' }));
    const text = await responseText(response);
    expect(await expectOAuthError(response, 502, 'server_error')).toEqual({
      error: 'server_error',
      error_description: 'the authorization server answered unusably',
    });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(text).not.toContain('relayed-token');
    expect(log.lines).toEqual([expect.stringMatching(logged)]);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('never forwards an upstream body that quotes the secret', async () => {
    emulator.injectFault({
      endpoint: 'token',
      fault: { kind: 'status', status: 400, body: { error: 'invalid_request', error_description: `got client_secret=${PORTAL_SECRET}` } },
    });
    const response = await portalRelay({ authentication: 'client_secret_post' })(browserRequest(RELAY_URL, codeGrant('abc')));
    await expectOAuthError(response, 502, 'server_error');
    expect(log.lines).toEqual([expect.stringMatching(/contained the client secret/)]);
  });

  // A secret with characters JSON may escape; the emulator answers these faults before authenticating the client.
  const ODD_SECRET = 'pa"ss/wo+rd';
  const escapedEchoes: { name: string; fault: EmulatorFault }[] = [
    { name: 'a quote escaped as \\"', fault: { kind: 'status', status: 400, body: { error: 'invalid_request', error_description: `got ${ODD_SECRET}` } } },
    { name: 'a slash escaped as \\/', fault: { kind: 'status', status: 400, body: '{"error":"invalid_request","error_description":"got pa\\"ss\\/wo+rd"}' } },
    {
      name: 'a plus escaped as \\u002b',
      fault: { kind: 'status', status: 400, body: '{"error":"invalid_request","error_description":"got pa\\"ss/wo\\u002brd"}' },
    },
    {
      name: 'every character escaped as \\uXXXX',
      fault: { kind: 'status', status: 400, body: `{"error":"invalid_request","error_description":"${unicodeEscaped(ODD_SECRET)}"}` },
    },
    {
      name: 'the Basic credentials escaped as \\uXXXX',
      fault: {
        kind: 'status',
        status: 401,
        body: `{"error":"invalid_client","error_description":"${unicodeEscaped(basicCredentials('portal', ODD_SECRET))}"}`,
      },
    },
    {
      name: 'a value deep in arrays and objects',
      fault: { kind: 'status', status: 400, body: { error: 'invalid_request', details: [{ echo: [{ value: `x${ODD_SECRET}x` }] }] } },
    },
    { name: 'an object key', fault: { kind: 'status', status: 200, body: { access_token: 'a', token_type: 'Bearer', expires_in: 899, [ODD_SECRET]: true } } },
  ];

  it.each(escapedEchoes)('never forwards an upstream JSON body that echoes the secret with $name', async ({ fault }) => {
    emulator.injectFault({ endpoint: 'token', fault });
    const response = await portalRelay({ clientSecret: ODD_SECRET, authentication: 'client_secret_post' })(browserRequest(RELAY_URL, codeGrant('abc')));
    const text = await responseText(response);
    await expectOAuthError(response, 502, 'server_error');
    expectNoSecret(text, leakForms('portal', ODD_SECRET));
    expect(tokenRequests()).toHaveLength(1);
    expect(log.lines).toEqual([expect.stringMatching(/contained the client secret/)]);
  });

  it('never forwards an upstream Content-Type that echoes the secret', async () => {
    const fetch = async (): Promise<Response> =>
      new Response('{"error":"invalid_request"}', { status: 400, headers: { 'Content-Type': `application/json; echo=${PORTAL_SECRET}` } });
    const response = await portalRelay({ deps: { fetch } })(browserRequest(RELAY_URL, codeGrant('abc')));
    await expectOAuthError(response, 502, 'server_error');
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it('redacts the secret from a network failure it logs', async () => {
    const fetch = async (): Promise<Response> => {
      throw new TypeError(`refused client_secret=${PORTAL_SECRET}`);
    };
    const response = await portalRelay({ deps: { fetch } })(browserRequest(RELAY_URL, codeGrant('abc')));
    await expectOAuthError(response, 502, 'server_error');
    expect(log.lines).toHaveLength(1);
  });
});

describe('options', () => {
  const valid: TokenRelayOptions = { teamUrl: 'http://127.0.0.1:8787', clientId: 'portal', clientSecret: PORTAL_SECRET, allowedOrigins: [SPA_ORIGIN] };
  it.each([
    ['a wildcard origin', { allowedOrigins: ['*'] }, /allowedOrigins\[0\] "\*" must be an exact origin/, 'invalid_allowed_origins'],
    ['an origin with a trailing slash', { allowedOrigins: ['http://localhost:5173/'] }, /exact origin/, 'invalid_allowed_origins'],
    ['an origin with a path', { allowedOrigins: ['http://localhost:5173/app'] }, /exact origin/, 'invalid_allowed_origins'],
    ['origins as a string', { allowedOrigins: SPA_ORIGIN }, /must be an array/, 'invalid_allowed_origins'],
    ['no origins at all', { allowedOrigins: [] }, /allowedOrigins is empty/, 'invalid_allowed_origins'],
    ['a non-boolean allowRequestsWithoutOrigin', { allowRequestsWithoutOrigin: 'yes' }, /allowRequestsWithoutOrigin/, 'invalid_option'],
    ['a tiny body limit', { maxBodyBytes: 10 }, /maxBodyBytes/, 'invalid_option'],
    ['a zero body timeout', { bodyTimeoutMs: 0 }, /bodyTimeoutMs/, 'invalid_option'],
    ['a missing secret', { clientSecret: undefined }, /clientSecret is required/, 'invalid_client_secret'],
    ['an unknown authentication', { authentication: 'none' }, /authentication must be one of/, 'invalid_client_authentication'],
    ['an http team URL off loopback', { teamUrl: 'http://acme.eu-1.celonis.cloud' }, /must use https/, 'invalid_team_url'],
  ] as const)('refuses %s with a TypeError', (_name, override, message, code) => {
    const create = () => createTokenRelay({ ...valid, ...(override as object) });
    expect(create).toThrow(message);
    expectCodedTypeError(create, code);
  });

  it('allows an empty origin list for server-side callers only', () => {
    expect(() => createTokenRelay({ ...valid, allowedOrigins: [], allowRequestsWithoutOrigin: true })).not.toThrow();
  });
});

/** `text` with every character written as a JSON `\uXXXX` escape. */
function unicodeEscaped(text: string): string {
  return [...text].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
}

/** A code grant's fields without `code_verifier`. */
function withoutVerifier(grant: ReturnType<typeof codeGrant>): Record<string, string> {
  const { code_verifier: _omitted, ...rest } = grant;
  return rest;
}

/** A code for the confidential `portal` client issued without a PKCE challenge, which the emulator lets it redeem without a verifier. */
function codeWithoutPkce(): string {
  const url = new URL(`${emulator.url}/oauth2/authorize`);
  url.search = new URLSearchParams({ response_type: 'code', client_id: 'portal', redirect_uri: REDIRECT_URI, scope: KM_SCOPE, state: 'no-pkce' }).toString();
  const code = new URL(emulator.approve(url)).searchParams.get('code');
  if (!code) throw new Error('the emulator issued no code');
  return code;
}

/** A POST whose body arrives as a stream without Content-Length (chunked). */
function streamedRequest(text: string): Request {
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 1024) controller.enqueue(bytes.slice(i, i + 1024));
      controller.close();
    },
  });
  const init: RequestInit & { duplex: 'half' } = {
    method: 'POST',
    headers: { Origin: SPA_ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
    duplex: 'half',
  };
  return new Request(RELAY_URL, init);
}
