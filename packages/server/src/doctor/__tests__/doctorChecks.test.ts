import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EMULATOR_CONFIG, startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { freePort } from '../../__tests__/testSupport.js';
import { runDoctorChecks } from '../doctorChecks.js';
import { judgeModes } from '../doctorModes.js';
import { doctorReport } from '../doctorReport.js';
import type { DoctorResults, Mark } from '../doctorTypes.js';
import {
  doctorContext,
  expectNothingLeaked,
  JWT_PATTERN,
  startEchoServer,
  startHtmlServer,
  startSilentServer,
  startTinyServer,
  type TinyServer,
} from './doctorSupport.js';

const DEV_ORIGIN = 'http://localhost:5173';
const FOREIGN_ORIGIN = 'https://portal.example.com';
const KM_READ = 'intelligence.knowledge-models:read';
// A confidential client that may authenticate only in the body: the doctor must fall back to it.
const POST_ONLY = {
  clientId: 'post-only',
  clientSecret: 'post-only-secret',
  grantTypes: ['authorization_code' as const],
  authMethods: ['client_secret_post' as const],
  redirectUris: ['http://localhost:5173/callback'],
};

let permissive: RunningEmulator;
let celonis: RunningEmulator;
let html: TinyServer;
let silent: TinyServer;
let echo: TinyServer;
let closedPortUrl: string;

beforeAll(async () => {
  [permissive, celonis, html, silent, echo] = await Promise.all([
    startEmulator({ config: { clients: [...DEFAULT_EMULATOR_CONFIG.clients, POST_ONLY] } }),
    startEmulator({ profile: 'celonis' }),
    startHtmlServer(),
    startSilentServer(),
    startEchoServer(),
  ]);
  closedPortUrl = `http://127.0.0.1:${await freePort()}`;
});
afterAll(() => Promise.all([permissive?.close(), celonis?.close(), html?.close(), silent?.close(), echo?.close()]));

type Outcomes = Record<keyof DoctorResults, string>;
type Modes = [direct: Mark, relay: Mark, bff: Mark, m2m: Mark];
interface Case {
  name: string;
  team: () => string;
  clientId: string;
  clientSecret?: string;
  origin?: string;
  scopes?: string[];
  timeoutMs?: number;
  outcomes: Outcomes;
  modes: Modes;
  /** Expected fields beyond the outcomes, e.g. the OAuth error or the method that authenticated. */
  extra?: Partial<Record<keyof DoctorResults, object>>;
}

const SKIPPED = { secret: 'not-checked', corsToken: 'not-checked', corsApi: 'not-checked', clientCredentials: 'not-checked' } as const;

const CASES: Case[] = [
  {
    name: 'permissive, public dashboard, dev origin: direct works, relay not checked',
    team: () => permissive.url,
    clientId: 'dashboard',
    origin: DEV_ORIGIN,
    outcomes: { publicClient: 'public', secret: 'not-checked', corsToken: 'allowed', corsApi: 'allowed', clientCredentials: 'not-checked' },
    modes: ['pass', 'unknown', 'unknown', 'unknown'],
    extra: { publicClient: { oauthError: 'invalid_grant' }, secret: { reason: 'not checked: set CELONIS_CLIENT_SECRET' } },
  },
  {
    name: 'permissive, confidential portal with its secret: relay and bff work, client credentials refused',
    team: () => permissive.url,
    clientId: 'portal',
    clientSecret: 'portal-secret',
    outcomes: { publicClient: 'confidential', secret: 'authenticates', corsToken: 'not-checked', corsApi: 'not-checked', clientCredentials: 'refused' },
    modes: ['fail', 'pass', 'pass', 'fail'],
    extra: {
      publicClient: { oauthError: 'invalid_client' },
      secret: { method: 'client_secret_basic' },
      clientCredentials: { oauthError: 'unauthorized_client' },
    },
  },
  {
    name: 'permissive, m2m with its secret and a scope: machine-to-machine works, no browser mode',
    team: () => permissive.url,
    clientId: 'm2m',
    clientSecret: 'm2m-secret',
    scopes: [KM_READ],
    outcomes: { publicClient: 'confidential', secret: 'no-code-grant', corsToken: 'not-checked', corsApi: 'not-checked', clientCredentials: 'granted' },
    modes: ['fail', 'fail', 'fail', 'pass'],
    extra: { secret: { oauthError: 'unauthorized_client' }, clientCredentials: { scopes: [KM_READ], expiresInSeconds: 899 } },
  },
  {
    name: 'permissive, m2m asking for a scope that does not exist: invalid_scope',
    team: () => permissive.url,
    clientId: 'm2m',
    clientSecret: 'm2m-secret',
    scopes: ['no.such:scope'],
    outcomes: { publicClient: 'confidential', secret: 'no-code-grant', corsToken: 'not-checked', corsApi: 'not-checked', clientCredentials: 'refused' },
    modes: ['fail', 'fail', 'fail', 'fail'],
    extra: { clientCredentials: { oauthError: 'invalid_scope' } },
  },
  {
    name: 'permissive, portal with a wrong secret: invalid_client by both methods',
    team: () => permissive.url,
    clientId: 'portal',
    clientSecret: 'not-the-portal-secret',
    outcomes: { publicClient: 'confidential', secret: 'refused', corsToken: 'not-checked', corsApi: 'not-checked', clientCredentials: 'refused' },
    modes: ['fail', 'fail', 'fail', 'fail'],
    extra: { secret: { oauthError: 'invalid_client' }, clientCredentials: { oauthError: 'invalid_client' } },
  },
  {
    name: 'permissive, a client that allows client_secret_post only: the doctor falls back to it',
    team: () => permissive.url,
    clientId: POST_ONLY.clientId,
    clientSecret: POST_ONLY.clientSecret,
    outcomes: { publicClient: 'confidential', secret: 'authenticates', corsToken: 'not-checked', corsApi: 'not-checked', clientCredentials: 'refused' },
    modes: ['fail', 'pass', 'pass', 'fail'],
    extra: { secret: { method: 'client_secret_post' } },
  },
  {
    name: 'permissive, dashboard from a foreign origin: CORS refused, so direct will not work',
    team: () => permissive.url,
    clientId: 'dashboard',
    origin: FOREIGN_ORIGIN,
    outcomes: { publicClient: 'public', secret: 'not-checked', corsToken: 'refused', corsApi: 'refused', clientCredentials: 'not-checked' },
    modes: ['fail', 'unknown', 'unknown', 'unknown'],
  },
  {
    name: 'celonis, dashboard from the dev origin: invalid_client and no CORS, so direct will not work',
    team: () => celonis.url,
    clientId: 'dashboard',
    origin: DEV_ORIGIN,
    outcomes: { publicClient: 'confidential', secret: 'not-checked', corsToken: 'refused', corsApi: 'refused', clientCredentials: 'not-checked' },
    modes: ['fail', 'unknown', 'unknown', 'unknown'],
    extra: { publicClient: { oauthError: 'invalid_client' } },
  },
  {
    name: 'celonis, portal with its secret: relay and bff work, direct does not',
    team: () => celonis.url,
    clientId: 'portal',
    clientSecret: 'portal-secret',
    origin: DEV_ORIGIN,
    outcomes: { publicClient: 'confidential', secret: 'authenticates', corsToken: 'refused', corsApi: 'refused', clientCredentials: 'refused' },
    modes: ['fail', 'pass', 'pass', 'fail'],
    extra: { secret: { method: 'client_secret_basic' } },
  },
  {
    name: 'celonis, m2m with its secret: machine-to-machine works',
    team: () => celonis.url,
    clientId: 'm2m',
    clientSecret: 'm2m-secret',
    outcomes: { publicClient: 'confidential', secret: 'no-code-grant', corsToken: 'not-checked', corsApi: 'not-checked', clientCredentials: 'granted' },
    modes: ['fail', 'fail', 'fail', 'pass'],
  },
  {
    name: 'a closed port: unreachable, said plainly, nothing else tried',
    team: () => closedPortUrl,
    clientId: 'portal',
    clientSecret: 'portal-secret',
    origin: DEV_ORIGIN,
    outcomes: { publicClient: 'unreachable', ...SKIPPED },
    modes: ['fail', 'unknown', 'unknown', 'unknown'],
    extra: {
      publicClient: { reason: expect.stringMatching(/^no answer from http:\/\/127\.0\.0\.1:\d+\/oauth2\/token: the connection was refused/) as unknown },
    },
  },
  {
    name: 'a web server answering HTML 404: not an OAuth answer, with the URL tried',
    team: () => html.url,
    clientId: 'portal',
    clientSecret: 'portal-secret',
    outcomes: { publicClient: 'not-oauth', ...SKIPPED },
    modes: ['fail', 'unknown', 'unknown', 'unknown'],
    extra: {
      publicClient: { reason: expect.stringMatching(/\/oauth2\/token answered HTTP 404 \(text\/html; charset=utf-8\), not an OAuth error/) as unknown },
    },
  },
  {
    name: 'a server that never answers: a timeout, bounded',
    team: () => silent.url,
    clientId: 'portal',
    timeoutMs: 300,
    outcomes: { publicClient: 'unreachable', ...SKIPPED },
    modes: ['fail', 'unknown', 'unknown', 'unknown'],
    extra: { publicClient: { reason: expect.stringMatching(/no answer within 0\.3 s$/) as unknown } },
  },
  {
    name: 'a token endpoint quoting the credentials back: its description shown as text, the secret redacted',
    team: () => echo.url,
    clientId: 'portal',
    clientSecret: 'echoed-back-by-a-hostile-server-9d1e',
    outcomes: { publicClient: 'unexpected', secret: 'unexpected', corsToken: 'not-checked', corsApi: 'not-checked', clientCredentials: 'unexpected' },
    modes: ['unknown', 'unknown', 'unknown', 'unknown'],
    extra: {
      secret: {
        oauthError: 'invalid_request',
        reason: expect.stringMatching(/^[^\p{Cc}]*refused portal:\[redacted\] grant_type=authorization_code/u) as unknown,
      },
    },
  },
];

it('the leak checks would see a real token: an m2m token from the emulator has the JWT shape they look for', async () => {
  const { ctx, tokens } = doctorContext(permissive.url, { clientId: 'm2m', clientSecret: 'm2m-secret' });
  await runDoctorChecks(ctx);
  expect(tokens).toHaveLength(1);
  expect(tokens[0]).toMatch(JWT_PATTERN);
});

describe('doctor checks against real servers', () => {
  it.each(CASES)('$name', async (c) => {
    const { ctx, tokens } = doctorContext(c.team(), c);
    const results = await runDoctorChecks(ctx);
    const outcomes = Object.fromEntries(Object.entries(results).map(([key, result]) => [key, result.outcome]));
    expect(outcomes).toEqual(c.outcomes);
    for (const [key, fields] of Object.entries(c.extra ?? {})) expect(results[key as keyof DoctorResults]).toMatchObject(fields);
    expect(judgeModes(results).map((m) => m.mark)).toEqual(c.modes);
    if (c.outcomes.clientCredentials === 'granted') expect(tokens.length).toBeGreaterThan(0);
    expectNothingLeaked(doctorReport(ctx, results).text + JSON.stringify(results), c.clientId, c.clientSecret, tokens);
  });
});

describe('a hostile token endpoint', () => {
  const ACCESS = 'eyJhostile-access-token.payload-part.sig';
  const REFRESH = 'hostile-refresh-token-1234567890';
  const HOSTILE_SCOPE = [
    KM_READ,
    '\u001b[2J\u001b[31mred',
    '\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007',
    ACCESS,
    REFRESH,
    `x${ACCESS}`,
    'a'.repeat(101),
    'quote"d',
    ...Array.from({ length: 60 }, (_, i) => `s${i}`),
  ].join(' ');
  let hostile: TinyServer;
  beforeAll(async () => {
    hostile = await startTinyServer((req, res, body) => {
      const authenticated = (req.headers.authorization ?? '').startsWith('Basic ') || body.includes('client_secret=');
      if (!authenticated) {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        return void res.end(JSON.stringify({ error: 'invalid_client', error_description: 'client authentication failed' }));
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ access_token: ACCESS, refresh_token: REFRESH, token_type: 'Bearer', expires_in: 3600, scope: HOSTILE_SCOPE }));
    });
  });
  afterAll(() => hostile?.close());

  it('prints only plain RFC 6749 scope tokens of its scope: no terminal escapes, no OSC 8 link, no token, at most 50', async () => {
    const { ctx } = doctorContext(hostile.url, { clientId: 'm2m', clientSecret: 'm2m-secret', scopes: [KM_READ] });
    const results = await runDoctorChecks(ctx);
    expect(results.clientCredentials.outcome).toBe('granted');
    const granted = results.clientCredentials as { scopes?: string[] };
    expect(granted.scopes?.[0]).toBe(KM_READ);
    expect(granted.scopes).toHaveLength(50);
    for (const scope of granted.scopes ?? []) expect(scope).toMatch(/^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/);
    const output = doctorReport(ctx, results).text + JSON.stringify(results);
    expect(output).not.toContain('\u001b');
    expect(output).not.toContain('\u0007');
    expect(output).not.toContain('evil.example');
    expect(output).not.toContain(ACCESS);
    expect(output).not.toContain(REFRESH);
    expect(output).not.toContain('a'.repeat(101));
  });
});
