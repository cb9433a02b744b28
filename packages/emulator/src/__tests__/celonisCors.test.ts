/**
 * CORS in the `celonis` profile, as tables: no `Access-Control-*` header on any answer of the token
 * endpoint, the keys or the sample APIs, whatever the origin and whatever the answer, and every
 * preflight there refused with 403 invalid_request; the same requests in `permissive` as today.
 */
import { describe, expect, it } from 'vitest';
import { SAMPLE_APIS, type RunningEmulator } from '@celonis-auth/emulator';
import { M2M, clientCredentials, expectOAuthError, multipart, postToken, useEmulator } from './flows.js';

const celonis = useEmulator({ profile: 'celonis' });
const permissive = useEmulator();

/** Allowed by the permissive profile's seeded corsOrigins. */
const DEV_ORIGIN = 'http://localhost:5173';
const FOREIGN_ORIGIN = 'https://portal.example.com';
const ORIGINS = [DEV_ORIGIN, FOREIGN_ORIGIN];
const PREFLIGHT_REFUSAL =
  'CORS is off in the celonis profile (Celonis documents none): call the token endpoint and the APIs from your server, ' +
  'or through the token relay and the API proxy on your own origin';
const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-max-age',
];

/** Every token scope the sample APIs need, so each API answers 200. */
const ALL_API_SCOPES = SAMPLE_APIS.flatMap((api) => (api.scope ? [api.scope] : [])).join(' ');

/** A request a browser page would send from `origin`; the token is made first where one is needed. */
interface CorsCall {
  name: string;
  status: number;
  send: (em: RunningEmulator, origin: string) => Promise<Response>;
}

const m2mForm = (secret: string) => multipart({ client_id: M2M.clientId, client_secret: secret, grant_type: 'client_credentials' });

const calls: CorsCall[] = [
  { name: 'POST /oauth2/token (a token)', status: 200, send: (em, origin) => postToken(em, m2mForm(M2M.secret), { Origin: origin }) },
  { name: 'POST /oauth2/token (401 invalid_client)', status: 401, send: (em, origin) => postToken(em, m2mForm('wrong'), { Origin: origin }) },
  { name: 'GET /oauth2/jwks', status: 200, send: (em, origin) => fetch(`${em.url}/oauth2/jwks`, { headers: { Origin: origin } }) },
  ...SAMPLE_APIS.flatMap((api): CorsCall[] => [
    {
      name: `GET ${api.path} (200)`,
      status: 200,
      send: async (em, origin) => {
        const token = (await clientCredentials(em, ALL_API_SCOPES)).access_token;
        return fetch(`${em.url}${api.path}`, { headers: { Origin: origin, Authorization: `Bearer ${token}` } });
      },
    },
    { name: `GET ${api.path} (401 without a token)`, status: 401, send: (em, origin) => fetch(`${em.url}${api.path}`, { headers: { Origin: origin } }) },
  ]),
];

const PREFLIGHT_PATHS = ['/oauth2/token', '/oauth2/jwks', ...SAMPLE_APIS.map((api) => api.path)];

function preflight(em: RunningEmulator, path: string, origin: string, method = 'POST'): Promise<Response> {
  return fetch(`${em.url}${path}`, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'authorization, content-type' },
  });
}

function corsHeaders(response: Response): string[] {
  return [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));
}

const byOrigin = <T extends { name: string }>(rows: T[]) => rows.flatMap((row) => ORIGINS.map((origin): [string, string, T] => [row.name, origin, row]));

describe('the celonis profile answers no CORS', () => {
  it.each(byOrigin(calls))('%s from %s: no Access-Control-* header', async (_, origin, { send, status }) => {
    const response = await send(celonis(), origin);
    expect(response.status).toBe(status);
    expect(corsHeaders(response)).toEqual([]);
  });

  it.each(PREFLIGHT_PATHS.flatMap((path) => ORIGINS.flatMap((origin) => ['POST', 'GET'].map((method): [string, string, string] => [path, origin, method]))))(
    'refuses a preflight on %s from %s for %s: 403 invalid_request, no Access-Control-* header',
    async (path, origin, method) => {
      const response = await preflight(celonis(), path, origin, method);
      const body = await expectOAuthError(response, 403, 'invalid_request');
      expect(body.error_description).toBe(PREFLIGHT_REFUSAL);
      expect(corsHeaders(response)).toEqual([]);
    },
  );

  it.each(CORS_HEADERS)('sends no %s on a preflight or a token response from the dev origin', async (header) => {
    const em = celonis();
    expect((await preflight(em, '/oauth2/token', DEV_ORIGIN)).headers.get(header)).toBeNull();
    expect((await postToken(em, m2mForm(M2M.secret), { Origin: DEV_ORIGIN })).headers.get(header)).toBeNull();
  });

  it('logs a refused preflight, and it spends nothing', async () => {
    const em = celonis();
    await preflight(em, '/oauth2/token', DEV_ORIGIN);
    expect(em.requests('token')).toEqual([expect.objectContaining({ method: 'OPTIONS', status: 403, error: 'invalid_request', origin: DEV_ORIGIN })]);
  });

  it('has no CORS origins in the configuration in force, though the seed lists two', () => {
    expect(celonis().config.corsOrigins).toEqual([]);
    expect(permissive().config.corsOrigins).toEqual([DEV_ORIGIN, 'http://127.0.0.1:5173']);
  });
});

describe('the permissive profile still answers CORS as before', () => {
  it.each(calls.map((call): [string, CorsCall] => [call.name, call]))(
    '%s from the dev origin: allowed, exposing the challenge headers',
    async (_, { send, status }) => {
      const response = await send(permissive(), DEV_ORIGIN);
      expect(response.status).toBe(status);
      expect(response.headers.get('access-control-allow-origin')).toBe(DEV_ORIGIN);
      expect(response.headers.get('access-control-expose-headers')).toBe('Retry-After,WWW-Authenticate');
    },
  );

  it.each(calls.map((call): [string, CorsCall] => [call.name, call]))(
    '%s from a foreign origin: no Access-Control-Allow-Origin',
    async (_, { send, status }) => {
      const response = await send(permissive(), FOREIGN_ORIGIN);
      expect(response.status).toBe(status);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    },
  );

  it.each(PREFLIGHT_PATHS)('answers a preflight on %s: 204, allowing the dev origin only', async (path) => {
    const allowed = await preflight(permissive(), path, DEV_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(DEV_ORIGIN);
    expect(allowed.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS');
    expect(allowed.headers.get('access-control-max-age')).toBe('600');
    const foreign = await preflight(permissive(), path, FOREIGN_ORIGIN);
    expect(foreign.status).toBe(204);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('routes that never answer CORS, in either profile', () => {
  it.each([
    ['celonis', celonis],
    ['permissive', permissive],
  ] as const)('%s: a preflight on the authorize page is not approved', async (_, emulator) => {
    const response = await preflight(emulator(), '/oauth2/authorize', DEV_ORIGIN);
    expect(response.status).toBe(404);
    expect(corsHeaders(response)).toEqual([]);
  });
});
