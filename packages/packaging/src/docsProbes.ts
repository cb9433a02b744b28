import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_EMULATOR_CONFIG, startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { expect } from 'vitest';
import { cookieJar } from '@celonis-auth/test-utils';

/** The portal's origin in the server examples (the dashboard's dev server): their `allowedOrigins`, and `PORTAL_ORIGIN` where they read it. */
export const PORTAL_ORIGIN = 'http://localhost:5173';

/** One request's bound: a probe of a hung server fails, it does not wait for the test's timeout. */
const REQUEST_TIMEOUT_MS = 10_000;

/** A check, over HTTP, that a running server block does what its section says. */
export interface ServerProbe {
  name: string;
  /** Resolves when the server at `base` (`http://127.0.0.1:<port>`) did its part; throws the failed expectation. */
  probe: (base: string, emulator: RunningEmulator) => Promise<void>;
}

/**
 * The emulator the run blocks get: the `celonis` profile (every token request must carry the
 * client's secret, as on a real team), with the seeded clients; the confidential `portal` also
 * registers `${PORTAL_ORIGIN}/auth/callback`, the BFF's default callback (the deployment guide's).
 */
export function startDocsEmulator(): Promise<RunningEmulator> {
  const clients = DEFAULT_EMULATOR_CONFIG.clients.map((client) =>
    client.clientId === 'portal' ? { ...client, redirectUris: [...(client.redirectUris ?? []), `${PORTAL_ORIGIN}/auth/callback`] } : client,
  );
  return startEmulator({ profile: 'celonis', config: { clients } });
}

/** What a server block serves decides its probes: the factories it calls. A block that calls none has nothing to probe (the caller refuses it). */
export function probesFor(code: string): ServerProbe[] {
  return [
    ...(code.includes('createTokenRelay(') ? [relayProbe] : []),
    ...(code.includes('createCelonisApiProxy(') ? [apiProxyProbe] : []),
    ...(code.includes('createCelonisBff(') ? [bffProbe] : []),
  ];
}

/** The relay exchanges a code the emulator issued to `portal` (PKCE), adding the secret the browser never has. */
const relayProbe: ServerProbe = {
  name: 'token relay: a code exchange from the portal origin',
  async probe(base, emulator) {
    const verifier = randomBytes(32).toString('base64url');
    const redirectUri = `${PORTAL_ORIGIN}/callback`;
    const authorize = new URL(`${emulator.url}/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'portal',
      redirect_uri: redirectUri,
      scope: 'studio',
      state: 'docs',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const code = new URL(emulator.approve(authorize)).searchParams.get('code') ?? '';
    const res = await send(`${base}/api/celonis/token`, {
      method: 'POST',
      headers: { Origin: PORTAL_ORIGIN },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, client_id: 'portal' }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const tokens = (await res.json()) as Record<string, unknown>;
    expect([tokens.token_type, typeof tokens.access_token, typeof tokens.refresh_token]).toEqual(['Bearer', 'string', 'string']);
    // The emulator's celonis profile takes no code exchange without the secret: the relay added it.
    const exchange = emulator.requests('token').at(-1);
    expect([exchange?.grantType, exchange?.clientAuth]).toEqual(['authorization_code', 'client_secret_basic']);
  },
};

/** The proxy forwards a call with a Bearer token (a client-credentials one from the emulator) to a sample API. */
const apiProxyProbe: ServerProbe = {
  name: 'API proxy: a Bearer call to /celonis/intelligence/api/knowledge-models',
  async probe(base, emulator) {
    const grant = await send(`${emulator.url}/oauth2/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('m2m:m2m-secret').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'intelligence.knowledge-models:read' }),
    });
    const { access_token } = (await grant.json()) as { access_token: string };
    const res = await send(`${base}/celonis/intelligence/api/knowledge-models`, { headers: { Authorization: `Bearer ${access_token}` } });
    expect(res.status, await res.clone().text()).toBe(200);
    const { content } = (await res.json()) as { content: { id: string }[] };
    expect(content.map((model) => model.id)).toContain('km-o2c');
  },
};

/** The BFF: signed out at first, then a whole sign-in (login, the emulator's approval, the callback), its session, and a proxied call. */
const bffProbe: ServerProbe = {
  name: 'BFF: /auth/session, a sign-in through the emulator, a proxied call',
  async probe(base, emulator) {
    const jar = cookieJar();
    const get = async (path: string, headers: Record<string, string> = {}) => {
      const res = await send(`${base}${path}`, { headers: { ...headers, Cookie: jar.header() } });
      jar.take(res);
      return res;
    };
    expect(await (await get('/auth/session')).json()).toEqual({ status: 'signedOut', scopes: [], expiresAt: null });
    const login = await get('/auth/login');
    expect(login.status).toBe(302);
    const authorize = login.headers.get('location') ?? '';
    expect(authorize.startsWith(`${emulator.url}/oauth2/authorize?`), authorize).toBe(true);
    const callback = new URL(emulator.approve(authorize, { username: 'analyst@example.com' }));
    const done = await get(`${callback.pathname}${callback.search}`);
    expect({ status: done.status, location: done.headers.get('location') }, await done.clone().text()).toEqual({ status: 302, location: '/' });
    const session = (await (await get('/auth/session')).json()) as { status: string; scopes: string[] };
    expect([session.status, session.scopes.includes('studio')]).toEqual(['authenticated', true]);
    // As auth.fetch of @celonis-auth/core/bff sends it from the portal's page.
    const me = await get('/celonis/api/me', { 'X-Celonis-Auth': '1', Origin: PORTAL_ORIGIN, 'Sec-Fetch-Site': 'same-origin' });
    expect(me.status, await me.clone().text()).toBe(200);
    expect(await me.json()).toMatchObject({ sub: 'analyst@example.com', clientId: 'portal' });
  },
};

/** `fetch` without following redirects, bounded by {@link REQUEST_TIMEOUT_MS}. */
function send(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
}
