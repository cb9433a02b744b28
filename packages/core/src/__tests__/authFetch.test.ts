import { describe, expect, it } from 'vitest';
import { deferred, form, isTokenRequest, json, oauthError, type SeenRequest, settle, TEAM_URL, tokenResponse } from '@celonis-auth/test-utils';
import { insufficientScopeError } from '../protocol/bearerChallenge.js';
import { signedIn, type TestClientOptions } from './signIn.js';

type ApiHandler = (request: SeenRequest, index: number) => Response | Promise<Response>;

const ok: ApiHandler = () => json({ ok: true });
const invalidToken = () => new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="expired"' } });

/** A signed-in client whose network has a rotating token endpoint and an API answered by `handler`. */
async function withApi(handler: ApiHandler = ok, options: Omit<TestClientOptions, 'respond'> = {}) {
  let tokens = 0;
  let calls = 0;
  const client = await signedIn({ ...options, respond: (request) => (isTokenRequest(request) ? tokenResponse(2 + tokens++) : handler(request, calls++)) });
  const apiCalls = () => client.requests.filter((r) => !isTokenRequest(r));
  const tokenCalls = () => client.requests.filter(isTokenRequest);
  return { ...client, apiCalls, tokenCalls };
}

describe('which requests carry the token', () => {
  it('resolves a relative URL against the team URL and sends the Bearer token', async () => {
    const { auth, apiCalls } = await withApi();
    const response = await auth.fetch('/intelligence/api/x?limit=5');
    expect(response.status).toBe(200);
    expect(apiCalls()).toHaveLength(1);
    expect(apiCalls()[0]!.url).toBe(`${TEAM_URL}/intelligence/api/x?limit=5`);
    expect(apiCalls()[0]!.headers.get('Authorization')).toBe('Bearer access-1');
  });

  it.each([
    { name: 'an absolute URL string', input: () => `${TEAM_URL}/intelligence/api/x` },
    { name: 'a URL object', input: () => new URL('/intelligence/api/x', TEAM_URL) },
    { name: 'a Request', input: () => new Request(`${TEAM_URL}/intelligence/api/x`) },
    { name: 'the team origin with its default port', input: () => 'https://acme.eu-1.celonis.cloud:443/intelligence/api/x' },
  ])('sends the token for $name on the team origin', async ({ input }) => {
    const { auth, apiCalls } = await withApi();
    await auth.fetch(input());
    expect(apiCalls()[0]).toMatchObject({ url: `${TEAM_URL}/intelligence/api/x` });
    expect(apiCalls()[0]!.headers.get('Authorization')).toBe('Bearer access-1');
  });

  it.each([
    { name: 'another origin', input: () => 'https://evil.example/x' },
    { name: 'another origin as a URL', input: () => new URL('https://evil.example/x') },
    { name: 'another origin as a Request', input: () => new Request('https://evil.example/x') },
    { name: 'a look-alike host', input: () => 'https://acme.eu-1.celonis.cloud.evil.example/x' },
    { name: 'a sibling team', input: () => 'https://other.eu-1.celonis.cloud/x' },
    { name: 'the team host over http', input: () => 'http://acme.eu-1.celonis.cloud/x' },
    { name: 'the team host on another port', input: () => 'https://acme.eu-1.celonis.cloud:8443/x' },
    { name: 'a protocol-relative URL', input: () => '//evil.example/x' },
  ])('sends no token to $name, and requests none, even when the token has expired', async ({ input }) => {
    const { auth, clock, expiresAt, apiCalls, tokenCalls } = await withApi();
    clock.set(expiresAt + 1);
    await auth.fetch(input());
    expect(apiCalls()).toHaveLength(1);
    expect(apiCalls()[0]!.headers.get('Authorization')).toBeNull();
    expect(tokenCalls()).toHaveLength(0);
  });

  it('sends the token to the configured apiOrigins too, and only to them', async () => {
    const { auth, apiCalls } = await withApi(ok, { config: { apiOrigins: ['https://api.example.com'] } });
    await auth.fetch('https://api.example.com/v1/things');
    await auth.fetch('https://api.example.com:8443/v1/things');
    expect(apiCalls().map((r) => r.headers.get('Authorization'))).toEqual(['Bearer access-1', null]);
  });

  it('replaces a caller Authorization header only on allowed origins', async () => {
    const { auth, apiCalls } = await withApi();
    await auth.fetch('/intelligence/api/x', { headers: { Authorization: 'Basic Zm9vOmJhcg==', 'X-Trace': '1' } });
    await auth.fetch('https://evil.example/x', { headers: { Authorization: 'Basic Zm9vOmJhcg==' } });
    const [team, other] = apiCalls();
    expect(team!.headers.get('Authorization')).toBe('Bearer access-1');
    expect(team!.headers.get('X-Trace')).toBe('1');
    expect(other!.headers.get('Authorization')).toBe('Basic Zm9vOmJhcg==');
  });

  it('refreshes an expired token before the call', async () => {
    const { auth, clock, expiresAt, requests } = await withApi();
    clock.set(expiresAt);
    await auth.fetch('/intelligence/api/x');
    expect(requests.map((r) => (isTokenRequest(r) ? form(r).grant_type : r.headers.get('Authorization')))).toEqual(['refresh_token', 'Bearer access-2']);
  });

  it('rejects with login_required and sends nothing when signed out', async () => {
    const { auth, requests } = await withApi();
    auth.logout();
    await expect(auth.fetch('/intelligence/api/x')).rejects.toMatchObject({ code: 'login_required' });
    expect(requests).toHaveLength(0);
  });
});

describe('a 401 from the API', () => {
  it('with invalid_token: refreshes once and retries once, re-sending a POST body intact', async () => {
    const { auth, requests } = await withApi((_request, i) => (i === 0 ? invalidToken() : json({ saved: true }, 201)));
    const body = JSON.stringify({ name: 'kpi', values: [1, 2, 3] });
    const response = await auth.fetch('/intelligence/api/x', { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
    expect(response.status).toBe(201);
    expect(requests.map((r) => (isTokenRequest(r) ? `token ${form(r).refresh_token}` : `${r.method} ${r.headers.get('Authorization')} ${r.body}`))).toEqual([
      `POST Bearer access-1 ${body}`,
      'token refresh-1',
      `POST Bearer access-2 ${body}`,
    ]);
    expect(requests[2]!.headers.get('Content-Type')).toBe('application/json');
  });

  it('returns a second 401 without another refresh', async () => {
    const { auth, apiCalls, tokenCalls } = await withApi(invalidToken);
    const response = await auth.fetch('/intelligence/api/x');
    expect(response.status).toBe(401);
    expect(apiCalls()).toHaveLength(2);
    expect(tokenCalls()).toHaveLength(1);
  });

  it.each<{ name: string; headers: Record<string, string> }>([
    { name: 'no WWW-Authenticate', headers: {} },
    { name: 'a bare Bearer challenge', headers: { 'WWW-Authenticate': 'Bearer realm="celonis"' } },
    { name: 'invalid_request', headers: { 'WWW-Authenticate': 'Bearer error="invalid_request"' } },
    { name: 'a Basic challenge', headers: { 'WWW-Authenticate': 'Basic realm="celonis"' } },
  ])('with $name: is returned without a refresh', async ({ headers }) => {
    const { auth, apiCalls, tokenCalls } = await withApi(() => new Response(null, { status: 401, headers }));
    expect((await auth.fetch('/intelligence/api/x')).status).toBe(401);
    expect(apiCalls()).toHaveLength(1);
    expect(tokenCalls()).toHaveLength(0);
  });

  it('from another origin: is returned without a refresh', async () => {
    const { auth, tokenCalls } = await withApi(invalidToken);
    expect((await auth.fetch('https://evil.example/x')).status).toBe(401);
    expect(tokenCalls()).toHaveLength(0);
  });

  it('with invalid_token and a rejected refresh token: rejects with session_expired and does not retry', async () => {
    let calls = 0;
    const client = await signedIn({ respond: (request) => (isTokenRequest(request) ? oauthError('invalid_grant') : (calls++, invalidToken())) });
    await expect(client.auth.fetch('/intelligence/api/x')).rejects.toMatchObject({ code: 'session_expired' });
    expect(calls).toBe(1);
  });

  it('from several concurrent calls leads to one refresh, and each call is retried with the new token', async () => {
    const first = deferred<void>();
    const { auth, apiCalls, tokenCalls } = await withApi(async (request) => {
      if (request.headers.get('Authorization') === 'Bearer access-1') {
        await first.promise;
        return invalidToken();
      }
      return json({ ok: true });
    });
    const calls = Promise.all([1, 2, 3].map((n) => auth.fetch(`/intelligence/api/${n}`)));
    await settle();
    first.resolve();
    const responses = await calls;
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(tokenCalls()).toHaveLength(1);
    expect(apiCalls().filter((r) => r.headers.get('Authorization') === 'Bearer access-2')).toHaveLength(3);
  });

  it('arriving after another call already renewed the token uses that token without refreshing again', async () => {
    const late = deferred<void>();
    const { auth, apiCalls, tokenCalls } = await withApi(async (request, i) => {
      if (request.headers.get('Authorization') !== 'Bearer access-1') return json({ ok: true });
      if (i === 0) await late.promise;
      return invalidToken();
    });
    const slow = auth.fetch('/intelligence/api/slow');
    await settle();
    expect((await auth.fetch('/intelligence/api/fast')).status).toBe(200);
    late.resolve();
    expect((await slow).status).toBe(200);
    expect(tokenCalls()).toHaveLength(1);
    expect(apiCalls()).toHaveLength(4);
  });
});

describe('insufficientScopeError', () => {
  it('turns a 403 insufficient_scope into a typed error naming the required scopes; the response is returned as is', async () => {
    const challenge = 'Bearer error="insufficient_scope", scope="audit.log:read", error_description="needs audit"';
    const { auth, tokenCalls } = await withApi(() => new Response('no', { status: 403, headers: { 'WWW-Authenticate': challenge } }));
    const response = await auth.fetch('/audit-log/api/events');
    expect(response.status).toBe(403);
    expect(tokenCalls()).toHaveLength(0);
    expect(insufficientScopeError(response)).toMatchObject({
      code: 'insufficient_scope',
      oauthError: 'insufficient_scope',
      status: 403,
      requiredScopes: ['audit.log:read'],
      oauthErrorDescription: 'needs audit',
    });
  });

  it('lists several required scopes', () => {
    const response = new Response(null, { status: 403, headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="studio  audit.log:read"' } });
    expect(insufficientScopeError(response)?.requiredScopes).toEqual(['studio', 'audit.log:read']);
  });

  it.each([
    { name: '200', response: () => json({ ok: true }) },
    { name: '401 invalid_token', response: invalidToken },
    {
      name: '401 insufficient_scope',
      response: () => new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' } }),
    },
    { name: '403 without a challenge', response: () => new Response(null, { status: 403 }) },
    { name: '403 with another error', response: () => new Response(null, { status: 403, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } }) },
    { name: '500', response: () => new Response(null, { status: 500 }) },
  ])('returns undefined for $name', ({ response }) => {
    expect(insufficientScopeError(response())).toBeUndefined();
  });
});
