import { SignJWT, UnsecuredJWT, decodeJwt, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { SAMPLE_APIS, startEmulator } from '@celonis-auth/emulator';
import { ANALYST, authorize, callApi, clientCredentials, json, useEmulator } from './flows.js';

const emulator = useEmulator();
const ME = '/api/me';
const AUDIT = '/audit-log/api/events';

describe('sample APIs with the right token', () => {
  it.each(SAMPLE_APIS.map((api) => ({ ...api, label: api.scope ?? 'any valid token' })))('GET $path answers 200 JSON with $label', async ({ path, scope }) => {
    const em = emulator();
    const token = (await clientCredentials(em, scope ?? 'studio')).access_token;
    const response = await callApi(em, path, token);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual(expect.any(Object));
  });

  it('tells who the token belongs to on /api/me', async () => {
    const em = emulator();
    const tokens = await authorize(em, { user: ANALYST.username, scope: 'studio' });
    const me = await json<Record<string, unknown>>(await callApi(em, ME, tokens.access_token));
    expect(me).toEqual({
      sub: ANALYST.username,
      name: 'Ada Analyst',
      clientId: 'dashboard',
      scopes: ['studio'],
      expiresAt: new Date(decodeJwt(tokens.access_token).exp! * 1000).toISOString(),
    });
  });

  it('accepts the Bearer scheme name in any case (RFC 7235)', async () => {
    const em = emulator();
    const token = (await clientCredentials(em)).access_token;
    const response = await fetch(`${em.url}${ME}`, { headers: { Authorization: `bearer ${token}` } });
    expect(response.status).toBe(200);
  });
});

describe('sample APIs without a usable token (RFC 6750 §3)', () => {
  it.each<{ name: string; headers: Record<string, string>; description: string }>([
    { name: 'no Authorization header', headers: {}, description: 'An access token is required' },
    {
      name: 'the AppKey scheme of the static keys',
      headers: { Authorization: 'AppKey some-application-key' },
      description: 'Only Bearer access tokens are accepted',
    },
    {
      name: 'the Basic scheme',
      headers: { Authorization: `Basic ${Buffer.from('m2m:m2m-secret').toString('base64')}` },
      description: 'Only Bearer access tokens are accepted',
    },
    { name: 'a scheme that only starts with Bearer', headers: { Authorization: 'Bearerx abc' }, description: 'Only Bearer access tokens are accepted' },
  ])('challenge a request with $name with a bare 401: no error code in the challenge or the body', async ({ headers, description }) => {
    const em = emulator();
    const response = await callApi(em, AUDIT, undefined, headers);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="celonis-emulator"');
    expect(await response.json()).toEqual({ error_description: description });
    expect(em.requests('api')).toEqual([expect.not.objectContaining({ error: expect.anything() })]);
  });

  it('ignore an access token in the query string', async () => {
    const em = emulator();
    const token = (await clientCredentials(em, 'audit.log:read')).access_token;
    const response = await fetch(`${em.url}${AUDIT}?access_token=${encodeURIComponent(token)}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="celonis-emulator"');
    expect(await response.json()).not.toHaveProperty('error');
  });

  const invalidTokens: { name: string; authorization: () => Promise<string>; description: string }[] = [
    { name: 'a garbage token', authorization: async () => 'Bearer not-a-jwt', description: 'malformed' },
    { name: 'three garbage segments', authorization: async () => 'Bearer aaa.bbb.ccc', description: 'malformed' },
    { name: 'an empty Bearer', authorization: async () => 'Bearer ', description: 'Only Bearer' },
    { name: 'two tokens', authorization: async () => 'Bearer a b', description: 'Only Bearer' },
    { name: 'an unsigned (alg none) token', authorization: async () => `Bearer ${await unsignedToken()}`, description: 'malformed' },
    { name: 'a token signed with HS256', authorization: async () => `Bearer ${await hmacToken()}`, description: 'malformed' },
    {
      name: 'a forged token signed with another ES384 key and the emulator’s kid',
      authorization: async () => `Bearer ${await forgedToken()}`,
      description: 'signature',
    },
    { name: 'a real token whose payload was edited to add a scope', authorization: async () => `Bearer ${await tamperedToken()}`, description: 'signature' },
    { name: 'a token from another emulator', authorization: async () => `Bearer ${await foreignToken()}`, description: 'signature' },
  ];

  it.each(invalidTokens)('answer $name with 401 error="invalid_token"', async ({ authorization, description }) => {
    const em = emulator();
    const response = await callApi(em, ME, undefined, { Authorization: await authorization() });
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate')!;
    expect(challenge).toMatch(/^Bearer realm="celonis-emulator", error="invalid_token", error_description="[^"]+"$/);
    expect(challenge).toContain(description);
    expect(await response.json()).toMatchObject({ error: 'invalid_token' });
    expect(em.requests('api')).toMatchObject([{ status: 401, error: 'invalid_token' }]);
  });

  it('refuse an access token once it expired (899 s)', async () => {
    const em = emulator();
    const token = (await clientCredentials(em)).access_token;
    // iat and exp are whole seconds: one second of margin on each side keeps this exact whatever the millisecond.
    em.advanceClock(897);
    expect((await callApi(em, ME, token)).status).toBe(200);
    em.advanceClock(3);
    const response = await callApi(em, ME, token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token", error_description="The access token expired"');
  });

  it('refuse a token issued 900 s ago', async () => {
    const em = emulator();
    const token = (await clientCredentials(em)).access_token;
    em.advanceClock(900);
    const response = await callApi(em, ME, token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('answer a valid token without the scope with 403 insufficient_scope naming the scope', async () => {
    const em = emulator();
    const token = (await clientCredentials(em, 'studio')).access_token;
    const response = await callApi(em, AUDIT, token);
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="celonis-emulator", error="insufficient_scope", error_description="This API needs the audit.log:read scope", scope="audit.log:read"',
    );
    expect(await response.json()).toMatchObject({ error: 'insufficient_scope', scope: 'audit.log:read' });
    expect(em.requests('api')).toMatchObject([{ status: 403, error: 'insufficient_scope', clientId: 'm2m' }]);
  });

  it.each(SAMPLE_APIS.filter((api) => api.scope !== null))('guard $path with its scope only', async ({ path, scope }) => {
    const em = emulator();
    const others = SAMPLE_APIS.map((api) => api.scope).filter((s): s is string => s !== null && s !== scope);
    const token = (await clientCredentials(em, others.join(' '))).access_token;
    const response = await callApi(em, path, token);
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain(`scope="${scope}"`);
  });

  it('answer other methods with a JSON 404', async () => {
    const em = emulator();
    const response = await fetch(`${em.url}${ME}`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });
});

function claimsFor(issuer: string) {
  const now = Math.floor(Date.now() / 1000);
  return {
    aud: ['m2m', new URL(issuer).host],
    azp: 'm2m',
    scope: ['audit.log:read'],
    sub: 'm2m',
    jti: 'forged',
    iss: issuer,
    iat: now,
    nbf: now,
    exp: now + 899,
  };
}

async function unsignedToken(): Promise<string> {
  return new UnsecuredJWT(claimsFor(emulator().url)).encode();
}

async function hmacToken(): Promise<string> {
  return new SignJWT(claimsFor(emulator().url))
    .setProtectedHeader({ alg: 'HS256', kid: 'celonis-emulator-es384' })
    .sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!'));
}

async function forgedToken(): Promise<string> {
  const { privateKey } = await generateKeyPair('ES384');
  return new SignJWT(claimsFor(emulator().url)).setProtectedHeader({ alg: 'ES384', kid: 'celonis-emulator-es384' }).sign(privateKey);
}

async function tamperedToken(): Promise<string> {
  const token = (await clientCredentials(emulator(), 'studio')).access_token;
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { scope: string[] };
  claims.scope.push('audit.log:read');
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

async function foreignToken(): Promise<string> {
  const other = await startEmulator();
  try {
    return (await clientCredentials(other)).access_token;
  } finally {
    await other.close();
  }
}
