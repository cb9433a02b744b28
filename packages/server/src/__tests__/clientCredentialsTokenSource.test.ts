import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isCelonisAuthError, type CelonisAuthErrorCode } from '@celonis-auth/core/protocol';
import { startEmulator, type EmulatorFault, type RunningEmulator } from '@celonis-auth/emulator';
import { rejection as rejectionOf } from '@celonis-auth/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MIN_TOKEN_REUSE_MS } from '../clientCredentialsTokenSource.js';
import { createClientCredentialsTokenSource, DEFAULT_EXPIRES_IN_SECONDS, type ClientCredentialsTokenSourceOptions } from '../index.js';
import { captureLogger, expectCodedTypeError, expectNoSecret, freePort, leakForms, recordingSleep } from './testSupport.js';

const SECRET = 'm2m-secret';
const FORMS = leakForms('m2m', SECRET);
const KM_SCOPE = 'intelligence.knowledge-models:read';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

/** Options for the seeded `m2m` client, with logs captured and retries made instant. */
function m2m(overrides: Partial<ClientCredentialsTokenSourceOptions> = {}) {
  const log = captureLogger();
  const sleep = recordingSleep();
  const options: ClientCredentialsTokenSourceOptions = {
    teamUrl: emulator.url,
    clientId: 'm2m',
    clientSecret: SECRET,
    scopes: [KM_SCOPE],
    ...overrides,
    deps: { logger: log.logger, sleep: sleep.sleep, random: () => 0.5, ...overrides.deps },
  };
  return { source: createClientCredentialsTokenSource(options), lines: log.lines, delays: sleep.delays };
}

const tokenRequests = () => emulator.requests('token');
const inject = (fault: EmulatorFault, count = 1) => emulator.injectFault({ endpoint: 'token', fault, count });

describe('the client-credentials grant', () => {
  it.each([
    ['client_secret_basic', 'urlencoded'],
    ['client_secret_basic', 'multipart'],
    ['client_secret_post', 'urlencoded'],
    ['client_secret_post', 'multipart'],
  ] as const)('works with %s and a %s body, and the token opens a sample API', async (authentication, bodyEncoding) => {
    const { source } = m2m({ authentication, bodyEncoding });
    const token = await source.getAccessToken();

    expect(tokenRequests()).toEqual([
      expect.objectContaining({ grantType: 'client_credentials', clientAuth: authentication, bodyEncoding, clientId: 'm2m', status: 200 }),
    ]);
    const api = await fetch(`${emulator.url}/intelligence/api/knowledge-models`, { headers: { Authorization: `Bearer ${token}` } });
    expect(api.status).toBe(200);
    expect(((await api.json()) as { content: unknown[] }).content).toHaveLength(3);
  });

  it('defaults to client_secret_basic with a urlencoded body', async () => {
    await m2m().source.getAccessToken();
    expect(tokenRequests()[0]).toMatchObject({ clientAuth: 'client_secret_basic', bodyEncoding: 'urlencoded' });
  });

  it('reports the granted scopes, expiry and type', async () => {
    const before = Date.now();
    const token = await m2m({ scopes: [KM_SCOPE, 'audit.log:read'] }).source.getToken();
    expect(token).toMatchObject({ scopes: [KM_SCOPE, 'audit.log:read'], tokenType: 'Bearer' });
    expect(token.expiresAt).toBeGreaterThanOrEqual(before + 899_000);
    expect(token.expiresAt).toBeLessThanOrEqual(Date.now() + 899_000);
  });

  it('sends no scope parameter when none is configured, and takes the granted ones from the response', async () => {
    const token = await m2m({ scopes: [] }).source.getToken();
    expect(token.scopes).toEqual(emulator.config.clients.find((c) => c.clientId === 'm2m')?.scopes);
  });
});

describe('caching and single flight', () => {
  it('serves the cached token until it is due', async () => {
    const { source } = m2m();
    const first = await source.getAccessToken();
    expect(await source.getAccessToken()).toBe(first);
    expect(await source.getAccessToken()).toBe(first);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('fetches a new token once within the refresh leeway of expiry', async () => {
    let now = Date.now();
    const { source } = m2m({ refreshLeewaySeconds: 120, deps: { now: () => now } });
    const first = await source.getToken();

    now = first.expiresAt - 121_000;
    expect(await source.getToken()).toBe(first);
    expect(tokenRequests()).toHaveLength(1);

    now = first.expiresAt - 119_000;
    const second = await source.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(tokenRequests()).toHaveLength(2);
  });

  it.each([0, 1, 4, 8])(
    'reuses a token with expires_in %i for MIN_TOKEN_REUSE_MS: 100 concurrent and 100 sequential calls send one request',
    async (lifetime) => {
      const shortLived = await startEmulator({ config: { accessTokenLifetimeSeconds: lifetime } });
      try {
        let now = Date.now();
        const received = now;
        const source = createClientCredentialsTokenSource({ teamUrl: shortLived.url, clientId: 'm2m', clientSecret: SECRET, deps: { now: () => now } });
        const concurrent = await Promise.all(Array.from({ length: 100 }, () => source.getAccessToken()));
        expect(new Set(concurrent).size).toBe(1);
        for (let i = 0; i < 100; i++) expect(await source.getAccessToken()).toBe(concurrent[0]);
        now = received + MIN_TOKEN_REUSE_MS - 1;
        expect(await source.getAccessToken()).toBe(concurrent[0]);
        expect(shortLived.requests('token')).toHaveLength(1);

        // After the floor, one new request, single-flight again.
        now = received + MIN_TOKEN_REUSE_MS;
        const next = await Promise.all(Array.from({ length: 100 }, () => source.getAccessToken()));
        expect(new Set(next).size).toBe(1);
        expect(next[0]).not.toBe(concurrent[0]);
        expect(shortLived.requests('token')).toHaveLength(2);

        // invalidate() (say, after an API's 401) is not held back by the floor.
        source.invalidate();
        expect(await source.getAccessToken()).not.toBe(next[0]);
        expect(shortLived.requests('token')).toHaveLength(3);
      } finally {
        await shortLived.close();
      }
    },
  );

  it('keeps the usual refresh time of a token that lives longer than twice the floor', async () => {
    const twelveSeconds = await startEmulator({ config: { accessTokenLifetimeSeconds: 12 } });
    try {
      let now = Date.now();
      const source = createClientCredentialsTokenSource({ teamUrl: twelveSeconds.url, clientId: 'm2m', clientSecret: SECRET, deps: { now: () => now } });
      const first = await source.getToken();
      // Half its lifetime (the leeway of 60 s is longer): 6 s, after the 5 s floor.
      now = first.expiresAt - 6_001;
      expect(await source.getToken()).toBe(first);
      now = first.expiresAt - 6_000;
      expect(await source.getToken()).not.toBe(first);
      expect(twelveSeconds.requests('token')).toHaveLength(2);
    } finally {
      await twelveSeconds.close();
    }
  });

  it('makes one token request for many concurrent callers', async () => {
    inject({ kind: 'delay', ms: 150 });
    const { source } = m2m();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => source.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('shares one failure among concurrent callers, and tries again on the next call', async () => {
    inject({ kind: 'status', status: 400, body: { error: 'invalid_scope', error_description: 'no' } });
    const { source } = m2m();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => source.getAccessToken()));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(tokenRequests()).toHaveLength(1);
    await source.getAccessToken();
    expect(tokenRequests()).toHaveLength(2);
  });

  it('fetches anew after invalidate(), and a request started before it does not fill the cache', async () => {
    const { source } = m2m();
    const first = await source.getAccessToken();
    source.invalidate();
    const second = await source.getAccessToken();
    expect(second).not.toBe(first);

    inject({ kind: 'delay', ms: 150 });
    source.invalidate();
    const stale = source.getAccessToken();
    source.invalidate();
    const fresh = await source.getAccessToken();
    expect(await stale).not.toBe(fresh);
    expect(await source.getAccessToken()).toBe(fresh);
    expect(tokenRequests()).toHaveLength(4);
  });
});

describe('secret rotation', () => {
  it('uses a secret set with setClientSecret() from the next token request on', async () => {
    const { source } = m2m({ clientSecret: 'm2m-previous-secret' });
    expect(await rejectionOf(source.getAccessToken())).toMatchObject({ code: 'token_error', oauthError: 'invalid_client', status: 401 });
    source.setClientSecret(SECRET);
    await expect(source.getAccessToken()).resolves.toEqual(expect.any(String));
    expect(tokenRequests().map((r) => r.status)).toEqual([401, 200]);
  });

  it('reads a secret function on every token request', async () => {
    let current = 'm2m-previous-secret';
    const { source } = m2m({ clientSecret: async () => current });
    await expect(source.getAccessToken()).rejects.toMatchObject({ oauthError: 'invalid_client' });
    current = SECRET;
    await expect(source.getAccessToken()).resolves.toEqual(expect.any(String));
  });

  it('keeps the cached token after a rotation until it is due or invalidated', async () => {
    const { source } = m2m();
    const token = await source.getAccessToken();
    source.setClientSecret('m2m-next-secret');
    expect(await source.getAccessToken()).toBe(token);
    expect(tokenRequests()).toHaveLength(1);
    source.invalidate();
    await expect(source.getAccessToken()).rejects.toMatchObject({ code: 'token_error', oauthError: 'invalid_client' });
  });

  it('keeps serving a still-valid token when a refresh hits an outage, but drops it on invalid_client', async () => {
    let now = Date.now();
    const { source, lines } = m2m({ deps: { now: () => now } });
    const token = await source.getToken();
    now = token.expiresAt - 30_000;

    inject({ kind: 'status', status: 503 }, 3);
    expect(await source.getToken()).toBe(token);
    expect(lines.at(-1)).toMatch(/using the current one until it expires/);

    source.setClientSecret('m2m-revoked-secret');
    await expect(source.getToken()).rejects.toMatchObject({ oauthError: 'invalid_client' });
    inject({ kind: 'status', status: 503 }, 3);
    source.setClientSecret(SECRET);
    await expect(source.getToken()).rejects.toMatchObject({ code: 'server_unavailable' });
  });

  it('serves the still-valid token before it expires when a refresh in the leeway window hangs', async () => {
    const endpoint = await answersOnceThenHangs({ access_token: 'first-token', token_type: 'Bearer', expires_in: 7 });
    try {
      // A 7 s token with a 2 s leeway (due after 5 s, the reuse floor), on a clock that can jump into the leeway window.
      let offset = 0;
      const now = () => Date.now() + offset;
      const { source, lines } = m2m({ teamUrl: endpoint.url, refreshLeewaySeconds: 2, deps: { now } });
      const token = await source.getToken();
      // Into the window, with the sub-millisecond fraction a performance.now()-based clock has.
      offset = 5_100.5;

      const refresh = source.getToken();
      refresh.catch(() => undefined);
      // Bounded: without a deadline the hung request would outlive the token (and this test).
      const served = await Promise.race([refresh, new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 2_500).unref())]);
      expect(served).toBe(token);
      expect(now()).toBeLessThan(token.expiresAt);
      expect(endpoint.requests()).toBe(2);
      expect(lines.at(-1)).toMatch(/network_error\); using the current one until it expires/);
    } finally {
      await endpoint.close();
    }
  });

  it('refuses a secret function that returns nothing, without a token request', async () => {
    const { source } = m2m({ clientSecret: () => '' });
    await expect(source.getAccessToken()).rejects.toThrow(TypeError);
    await expect(source.getAccessToken()).rejects.toMatchObject({ code: 'invalid_client_secret' });
    expect(tokenRequests()).toHaveLength(0);
  });

  it.each([[''], [42]])('refuses setClientSecret(%j)', (secret) => {
    const { source } = m2m();
    expect(() => source.setClientSecret(secret as string)).toThrow(/clientSecret is required/);
    expectCodedTypeError(() => source.setClientSecret(secret as string), 'invalid_client_secret');
  });
});

/** A token endpoint on 127.0.0.1 that answers its first request with `token` and never answers the others. */
async function answersOnceThenHangs(token: object): Promise<{ url: string; requests(): number; close(): Promise<void> }> {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests += 1;
    if (requests === 1) res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(token));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('retries', () => {
  it('retries 503 with exponential backoff and full jitter', async () => {
    inject({ kind: 'status', status: 503 }, 2);
    const { source, delays, lines } = m2m();
    await expect(source.getAccessToken()).resolves.toEqual(expect.any(String));
    expect(tokenRequests().map((r) => r.status)).toEqual([503, 503, 200]);
    // random() = 0.5 of a ceiling of 250 ms, then 500 ms.
    expect(delays).toEqual([125, 250]);
    expect(lines).toEqual([expect.stringMatching(/answered 503; retrying in 125 ms \(attempt 2 of 3\)/), expect.stringMatching(/attempt 3 of 3/)]);
  });

  it('waits as long as a 429 Retry-After asks when that is within maxDelayMs', async () => {
    inject({ kind: 'status', status: 429, retryAfterSeconds: 2 });
    const { source, delays } = m2m();
    await source.getAccessToken();
    expect(delays).toEqual([2000]);
    expect(tokenRequests().map((r) => r.status)).toEqual([429, 200]);
  });

  it('does not wait for a Retry-After beyond maxDelayMs: server_unavailable with retryAfterSeconds', async () => {
    inject({ kind: 'status', status: 503, retryAfterSeconds: 30 });
    const { source, delays } = m2m({ retry: { maxDelayMs: 10_000 } });
    expect(await rejectionOf(source.getAccessToken())).toMatchObject({ code: 'server_unavailable', status: 503, retryAfterSeconds: 30 });
    expect(delays).toEqual([]);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('holds every caller back while the Retry-After lasts: five quick calls send one request, the first after the wait sends one', async () => {
    inject({ kind: 'status', status: 503, retryAfterSeconds: 30 });
    let now = Date.now();
    const { source } = m2m({ retry: { maxDelayMs: 10_000 }, deps: { now: () => now } });
    await rejectionOf(source.getAccessToken());
    for (let i = 0; i < 4; i++) {
      now += 5_000;
      expect(await rejectionOf(source.getAccessToken())).toMatchObject({ code: 'server_unavailable', status: 503, retryAfterSeconds: 25 - 5 * i });
    }
    expect(tokenRequests()).toHaveLength(1);
    now += 10_000;
    await expect(source.getAccessToken()).resolves.toMatch(/^ey/);
    expect(tokenRequests()).toHaveLength(2);
  });

  it('gives up after maxAttempts with server_unavailable', async () => {
    inject({ kind: 'status', status: 502, retryAfterSeconds: 1 }, 5);
    const { source, delays } = m2m();
    expect(await rejectionOf(source.getAccessToken())).toMatchObject({ code: 'server_unavailable', status: 502, retryAfterSeconds: 1 });
    expect(tokenRequests()).toHaveLength(3);
    expect(delays).toEqual([1000, 1000]);
  });

  it('makes one request when maxAttempts is 1', async () => {
    inject({ kind: 'status', status: 500 }, 2);
    const { source } = m2m({ retry: { maxAttempts: 1 } });
    await expect(source.getAccessToken()).rejects.toMatchObject({ code: 'server_unavailable', status: 500 });
    expect(tokenRequests()).toHaveLength(1);
  });

  it('caps the backoff at maxDelayMs', async () => {
    inject({ kind: 'status', status: 503 }, 4);
    const { source, delays } = m2m({ retry: { maxAttempts: 5, baseDelayMs: 4_000, maxDelayMs: 5_000 }, deps: { random: () => 0.999 } });
    await source.getAccessToken();
    expect(delays).toEqual([3996, 4995, 4995, 4995]);
  });

  it('retries a dropped connection, and reports network_error when it persists', async () => {
    inject({ kind: 'drop' });
    const { source } = m2m();
    await expect(source.getAccessToken()).resolves.toEqual(expect.any(String));
    expect(tokenRequests().map((r) => r.status)).toEqual([0, 200]);

    source.invalidate();
    inject({ kind: 'drop' }, 3);
    expect(await rejectionOf(source.getAccessToken())).toMatchObject({ code: 'network_error' });
  });

  it('does not retry a malformed token response', async () => {
    inject({ kind: 'malformed-json' }, 3);
    const { source } = m2m();
    await expect(source.getAccessToken()).rejects.toMatchObject({ code: 'invalid_token_response' });
    expect(tokenRequests()).toHaveLength(1);
  });
});

describe('token responses read through the protocol', () => {
  it.each([
    ['without expires_in: the default lifetime', { access_token: 'no-expiry', token_type: 'Bearer' }, DEFAULT_EXPIRES_IN_SECONDS * 1000],
    ['with expires_in as a numeric string', { access_token: 'string-expiry', token_type: 'Bearer', expires_in: '3600' }, 3_600_000],
  ])('accepts a 200 %s', async (_name, body, lifetimeMs) => {
    inject({ kind: 'status', status: 200, body });
    const now = 1_700_000_000_000;
    const token = await m2m({ deps: { now: () => now } }).source.getToken();
    expect(token).toMatchObject({ accessToken: body.access_token, expiresAt: now + lifetimeMs, tokenType: 'Bearer', scopes: [KM_SCOPE] });
    expect(tokenRequests()).toHaveLength(1);
  });
});

describe('errors', () => {
  interface ErrorCase {
    name: string;
    options?: Partial<ClientCredentialsTokenSourceOptions>;
    fault?: EmulatorFault;
    code: CelonisAuthErrorCode;
    oauthError?: string;
    status?: number;
  }
  const cases: ErrorCase[] = [
    { name: 'a wrong secret', options: { clientSecret: 'not-the-secret' }, code: 'token_error', oauthError: 'invalid_client', status: 401 },
    { name: 'an unknown client', options: { clientId: 'nobody' }, code: 'token_error', oauthError: 'invalid_client', status: 401 },
    { name: 'an unknown scope', options: { scopes: ['intelligence.unknown:read'] }, code: 'token_error', oauthError: 'invalid_scope', status: 400 },
    {
      name: 'a client without the grant',
      options: { clientId: 'portal', clientSecret: 'portal-secret' },
      code: 'token_error',
      oauthError: 'unauthorized_client',
      status: 400,
    },
    { name: 'a 400 without an OAuth body', fault: { kind: 'status', status: 400, body: 'Bad Request' }, code: 'invalid_token_response', status: 400 },
    { name: 'a 200 that is not JSON', fault: { kind: 'malformed-json' }, code: 'invalid_token_response' },
    {
      name: 'a 200 without access_token',
      fault: { kind: 'status', status: 200, body: { token_type: 'Bearer', expires_in: 899 } },
      code: 'invalid_token_response',
    },
    {
      name: 'a 200 with another token type',
      fault: { kind: 'status', status: 200, body: { access_token: 'x', token_type: 'mac', expires_in: 899 } },
      code: 'invalid_token_response',
    },
    {
      name: 'a 200 with a negative expires_in',
      fault: { kind: 'status', status: 200, body: { access_token: 'x', token_type: 'Bearer', expires_in: -1 } },
      code: 'invalid_token_response',
    },
    { name: 'a dropped connection', fault: { kind: 'drop' }, options: { retry: { maxAttempts: 1 } }, code: 'network_error' },
    {
      name: 'a text/plain 200 whose body is a valid token response',
      fault: { kind: 'status', status: 200, body: JSON.stringify({ access_token: 'x', token_type: 'Bearer', expires_in: 899 }) },
      code: 'invalid_token_response',
      status: 200,
    },
    {
      name: 'a 200 with an access_token over 8192 characters',
      fault: { kind: 'status', status: 200, body: { access_token: 'x'.repeat(8193), token_type: 'Bearer', expires_in: 899 } },
      code: 'invalid_token_response',
    },
    {
      name: 'a 200 with expires_in as a word',
      fault: { kind: 'status', status: 200, body: { access_token: 'x', token_type: 'Bearer', expires_in: 'soon' } },
      code: 'invalid_token_response',
    },
  ];

  it.each(cases)('$name → $code $oauthError', async ({ options, fault, code, oauthError, status }) => {
    if (fault) inject(fault);
    const { source, lines } = m2m(options);
    const error = await rejectionOf(source.getAccessToken());
    expect(isCelonisAuthError(error, code)).toBe(true);
    expect(error).toMatchObject({ oauthError, ...(status === undefined ? {} : { status }) });
    expectNoSecret(error, [...FORMS, ...leakForms('portal', 'portal-secret')]);
    for (const line of lines) expectNoSecret(line, FORMS);
  });

  it('reports network_error when nothing listens, with the cause kept', async () => {
    const closed = await freePort();
    const { source } = m2m({ teamUrl: `http://127.0.0.1:${closed}`, retry: { maxAttempts: 2 } });
    const error = await rejectionOf(source.getAccessToken());
    expect(error).toMatchObject({ code: 'network_error', message: expect.stringContaining(`127.0.0.1:${closed}/oauth2/token`) });
    expect((error as Error).cause).toBeInstanceOf(Error);
    expectNoSecret(error, FORMS);
  });

  it('redacts the secret from a network failure that quotes the request', async () => {
    const leaky = async (): Promise<Response> => {
      throw new TypeError(`proxy refused POST with Authorization: Basic ${FORMS[2]} and client_secret=${SECRET}`, { cause: new Error(`socket: ${SECRET}`) });
    };
    const { source } = m2m({ retry: { maxAttempts: 1 }, deps: { fetch: leaky } });
    const error = await rejectionOf(source.getAccessToken());
    expect(error).toMatchObject({ code: 'network_error', cause: { message: expect.stringContaining('proxy refused POST') } });
    expectNoSecret(error, FORMS);
  });

  it('redacts the secret from an error description that echoes it', async () => {
    inject({ kind: 'status', status: 401, body: { error: 'invalid_client', error_description: `secret ${SECRET} was revoked` } });
    const { source } = m2m({ authentication: 'client_secret_post' });
    const error = await rejectionOf(source.getAccessToken());
    expect(error).toMatchObject({ oauthError: 'invalid_client', oauthErrorDescription: 'secret [redacted] was revoked' });
    expectNoSecret(error, FORMS);
  });
});

describe('options', () => {
  const valid: ClientCredentialsTokenSourceOptions = { teamUrl: 'http://127.0.0.1:8787', clientId: 'm2m', clientSecret: SECRET };
  it.each([
    ['teamUrl missing', { teamUrl: '' }, /teamUrl is required/, 'invalid_team_url'],
    ['teamUrl not https', { teamUrl: 'http://acme.eu-1.celonis.cloud' }, /must use https/, 'invalid_team_url'],
    ['teamUrl with a path', { teamUrl: 'https://acme.eu-1.celonis.cloud/oauth2/token' }, /origin only/, 'invalid_team_url'],
    ['clientId empty', { clientId: '' }, /clientId is required/, 'invalid_client_id'],
    ['clientId with a colon for Basic', { clientId: 'a:b' }, /client_secret_post/, 'invalid_client_id'],
    ['clientSecret empty', { clientSecret: '' }, /clientSecret is required/, 'invalid_client_secret'],
    ['clientSecret a number', { clientSecret: 42 }, /clientSecret is required/, 'invalid_client_secret'],
    ['scopes as a string', { scopes: 'studio audit.log:read' }, /scopes must be an array/, 'invalid_scopes'],
    ['a scope with a space', { scopes: ['studio audit.log:read'] }, /scopes\[0\].*not a scope token/, 'invalid_scopes'],
    ['a scope with a quote', { scopes: ['studio', 'a"b'] }, /scopes\[1\]/, 'invalid_scopes'],
    ['a repeated scope', { scopes: ['studio', 'studio'] }, /listed twice/, 'invalid_scopes'],
    [
      'an unknown authentication',
      { authentication: 'private_key_jwt' },
      /authentication must be one of 'client_secret_basic', 'client_secret_post'/,
      'invalid_client_authentication',
    ],
    ['an unknown body encoding', { bodyEncoding: 'json' }, /bodyEncoding must be one of 'urlencoded', 'multipart'/, 'invalid_body_encoding'],
    ['a negative leeway', { refreshLeewaySeconds: -1 }, /refreshLeewaySeconds/, 'invalid_refresh_leeway'],
    ['zero attempts', { retry: { maxAttempts: 0 } }, /retry.maxAttempts/, 'invalid_retry'],
    ['an infinite delay', { retry: { maxDelayMs: Infinity } }, /retry.maxDelayMs/, 'invalid_retry'],
    ['a fetch that is not a function', { deps: { fetch: 'fetch' } }, /deps.fetch must be a function/, 'invalid_deps'],
    ['a logger without warn', { deps: { logger: {} } }, /deps.logger/, 'invalid_deps'],
  ] as const)('refuses %s with a TypeError saying what to fix', (_name, override, message, code) => {
    const create = () => createClientCredentialsTokenSource({ ...valid, ...(override as object) });
    expect(create).toThrow(TypeError);
    expect(create).toThrow(message);
    expectCodedTypeError(create, code);
    try {
      create();
    } catch (error) {
      expectNoSecret(error, FORMS);
    }
  });

  it('accepts the loopback emulator URL and makes no request on creation', () => {
    let calls = 0;
    createClientCredentialsTokenSource({ ...valid, deps: { fetch: async () => (calls++, new Response()) } });
    expect(calls).toBe(0);
  });
});
