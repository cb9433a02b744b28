import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTROL_PREFIX,
  EmulatorApproveError,
  startEmulator,
  type ApproveOptions,
  type EmulatorConfig,
  type FaultInjection,
  type RequestLogEntry,
  type RunningEmulator,
} from '@celonis-auth/emulator';
import {
  ANALYST,
  M2M,
  PORTAL,
  REDIRECT_URI,
  authorize,
  authorizeUrl,
  basic,
  callApi,
  clientCredentials,
  exchangeCode,
  expectOAuthError,
  issueCode,
  json,
  multipart,
  openLoginForm,
  pkce,
  postToken,
  refresh,
  submitLoginForm,
  urlencoded,
  useEmulator,
  type TokenResponse,
} from './flows.js';

const emulator = useEmulator();

/** A JSON request to the HTTP control surface (POST and DELETE always say `Content-Type: application/json`, as it requires). */
function control(em: RunningEmulator, method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = method === 'GET' ? {} : { 'Content-Type': 'application/json' };
  return fetch(`${em.url}${CONTROL_PREFIX}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

function m2mToken(em: RunningEmulator): Promise<Response> {
  return postToken(em, multipart({ client_id: M2M.clientId, client_secret: M2M.secret, grant_type: 'client_credentials', scope: 'studio' }));
}

describe('request log', () => {
  it('records endpoint, grant type, body encoding, client authentication, client, status and error', async () => {
    const em = emulator();
    await m2mToken(em);
    await postToken(em, urlencoded({ grant_type: 'client_credentials' }), { Authorization: basic(M2M.clientId, 'wrong') });
    await postToken(em, JSON.stringify({}), { 'Content-Type': 'application/json' });
    const tokens = await authorize(em);
    await callApi(em, '/audit-log/api/events', tokens.access_token);
    await fetch(authorizeUrl(em, { clientId: 'nobody' }));

    const entries = em.requests();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(entries).toMatchObject([
      {
        method: 'POST',
        path: '/oauth2/token',
        endpoint: 'token',
        grantType: 'client_credentials',
        bodyEncoding: 'multipart',
        clientAuth: 'client_secret_post',
        clientId: 'm2m',
        status: 200,
      },
      { endpoint: 'token', bodyEncoding: 'urlencoded', clientAuth: 'client_secret_basic', clientId: 'm2m', status: 401, error: 'invalid_client' },
      { endpoint: 'token', bodyEncoding: 'other', status: 400, error: 'invalid_request' },
      { endpoint: 'token', grantType: 'authorization_code', bodyEncoding: 'urlencoded', clientAuth: 'none', clientId: 'dashboard', status: 200 },
      { method: 'GET', path: '/audit-log/api/events', endpoint: 'api', clientId: 'dashboard', status: 403, error: 'insufficient_scope' },
      { method: 'GET', path: '/oauth2/authorize', endpoint: 'authorize', status: 400 },
    ]);
    expect(entries[0]!.error).toBeUndefined();
    expect(entries.every((e) => typeof e.at === 'number' && Math.abs(e.at - Date.now()) < 60_000)).toBe(true);
    expect(em.requests('token')).toHaveLength(4);
    expect(em.requests('api')).toHaveLength(1);
  });

  it('records the Origin of browser requests', async () => {
    const em = emulator();
    await fetch(`${em.url}/api/me`, { headers: { Origin: 'http://localhost:5173' } });
    expect(em.requests()).toMatchObject([{ endpoint: 'api', origin: 'http://localhost:5173', status: 401 }]);
  });

  it('leaves control requests out', async () => {
    const em = emulator();
    await control(em, 'GET', '/log');
    await control(em, 'GET', '/clock');
    expect(em.requests()).toEqual([]);
  });

  it('is served over HTTP, filtered by endpoint, and cleared by DELETE', async () => {
    const em = emulator();
    await m2mToken(em);
    await callApi(em, '/api/me');
    const all = await json<RequestLogEntry[]>(await control(em, 'GET', '/log'));
    expect(all.map((e) => e.endpoint)).toEqual(['token', 'api']);
    const tokenOnly = await json<RequestLogEntry[]>(await control(em, 'GET', '/log?endpoint=token'));
    expect(tokenOnly).toEqual([all[0]]);
    expect((await control(em, 'DELETE', '/log')).status).toBe(204);
    expect(em.requests()).toEqual([]);
  });

  it.each(['x', '', 'TOKEN', 'control'])('refuses GET /log?endpoint=%j with 400 naming the endpoints', async (endpoint) => {
    const response = await control(emulator(), 'GET', `/log?endpoint=${endpoint}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_request', error_description: 'endpoint must be one of authorize, token, api, jwks, other' });
  });

  it('is cleared programmatically', async () => {
    const em = emulator();
    await m2mToken(em);
    em.clearRequests();
    expect(em.requests()).toEqual([]);
  });

  it('never contains a secret, password, code, verifier or token', async () => {
    const em = emulator();
    const secrets: string[] = [M2M.secret, PORTAL.secret, ANALYST.password];
    // Client credentials both ways.
    const cc = await clientCredentials(em);
    await postToken(em, urlencoded({ grant_type: 'client_credentials' }), { Authorization: basic(M2M.clientId, M2M.secret) });
    // A login through the HTML form, and a portal code exchange with its secret.
    const { verifier, challenge } = pkce();
    const url = authorizeUrl(em, { clientId: 'portal', codeChallenge: challenge, state: 'the-state' });
    const login = await submitLoginForm(em, await openLoginForm(url), { username: ANALYST.username, password: ANALYST.password, decision: 'approve' });
    const code = new URL(login.headers.get('location')!).searchParams.get('code')!;
    const exchanged = await json<TokenResponse>(await exchangeCode(em, { code, state: 'the-state', clientId: 'portal', redirectUri: REDIRECT_URI, verifier }));
    const refreshed = await json<TokenResponse>(await refresh(em, exchanged.refresh_token!, { client: 'portal' }));
    // A wrong secret and a wrong password are secrets too.
    await postToken(em, urlencoded({ grant_type: 'client_credentials', client_id: M2M.clientId, client_secret: 'almost-the-secret' }));
    secrets.push(
      'almost-the-secret',
      code,
      verifier,
      challenge,
      cc.access_token,
      exchanged.access_token,
      exchanged.refresh_token!,
      refreshed.access_token,
      refreshed.refresh_token!,
    );
    // Tokens sent to the APIs, in the header and in the query string.
    await callApi(em, '/api/me', cc.access_token);
    await fetch(`${em.url}/api/me?access_token=${refreshed.access_token}`);
    await callApi(em, '/api/me', 'forged.token.value');
    secrets.push('forged.token.value');

    const programmatic = JSON.stringify(em.requests());
    const overHttp = await (await control(em, 'GET', '/log')).text();
    expect(em.requests().length).toBeGreaterThanOrEqual(9);
    for (const secret of secrets) {
      expect(programmatic).not.toContain(secret);
      expect(overHttp).not.toContain(secret);
    }
  });
});

describe('fault injection', () => {
  it('answers 503 with the given body instead of issuing a token', async () => {
    const em = emulator();
    em.injectFault({ endpoint: 'token', fault: { kind: 'status', status: 503, body: { error: 'temporarily_unavailable', error_description: 'maintenance' } } });
    const response = await m2mToken(em);
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: 'temporarily_unavailable', error_description: 'maintenance' });
    expect(em.requests('token')).toMatchObject([{ status: 503, fault: 'status' }]);
  });

  it('answers a default OAuth error body when none is given', async () => {
    const em = emulator();
    em.injectFault({ endpoint: 'token', fault: { kind: 'status', status: 500 } });
    em.injectFault({ endpoint: 'token', fault: { kind: 'status', status: 400 } });
    expect(await (await m2mToken(em)).json()).toMatchObject({ error: 'server_error' });
    expect(await (await m2mToken(em)).json()).toMatchObject({ error: 'temporarily_unavailable' });
  });

  it('answers a text body and extra headers as given', async () => {
    const em = emulator();
    em.injectFault({ endpoint: 'token', fault: { kind: 'status', status: 502, body: '<html>Bad Gateway</html>', headers: { 'X-Upstream': 'lb-1' } } });
    const response = await m2mToken(em);
    expect(response.status).toBe(502);
    expect(response.headers.get('x-upstream')).toBe('lb-1');
    expect(await response.text()).toBe('<html>Bad Gateway</html>');
  });

  it('answers 429 with Retry-After', async () => {
    const em = emulator();
    em.injectFault({ endpoint: 'token', fault: { kind: 'status', status: 429, retryAfterSeconds: 30 } });
    const response = await m2mToken(em);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('30');
  });

  it('answers 200 with a body that is not JSON, without spending the refresh token', async () => {
    const em = emulator();
    const tokens = await authorize(em);
    em.injectFault({ endpoint: 'token', fault: { kind: 'malformed-json' } });
    const response = await refresh(em, tokens.refresh_token);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    await expect(response.clone().json()).rejects.toThrow(SyntaxError);
    expect(await response.text()).toBe('{"access_token": "eyJ');
    expect((await refresh(em, tokens.refresh_token)).status).toBe(200);
  });

  it('delays the response, then answers normally', async () => {
    const em = emulator();
    em.injectFault({ endpoint: 'token', fault: { kind: 'delay', ms: 300 } });
    const started = performance.now();
    const response = await m2mToken(em);
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    expect(response.status).toBe(200);
    expect(em.requests('token')).toMatchObject([{ status: 200, fault: 'delay' }]);
  });

  it('drops the connection: fetch rejects, nothing is issued, the log says status 0', async () => {
    const em = emulator();
    const tokens = await authorize(em);
    em.clearRequests();
    em.injectFault({ endpoint: 'token', fault: { kind: 'drop' } });
    await expect(refresh(em, tokens.refresh_token)).rejects.toThrow(TypeError);
    expect(em.requests('token')).toMatchObject([{ status: 0, fault: 'drop', grantType: 'refresh_token' }]);
    // Without afterCommit the work was not done: the refresh token is still good.
    expect((await refresh(em, tokens.refresh_token)).status).toBe(200);
  });

  it('drops the connection after committing a refresh: the token was rotated, so reusing it is invalid_grant', async () => {
    const em = emulator();
    const tokens = await authorize(em);
    em.injectFault({ endpoint: 'token', fault: { kind: 'drop', afterCommit: true } });
    await expect(refresh(em, tokens.refresh_token)).rejects.toThrow(TypeError);
    await expectOAuthError(await refresh(em, tokens.refresh_token), 400, 'invalid_grant');
  });

  it('drops after committing a code exchange: the code is spent', async () => {
    const em = emulator();
    const issued = issueCode(em);
    em.injectFault({ endpoint: 'token', fault: { kind: 'drop', afterCommit: true } });
    await expect(exchangeCode(em, issued)).rejects.toThrow(TypeError);
    await expectOAuthError(await exchangeCode(em, issued), 400, 'invalid_grant');
  });

  it('applies a fault to exactly the next N requests', async () => {
    const em = emulator();
    em.injectFault({ endpoint: 'token', fault: { kind: 'status', status: 503 }, count: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await m2mToken(em)).status);
    expect(statuses).toEqual([503, 503, 503, 200, 200]);
  });

  it('queues faults in order and keeps endpoints apart', async () => {
    const em = emulator();
    em.injectFault({ endpoint: 'token', fault: { kind: 'status', status: 503 } });
    em.injectFault({ endpoint: 'token', fault: { kind: 'status', status: 429, retryAfterSeconds: 1 }, count: 2 });
    em.injectFault({ endpoint: 'api', fault: { kind: 'status', status: 502 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await m2mToken(em)).status);
    expect(statuses).toEqual([503, 429, 429, 200]);
    expect((await callApi(em, '/api/me')).status).toBe(502);
    expect((await callApi(em, '/api/me')).status).toBe(401);
  });

  it('applies to the authorize page', async () => {
    const em = emulator();
    em.injectFault({ endpoint: 'authorize', fault: { kind: 'status', status: 503 } });
    expect((await fetch(authorizeUrl(em, { codeChallenge: pkce().challenge }))).status).toBe(503);
    expect((await fetch(authorizeUrl(em, { codeChallenge: pkce().challenge }))).status).toBe(200);
  });

  it('applies to the sample APIs, drop included', async () => {
    const em = emulator();
    const token = (await clientCredentials(em)).access_token;
    em.injectFault({ endpoint: 'api', fault: { kind: 'drop' } });
    await expect(callApi(em, '/api/me', token)).rejects.toThrow(TypeError);
    expect((await callApi(em, '/api/me', token)).status).toBe(200);
  });

  it('is cleared programmatically and over HTTP', async () => {
    const em = emulator();
    em.injectFault({ endpoint: 'token', fault: { kind: 'status', status: 503 }, count: 5 });
    em.clearFaults();
    expect((await m2mToken(em)).status).toBe(200);
    em.injectFault({ endpoint: 'token', fault: { kind: 'status', status: 503 }, count: 5 });
    expect((await control(em, 'DELETE', '/faults')).status).toBe(204);
    expect((await m2mToken(em)).status).toBe(200);
  });

  it('is injected over HTTP', async () => {
    const em = emulator();
    const injection: FaultInjection = { endpoint: 'token', fault: { kind: 'status', status: 429, retryAfterSeconds: 5 }, count: 2 };
    expect((await control(em, 'POST', '/faults', injection)).status).toBe(204);
    const first = await m2mToken(em);
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '5']);
    expect((await m2mToken(em)).status).toBe(429);
    expect((await m2mToken(em)).status).toBe(200);
  });

  it.each<{ name: string; injection: unknown; message: string }>([
    { name: 'an unknown endpoint', injection: { endpoint: 'jwks', fault: { kind: 'drop' } }, message: 'fault endpoint must be one of' },
    { name: 'no fault', injection: { endpoint: 'token' }, message: 'fault kind must be one of' },
    { name: 'an unknown kind', injection: { endpoint: 'token', fault: { kind: 'explode' } }, message: 'fault kind must be one of' },
    { name: 'count 0', injection: { endpoint: 'token', fault: { kind: 'drop' }, count: 0 }, message: 'fault count' },
    { name: 'a fractional count', injection: { endpoint: 'token', fault: { kind: 'drop' }, count: 1.5 }, message: 'fault count' },
    { name: 'status 99', injection: { endpoint: 'token', fault: { kind: 'status', status: 99 } }, message: 'fault status' },
    { name: 'status "503"', injection: { endpoint: 'token', fault: { kind: 'status', status: '503' } }, message: 'fault status' },
    {
      name: 'a negative Retry-After',
      injection: { endpoint: 'token', fault: { kind: 'status', status: 429, retryAfterSeconds: -1 } },
      message: 'retryAfterSeconds',
    },
    {
      name: 'a header value that is not a string',
      injection: { endpoint: 'token', fault: { kind: 'status', status: 503, headers: { 'X-A': 1 } } },
      message: 'fault headers',
    },
    {
      name: 'an invalid header name',
      injection: { endpoint: 'token', fault: { kind: 'status', status: 503, headers: { 'bad name': 'x' } } },
      message: 'fault headers',
    },
    {
      name: 'a header value with a line break',
      injection: { endpoint: 'token', fault: { kind: 'status', status: 503, headers: { 'X-A': 'a\r\nSet-Cookie: x=1' } } },
      message: 'fault headers',
    },
    {
      name: 'a Content-Length header',
      injection: { endpoint: 'token', fault: { kind: 'status', status: 200, headers: { 'Content-Length': '0' } } },
      message: 'may not set Content-Length',
    },
    {
      name: 'a Transfer-Encoding header',
      injection: { endpoint: 'token', fault: { kind: 'status', status: 200, headers: { 'transfer-encoding': 'chunked' } } },
      message: 'may not set Content-Length',
    },
    {
      name: 'a Connection header',
      injection: { endpoint: 'api', fault: { kind: 'status', status: 503, headers: { CONNECTION: 'close' } } },
      message: 'may not set Content-Length',
    },
    { name: 'a delay over a minute', injection: { endpoint: 'token', fault: { kind: 'delay', ms: 60_001 } }, message: 'fault delay ms' },
    { name: 'a negative delay', injection: { endpoint: 'token', fault: { kind: 'delay', ms: -1 } }, message: 'fault delay ms' },
  ])('refuses $name with 400 and a clear message, programmatically and over HTTP', async ({ injection, message }) => {
    const em = emulator();
    expect(() => em.injectFault(injection as FaultInjection)).toThrow(message);
    expect(() => em.injectFault(injection as FaultInjection)).toThrow(expect.objectContaining({ name: 'CodedTypeError', code: 'invalid_fault' }));
    const response = await control(em, 'POST', '/faults', injection);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining(message) });
    // Nothing was queued: the token endpoint works.
    expect((await m2mToken(em)).status).toBe(200);
  });
});

describe('fault queue bound', () => {
  it('queues at most 1000 injections, then refuses more (TypeError, 400 over HTTP) until cleared', async () => {
    const em = emulator();
    for (let i = 0; i < 1000; i += 1) em.injectFault({ endpoint: i % 2 === 0 ? 'api' : 'authorize', fault: { kind: 'delay', ms: 0 } });
    const more: FaultInjection = { endpoint: 'token', fault: { kind: 'status', status: 503 } };
    expect(() => em.injectFault(more)).toThrow(expect.objectContaining({ name: 'CodedTypeError', code: 'invalid_fault' }));
    expect(() => em.injectFault(more)).toThrow('at most 1000 fault injections can be queued');
    const response = await control(em, 'POST', '/faults', more);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('at most 1000') });
    expect((await m2mToken(em)).status).toBe(200);
    em.clearFaults();
    em.injectFault(more);
    expect((await m2mToken(em)).status).toBe(503);
  });
});

describe('clock', () => {
  it('moves now() forward programmatically', async () => {
    const em = emulator();
    const before = em.now();
    em.advanceClock(61);
    expect(em.now() - before).toBeGreaterThanOrEqual(61_000);
    expect(em.now() - before).toBeLessThan(71_000);
  });

  it('advances over HTTP and tells the time', async () => {
    const em = emulator();
    const { now: before } = await json<{ now: number }>(await control(em, 'GET', '/clock'));
    const advanced = await control(em, 'POST', '/clock', { advanceSeconds: 900 });
    expect(advanced.status).toBe(200);
    const { now } = await json<{ now: number }>(advanced);
    expect(now - before).toBeGreaterThanOrEqual(900_000);
    expect(em.now()).toBeGreaterThanOrEqual(now);
  });

  it('expires an access token when advanced over HTTP', async () => {
    const em = emulator();
    const token = (await clientCredentials(em)).access_token;
    await control(em, 'POST', '/clock', { advanceSeconds: 900 });
    expect((await callApi(em, '/api/me', token)).status).toBe(401);
  });

  it.each<{ name: string; body: unknown }>([
    { name: 'a negative number', body: { advanceSeconds: -1 } },
    { name: 'no advanceSeconds', body: {} },
    { name: 'a word', body: { advanceSeconds: 'soon' } },
    { name: 'a number beyond the range of dates', body: { advanceSeconds: 1e300 } },
  ])('refuses to advance by $name', async ({ body }) => {
    const em = emulator();
    const before = em.now();
    const response = await control(em, 'POST', '/clock', body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('seconds') });
    expect(em.now() - before).toBeLessThan(10_000);
  });

  it('refuses a programmatic advance it could not represent', () => {
    const em = emulator();
    expect(() => em.advanceClock(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => em.advanceClock(1e300)).toThrow(RangeError);
    expect(() => em.advanceClock(-5)).toThrow(RangeError);
    expect(Number.isFinite(em.now())).toBe(true);
  });
});

describe('reset', () => {
  async function dirty(em: RunningEmulator): Promise<string> {
    const tokens = await authorize(em);
    em.advanceClock(3600);
    em.injectFault({ endpoint: 'token', fault: { kind: 'status', status: 503 }, count: 10 });
    return tokens.refresh_token;
  }

  async function expectClean(em: RunningEmulator, refreshToken: string): Promise<void> {
    expect(em.requests()).toEqual([]);
    expect(Math.abs(em.now() - Date.now())).toBeLessThan(10_000);
    // Faults are gone and the grants forgotten.
    await expectOAuthError(await refresh(em, refreshToken), 400, 'invalid_grant');
    expect((await m2mToken(em)).status).toBe(200);
  }

  it('forgets grants, the log, faults and the clock offset programmatically', async () => {
    const em = emulator();
    const refreshToken = await dirty(em);
    em.reset();
    await expectClean(em, refreshToken);
  });

  it('does the same over HTTP', async () => {
    const em = emulator();
    const refreshToken = await dirty(em);
    expect((await control(em, 'POST', '/reset')).status).toBe(204);
    await expectClean(em, refreshToken);
  });

  it('keeps the signing key: tokens issued before still verify', async () => {
    const em = emulator();
    const token = (await clientCredentials(em)).access_token;
    em.reset();
    expect((await callApi(em, '/api/me', token)).status).toBe(200);
  });
});

describe('headless approve', () => {
  it('returns the redirect location with a code and the state, and the code redeems', async () => {
    const em = emulator();
    const { verifier, challenge } = pkce();
    const location = new URL(em.approve(authorizeUrl(em, { state: 'headless', codeChallenge: challenge }), { username: ANALYST.username }));
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('state')).toBe('headless');
    const code = location.searchParams.get('code')!;
    expect((await exchangeCode(em, { code, state: 'headless', clientId: 'dashboard', redirectUri: REDIRECT_URI, verifier })).status).toBe(200);
  });

  it('approves as analyst@example.com by default and accepts a string URL', () => {
    const em = emulator();
    const location = new URL(em.approve(authorizeUrl(em, { codeChallenge: pkce().challenge }).href));
    expect(location.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('denies when asked to', () => {
    const em = emulator();
    const location = new URL(em.approve(authorizeUrl(em, { state: 'd', codeChallenge: pkce().challenge }), { decision: 'deny' }));
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('d');
  });

  it('returns the error redirect of a request refused through the redirect URI', () => {
    const em = emulator();
    const location = new URL(em.approve(authorizeUrl(em, { scope: 'not-a-scope', codeChallenge: pkce().challenge })));
    expect(location.searchParams.get('error')).toBe('invalid_scope');
  });

  it.each([
    {
      name: 'an unknown user',
      url: (em: RunningEmulator) => authorizeUrl(em, { codeChallenge: pkce().challenge }).href,
      username: 'nobody@example.com',
      message: 'unknown user',
    },
    {
      name: 'an unknown client',
      url: (em: RunningEmulator) => authorizeUrl(em, { clientId: 'nobody', codeChallenge: pkce().challenge }).href,
      username: undefined,
      message: 'Unknown client_id',
    },
    {
      name: 'an unregistered redirect_uri',
      url: (em: RunningEmulator) => authorizeUrl(em, { redirectUri: 'https://evil.example/cb', codeChallenge: pkce().challenge }).href,
      username: undefined,
      message: 'not registered',
    },
    { name: 'a relative URL', url: () => '/oauth2/authorize?client_id=dashboard', username: undefined, message: 'not an absolute URL' },
  ])('throws EmulatorApproveError for $name, and answers 400 over HTTP', async ({ url, username, message }) => {
    const em = emulator();
    const authorizeUrlValue = url(em);
    expect(() => em.approve(authorizeUrlValue, username ? { username } : {})).toThrow(EmulatorApproveError);
    expect(() => em.approve(authorizeUrlValue, username ? { username } : {})).toThrow(message);
    const response = await control(em, 'POST', '/approve', { authorizeUrl: authorizeUrlValue, ...(username ? { username } : {}) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining(message) });
  });

  it.each<{ decision: unknown }>([{ decision: 'maybe' }, { decision: 'Deny' }, { decision: 'APPROVE' }, { decision: '' }, { decision: 1 }, { decision: null }])(
    'refuses decision $decision with EmulatorApproveError, and 400 over HTTP, issuing no code',
    async ({ decision }) => {
      const em = emulator();
      const url = authorizeUrl(em, { codeChallenge: pkce().challenge }).href;
      const options = { decision } as unknown as ApproveOptions;
      expect(() => em.approve(url, options)).toThrow(EmulatorApproveError);
      expect(() => em.approve(url, options)).toThrow('decision must be "approve" or "deny"');
      const response = await control(em, 'POST', '/approve', { authorizeUrl: url, decision });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: 'invalid_request',
        error_description: expect.stringContaining('decision must be "approve" or "deny"'),
      });
    },
  );

  it('answers POST /__emulator/approve with the location', async () => {
    const em = emulator();
    const url = authorizeUrl(em, { state: 'over-http', scope: 'audit.log:read studio', codeChallenge: pkce().challenge });
    const response = await control(em, 'POST', '/approve', { authorizeUrl: url.href, username: 'viewer@example.com' });
    expect(response.status).toBe(200);
    const { location } = await json<{ location: string }>(response);
    expect(new URL(location).searchParams.get('state')).toBe('over-http');
    expect(new URL(location).searchParams.get('code')).toEqual(expect.any(String));
    const denied = await json<{ location: string }>(await control(em, 'POST', '/approve', { authorizeUrl: url.href, decision: 'deny' }));
    expect(new URL(denied.location).searchParams.get('error')).toBe('access_denied');
  });
});

describe('the HTTP control surface', () => {
  it.each([
    { path: '/faults', method: 'POST' },
    { path: '/clock', method: 'POST' },
    { path: '/approve', method: 'POST' },
  ])('answers $method $path with a body that is not JSON with 400 and a clear message', async ({ path, method }) => {
    const response = await control(emulator(), method, path, '{not json');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_request', error_description: 'the body must be JSON' });
  });

  it('serves the configuration in force', async () => {
    const em = emulator();
    const config = await json<EmulatorConfig>(await control(em, 'GET', '/config'));
    expect(config.clients.map((c) => c.clientId)).toEqual(['dashboard', 'portal', 'm2m']);
    expect(config.users.map((u) => u.username)).toEqual(['analyst@example.com', 'viewer@example.com']);
    expect(config.accessTokenLifetimeSeconds).toBe(899);
  });

  it('lists its routes at GET /__emulator, the address the banner names, never cached', async () => {
    const response = await fetch(`${emulator().url}${CONTROL_PREFIX}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const index = await json<{ name: string; routes: { method: string; path: string; does: string }[] }>(response);
    expect(index.name).toBe('celonis-emulator control surface');
    expect(index.routes.map(({ method, path }) => `${method} ${path}`)).toEqual([
      'GET /__emulator',
      'GET /__emulator/log',
      'DELETE /__emulator/log',
      'POST /__emulator/faults',
      'DELETE /__emulator/faults',
      'GET /__emulator/clock',
      'POST /__emulator/clock',
      'POST /__emulator/reset',
      'POST /__emulator/approve',
      'GET /__emulator/config',
    ]);
    for (const route of index.routes) expect(route.does).not.toBe('');
  });

  it('answers every route the list names (none is 404)', async () => {
    const em = emulator();
    const { routes } = await json<{ routes: { method: string; path: string }[] }>(await fetch(`${em.url}${CONTROL_PREFIX}`));
    for (const { method, path } of routes) {
      const response = await control(em, method, path.slice(CONTROL_PREFIX.length), method === 'POST' ? {} : undefined);
      expect(response.status, `${method} ${path}`).not.toBe(404);
    }
  });

  it('answers unknown control paths with a JSON 404', async () => {
    const response = await control(emulator(), 'GET', '/nope');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('the control surface against web pages (CSRF, DNS rebinding)', () => {
  /** Some state every refused request must leave alone: one logged request and one queued API fault. */
  async function arrange(em: RunningEmulator): Promise<void> {
    await m2mToken(em);
    em.injectFault({ endpoint: 'api', fault: { kind: 'status', status: 502 } });
  }

  async function expectUntouched(em: RunningEmulator): Promise<void> {
    expect(em.requests()).toHaveLength(1);
    expect(Math.abs(em.now() - Date.now())).toBeLessThan(10_000);
    expect((await m2mToken(em)).status).toBe(200);
    expect((await callApi(em, '/api/me')).status).toBe(502);
  }

  const writes: { method: string; path: string; body: unknown }[] = [
    { method: 'POST', path: '/reset', body: {} },
    { method: 'POST', path: '/faults', body: { endpoint: 'token', fault: { kind: 'status', status: 503 } } },
    { method: 'POST', path: '/clock', body: { advanceSeconds: 3600 } },
    { method: 'DELETE', path: '/log', body: undefined },
    { method: 'DELETE', path: '/faults', body: undefined },
  ];
  // What a page on another site can send without a CORS preflight, and a request with no type at all.
  const simpleBodies: { name: string; init: (body: unknown) => RequestInit }[] = [
    { name: 'a text/plain body', init: (body) => ({ body: JSON.stringify(body ?? {}), headers: { 'Content-Type': 'text/plain;charset=UTF-8' } }) },
    { name: 'a urlencoded form', init: (body) => ({ body: new URLSearchParams({ json: JSON.stringify(body ?? {}) }) }) },
    { name: 'a multipart form', init: () => ({ body: multipart({ advanceSeconds: '3600' }) }) },
    { name: 'no Content-Type', init: () => ({}) },
  ];

  it.each(writes.flatMap((write) => simpleBodies.map((simple) => ({ ...write, ...simple }))))(
    'refuses $method $path with $name: 415, nothing done',
    async ({ method, path, body, init }) => {
      const em = emulator();
      await arrange(em);
      const response = await fetch(`${em.url}${CONTROL_PREFIX}${path}`, { method, ...init(body) });
      expect(response.status).toBe(415);
      expect(await response.json()).toEqual({
        error: 'invalid_request',
        error_description: `${method} requests to the control surface must be sent with Content-Type: application/json`,
      });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      await expectUntouched(em);
    },
  );

  it('refuses POST /approve as a form too', async () => {
    const em = emulator();
    const response = await fetch(`${em.url}${CONTROL_PREFIX}/approve`, {
      method: 'POST',
      body: new URLSearchParams({ authorizeUrl: authorizeUrl(em, { codeChallenge: pkce().challenge }).href }),
    });
    expect(response.status).toBe(415);
  });

  it('gives a preflight for a JSON request from a web page no CORS approval', async () => {
    const em = emulator();
    const response = await fetch(`${em.url}${CONTROL_PREFIX}/reset`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-headers')).toBeNull();
  });

  const foreignHosts: { name: string; host: (port: number) => string }[] = [
    { name: 'a rebound name with the port', host: (port) => `attacker.example:${port}` },
    { name: 'a rebound name without a port', host: () => 'attacker.example' },
    { name: 'a name ending in a loopback name', host: (port) => `evil-localhost:${port}` },
    { name: 'a loopback address with another port', host: (port) => `127.0.0.1:${port === 1 ? 2 : 1}` },
    { name: 'localhost without the port', host: () => 'localhost' },
    { name: 'the wildcard address with the port', host: (port) => `0.0.0.0:${port}` },
  ];

  it.each(foreignHosts)('refuses GET /config with Host $name: 403, no secrets', async ({ host }) => {
    const em = emulator();
    const response = await requestWithHost(em, 'GET', '/config', host(em.port));
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('Host header') });
    expect(response.body).not.toContain(M2M.secret);
  });

  it.each(foreignHosts)('refuses GET /__emulator (the list of routes) with Host $name: 403', async ({ host }) => {
    const em = emulator();
    const response = await requestWithHost(em, 'GET', '', host(em.port));
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('Host header') });
    expect(response.body).not.toContain('/__emulator/config');
  });

  it.each(foreignHosts)('refuses POST /reset with Host $name: 403, nothing done', async ({ host }) => {
    const em = emulator();
    await arrange(em);
    const response = await requestWithHost(em, 'POST', '/reset', host(em.port), { 'Content-Type': 'application/json' });
    expect(response.status).toBe(403);
    await expectUntouched(em);
  });

  it.each([
    { name: '127.0.0.1', host: (port: number) => `127.0.0.1:${port}` },
    { name: 'localhost', host: (port: number) => `localhost:${port}` },
    { name: '[::1]', host: (port: number) => `[::1]:${port}` },
    { name: 'LOCALHOST in capitals', host: (port: number) => `LOCALHOST:${port}` },
  ])('answers requests to $name with the emulator’s port', async ({ host }) => {
    const em = emulator();
    expect((await requestWithHost(em, 'GET', '/clock', host(em.port))).status).toBe(200);
    expect((await requestWithHost(em, 'POST', '/reset', host(em.port), { 'Content-Type': 'application/json' })).status).toBe(204);
  });
});

/** A request to the emulator with an explicit Host header (fetch sets its own), read in full. */
function requestWithHost(
  em: RunningEmulator,
  method: string,
  path: string,
  host: string,
  headers: Record<string, string> = {},
  fullPath = `${CONTROL_PREFIX}${path}`,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: em.port, method, path: fullPath, headers: { ...headers, Host: host }, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', reject);
    req.end();
  });
}

describe('controlSurface: false', () => {
  let hidden: RunningEmulator;
  beforeAll(async () => {
    hidden = await startEmulator({ config: { controlSurface: false } });
  });
  afterAll(() => hidden.close());

  it.each([
    { method: 'GET', path: '' },
    { method: 'GET', path: '/log' },
    { method: 'GET', path: '/config' },
    { method: 'POST', path: '/reset' },
    { method: 'POST', path: '/faults' },
    { method: 'POST', path: '/approve' },
  ])('hides $method /__emulator$path (404)', async ({ method, path }) => {
    const response = await control(hidden, method, path, method === 'POST' ? {} : undefined);
    expect(response.status).toBe(404);
  });

  it('keeps the programmatic control working', async () => {
    hidden.injectFault({ endpoint: 'token', fault: { kind: 'status', status: 503 } });
    expect((await m2mToken(hidden)).status).toBe(503);
    expect(hidden.requests('token')).toMatchObject([{ status: 503 }]);
  });
});
