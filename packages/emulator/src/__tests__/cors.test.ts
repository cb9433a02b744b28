import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { M2M, clientCredentials, multipart, postToken, useEmulator } from './flows.js';

const emulator = useEmulator();
const DASHBOARD = 'http://localhost:5173';

function preflight(em: RunningEmulator, path: string, origin: string): Promise<Response> {
  return fetch(`${em.url}${path}`, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
  });
}

function exposed(response: Response): string[] {
  return (response.headers.get('access-control-expose-headers') ?? '').split(',').map((h) => h.trim().toLowerCase());
}

describe('CORS for the browser dashboard', () => {
  it.each(['/oauth2/token', '/api/me', '/audit-log/api/events', '/oauth2/jwks'])('answers a preflight on %s from http://localhost:5173', async (path) => {
    const response = await preflight(emulator(), path, DASHBOARD);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = response.headers.get('access-control-allow-headers')!.toLowerCase().split(',');
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type']));
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it('allows http://127.0.0.1:5173 too', async () => {
    const response = await preflight(emulator(), '/oauth2/token', 'http://127.0.0.1:5173');
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
  });

  it.each(['https://evil.example', 'http://localhost:5174', 'null'])('gives no Access-Control-Allow-Origin to the unlisted origin %s', async (origin) => {
    const em = emulator();
    expect((await preflight(em, '/oauth2/token', origin)).headers.get('access-control-allow-origin')).toBeNull();
    const token = await postToken(em, multipart({ client_id: M2M.clientId, client_secret: M2M.secret, grant_type: 'client_credentials' }), { Origin: origin });
    expect(token.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('exposes Retry-After and WWW-Authenticate on a token response', async () => {
    const response = await postToken(emulator(), multipart({ client_id: M2M.clientId, client_secret: M2M.secret, grant_type: 'client_credentials' }), {
      Origin: DASHBOARD,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(exposed(response)).toEqual(expect.arrayContaining(['retry-after', 'www-authenticate']));
  });

  it('lets the browser read a token error: 401 invalid_client carries the CORS headers', async () => {
    const response = await postToken(emulator(), multipart({ client_id: M2M.clientId, client_secret: 'wrong', grant_type: 'client_credentials' }), {
      Origin: DASHBOARD,
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(exposed(response)).toContain('www-authenticate');
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it('lets the browser read an API challenge: 401 and 403 carry the CORS headers', async () => {
    const em = emulator();
    const unauthenticated = await fetch(`${em.url}/audit-log/api/events`, { headers: { Origin: DASHBOARD } });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    const token = (await clientCredentials(em, 'studio')).access_token;
    const forbidden = await fetch(`${em.url}/audit-log/api/events`, { headers: { Origin: DASHBOARD, Authorization: `Bearer ${token}` } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(exposed(forbidden)).toContain('www-authenticate');
  });

  it('lets the browser read Retry-After of an injected 429', async () => {
    const em = emulator();
    em.injectFault({ endpoint: 'token', fault: { kind: 'status', status: 429, retryAfterSeconds: 7 } });
    const response = await postToken(em, multipart({ client_id: M2M.clientId, client_secret: M2M.secret, grant_type: 'client_credentials' }), {
      Origin: DASHBOARD,
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(exposed(response)).toContain('retry-after');
  });

  it('does not add CORS headers to the authorize page, which is a navigation', async () => {
    const response = await fetch(`${emulator().url}/oauth2/authorize?client_id=dashboard`, { headers: { Origin: DASHBOARD } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS with configured corsOrigins', () => {
  let custom: RunningEmulator;
  beforeAll(async () => {
    custom = await startEmulator({ config: { corsOrigins: ['https://portal.example.com', 'http://localhost:3000/'] } });
  });
  afterAll(() => custom.close());

  it('allows the configured origins', async () => {
    expect((await preflight(custom, '/oauth2/token', 'https://portal.example.com')).headers.get('access-control-allow-origin')).toBe(
      'https://portal.example.com',
    );
    // A trailing slash in the configuration is normalised to the bare origin the browser sends.
    expect((await preflight(custom, '/oauth2/token', 'http://localhost:3000')).headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
  });

  it('no longer allows the default dashboard origins', async () => {
    expect((await preflight(custom, '/oauth2/token', DASHBOARD)).headers.get('access-control-allow-origin')).toBeNull();
  });
});
