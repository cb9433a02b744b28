import { describe, expect, it } from 'vitest';
import { SAMPLE_APIS } from '@celonis-auth/emulator';
import { OTHER_REDIRECT_URI, REDIRECT_URI, authorize, callApi, clientCredentials, useEmulator } from './flows.js';

/**
 * Seeded random and malformed requests against every public endpoint. The seed is fixed so a
 * failure reproduces; set EMULATOR_FUZZ_SEED to explore others. The value pools never contain a
 * real secret or password, so no request can succeed: every answer must be a well-formed error.
 */
const SEED = Number(process.env.EMULATOR_FUZZ_SEED ?? 0xc3_10_a1_5);
const REQUESTS = 300;
const MAX_VALUE = 64 * 1024;

const emulator = useEmulator();

/** mulberry32: a tiny seeded PRNG with uniform output in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Target = 'token' | 'authorize' | 'api';

interface FuzzRequest {
  target: Target;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array<ArrayBuffer> | FormData | URLSearchParams | undefined;
  summary: string;
}

class Fuzzer {
  readonly #random: () => number;
  constructor(seed: number) {
    this.#random = mulberry32(seed);
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.#random() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.#random() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  bytes(length: number): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 1) out[i] = this.int(0, 255);
    return out;
  }

  /** Printable ASCII only: what fetch and Node accept in a header value. */
  ascii(length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += String.fromCharCode(this.int(0x20, 0x7e));
    return out;
  }

  unicode(length: number): string {
    const pieces = ['é', 'ß', '中', '😀', '\u202e', '\u0000', '\ud800', '\udfff', '\ufeff', '"', '<', '>', '&', '%', '+', '=', ' ', '\n', '\r', '\t', ':', ';'];
    let out = '';
    while (out.length < length) out += this.chance(0.5) ? this.pick(pieces) : String.fromCodePoint(this.int(0x20, 0x2fff));
    return out;
  }

  /** A parameter value: plausible, random, unicode, or huge. */
  value(maxLength: number): string {
    const plausible = [
      'm2m',
      'portal',
      'dashboard',
      'nobody',
      'client_credentials',
      'authorization_code',
      'refresh_token',
      'password',
      'code',
      'token',
      'studio',
      'audit.log:read',
      'studio audit.log:read',
      'studio  studio',
      'S256',
      'plain',
      'approve',
      'deny',
      'analyst@example.com',
      'viewer@example.com',
      'wrong-password',
      'wrong-secret',
      REDIRECT_URI,
      OTHER_REDIRECT_URI,
      'https://evil.example/cb',
      'javascript:alert(1)',
      '"><script>alert(1)</script>',
      'a'.repeat(43),
      '',
      ' ',
      '%00',
      '../../etc/passwd',
    ];
    switch (this.int(0, 4)) {
      case 0:
      case 1:
        return this.pick(plausible);
      case 2:
        return this.ascii(this.int(0, 64));
      case 3:
        return this.unicode(this.int(1, 64));
      default:
        return this.ascii(this.int(1, maxLength));
    }
  }

  /**
   * Parameters of a plausible request for `target` (so the fuzz gets past the first checks),
   * then mutated: a value replaced, a parameter dropped, repeated or added.
   */
  mutated(target: Target, maxLength: number): [string, string][] {
    const client = this.pick(['dashboard', 'portal']);
    const plausible: [string, string][] =
      target === 'authorize'
        ? [
            ['response_type', 'code'],
            ['client_id', client],
            ['redirect_uri', this.pick([REDIRECT_URI, OTHER_REDIRECT_URI])],
            ['scope', 'studio'],
            ['state', this.ascii(16)],
            ['code_challenge', 'A'.repeat(43)],
            ['code_challenge_method', 'S256'],
          ]
        : [
            ['grant_type', this.pick(['authorization_code', 'refresh_token', 'client_credentials'])],
            ['client_id', client],
            ['code', this.ascii(43)],
            ['redirect_uri', REDIRECT_URI],
            ['code_verifier', 'v'.repeat(43)],
            ['refresh_token', this.ascii(43)],
          ];
    if (target === 'authorize' && this.chance(0.7))
      plausible.push(
        ['username', this.pick(['analyst@example.com', 'viewer@example.com', ''])],
        ['password', 'wrong-password'],
        ['decision', this.pick(['approve', 'deny', 'maybe'])],
      );
    const mutations = this.int(0, 3);
    for (let i = 0; i < mutations; i += 1) {
      const at = this.int(0, plausible.length - 1);
      switch (this.int(0, 3)) {
        case 0:
          plausible[at] = [plausible[at]![0], this.value(maxLength)];
          break;
        case 1:
          plausible.splice(at, 1);
          break;
        case 2:
          plausible.push(plausible[at]!);
          break;
        default:
          plausible.push(...this.params(maxLength).slice(0, 2));
      }
    }
    return plausible;
  }

  /** Request parameters, sometimes repeated, with names real and made up. */
  params(maxLength: number): [string, string][] {
    const names = [
      'grant_type',
      'client_id',
      'client_secret',
      'code',
      'redirect_uri',
      'code_verifier',
      'refresh_token',
      'scope',
      'state',
      'response_type',
      'code_challenge',
      'code_challenge_method',
      'username',
      'password',
      'decision',
      'access_token',
      '__proto__',
      'constructor',
      'scope[]',
      'a.b.c',
    ];
    const out: [string, string][] = [];
    const count = this.int(0, 10);
    for (let i = 0; i < count; i += 1) out.push([this.chance(0.9) ? this.pick(names) : this.unicode(this.int(1, 12)), this.value(maxLength)]);
    if (out.length > 0 && this.chance(0.25)) out.push(this.pick(out));
    return out;
  }

  authorization(): string | undefined {
    const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
    switch (this.int(0, 11)) {
      case 0:
      case 1:
        return undefined;
      case 2:
        return `Basic ${b64(`${this.value(32)}:${this.value(32)}`)}`;
      case 3:
        return `Basic ${b64('m2m:wrong-secret')}`;
      case 4:
        return `Basic ${this.pick(['', '=', '===', 'a', '!!!!', 'YQ', 'YTpi=', 'Og==', `${b64('x:y')}===`, b64(':'), b64('🙂:🙂')])}`;
      case 5:
        return `Basic ${Buffer.from(this.bytes(this.int(1, 64))).toString('base64')}`;
      case 6:
        return `Bearer ${this.ascii(this.int(0, 200)).replace(/\s/g, '')}`;
      case 7: {
        const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
        return `Bearer ${part({ alg: this.pick(['ES384', 'none', 'HS256', 'RS256']), kid: 'celonis-emulator-es384' })}.${part({ scope: ['audit.log:read'], exp: 9_999_999_999 })}.${this.ascii(20).replace(/[^A-Za-z0-9]/g, 'x')}`;
      }
      case 8:
        return this.pick(['Bearer', 'Basic', 'Digest username="x"', 'AppKey abc', 'bearer  a b', 'Negotiate YII=']);
      case 9:
        return `Basic ${b64(this.ascii(this.int(1000, 4000)))}`;
      default:
        return this.ascii(this.int(1, 120)).trim() || 'x';
    }
  }

  /** A multipart body written by hand, then broken in one of several ways. */
  brokenMultipart(params: [string, string][]): { body: string | Uint8Array<ArrayBuffer>; contentType: string } {
    const boundary = `----fuzz${this.int(0, 1e6)}`;
    const parts = params.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('');
    const whole = `${parts}--${boundary}--\r\n`;
    switch (this.int(0, 5)) {
      case 0:
        return { body: whole.slice(0, this.int(0, whole.length)), contentType: `multipart/form-data; boundary=${boundary}` };
      case 1:
        return { body: whole, contentType: 'multipart/form-data; boundary=other' };
      case 2:
        return { body: whole, contentType: 'multipart/form-data' };
      case 3:
        return { body: whole.replaceAll('\r\n', '\n'), contentType: `multipart/form-data; boundary=${boundary}` };
      case 4:
        return { body: this.bytes(this.int(0, 2048)), contentType: `multipart/form-data; boundary=${boundary}` };
      default:
        return {
          body: `--${boundary}\r\nContent-Disposition: form-data; name="code"; filename="x.bin"\r\nContent-Type: application/octet-stream\r\n\r\n${this.ascii(100)}\r\n--${boundary}--\r\n`,
          contentType: `multipart/form-data; boundary=${boundary}`,
        };
    }
  }

  /** A body and the content type it is sent with (undefined: let fetch decide or send none). */
  body(target: Target): { body: FuzzRequest['body']; contentType: string | undefined; summary: string } {
    const plausible = target !== 'api' && this.chance(0.5);
    const params = plausible ? this.mutated(target, MAX_VALUE) : this.params(MAX_VALUE);
    // Plausible parameters mostly travel in a well-formed body, so they reach the grant checks.
    switch (plausible && this.chance(0.7) ? this.int(0, 1) : this.int(0, 8)) {
      case 0:
        return { body: new URLSearchParams(params), contentType: undefined, summary: `urlencoded ${params.length} params` };
      case 1: {
        const form = new FormData();
        for (const [name, value] of params) form.append(name, this.chance(0.1) ? new Blob([value]) : value);
        return { body: form, contentType: undefined, summary: `multipart ${params.length} params` };
      }
      case 2: {
        const broken = this.brokenMultipart(params);
        return { ...broken, summary: `broken multipart (${broken.contentType})` };
      }
      case 3:
        return {
          body: this.bytes(this.int(0, 4096)),
          contentType: this.pick(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream']),
          summary: 'random bytes',
        };
      case 4:
        return { body: JSON.stringify(Object.fromEntries(params)), contentType: 'application/json', summary: 'json' };
      case 5:
        return {
          body: new URLSearchParams(params).toString(),
          contentType: this.pick(['text/plain', 'APPLICATION/X-WWW-FORM-URLENCODED', 'application/x-www-form-urlencoded; charset=utf-16', this.ascii(30)]),
          summary: 'urlencoded text, odd content type',
        };
      case 6:
        return {
          body: this.pick(['grant_type=%ZZ&client_id=%E0%A4%A', '&&&==&=', '%', 'a=%F0%9F%98', `scope=${'%20'.repeat(5000)}`]),
          contentType: 'application/x-www-form-urlencoded',
          summary: 'bad percent-encoding',
        };
      case 7:
        return { body: this.unicode(this.int(1, 4096)), contentType: 'application/x-www-form-urlencoded', summary: 'unicode body' };
      default:
        return { body: undefined, contentType: undefined, summary: 'no body' };
    }
  }

  request(): FuzzRequest {
    const target = this.pick<Target>(['token', 'token', 'authorize', 'authorize', 'api']);
    const headers: Record<string, string> = {};
    const authorization = this.chance(0.4) ? undefined : this.authorization();
    if (authorization !== undefined) headers.Authorization = authorization;
    if (this.chance(0.2)) headers.Origin = this.pick(['http://localhost:5173', 'https://evil.example', 'null']);

    const usual = target === 'token' ? ['POST'] : target === 'authorize' ? ['GET', 'POST'] : ['GET'];
    const method = this.chance(0.8) ? this.pick(usual) : this.pick(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'PROPFIND']);
    const base = target === 'token' ? '/oauth2/token' : target === 'authorize' ? '/oauth2/authorize' : this.pick(SAMPLE_APIS).path;
    // Query strings (with the Authorization header) stay under Node's 16 KB header limit, which
    // would answer 431 before the emulator sees the request; bodies carry the huge values.
    const queryParams = target === 'authorize' && this.chance(0.6) ? this.mutated(target, 2048) : this.params(2048);
    let query = new URLSearchParams(queryParams).toString();
    while (query.length > 6000) {
      queryParams.pop();
      query = new URLSearchParams(queryParams).toString();
    }
    const path = query ? `${base}?${query}` : base;

    if (method === 'GET' || method === 'HEAD')
      return { target, method, path, headers, body: undefined, summary: `${method} ${base} query ${query.length} chars` };
    const { body, contentType, summary } = this.body(target);
    if (contentType !== undefined) headers['Content-Type'] = contentType;
    return { target, method, path, headers, body, summary: `${method} ${base} ${summary}` };
  }
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** What a well-formed error answer of each endpoint looks like. */
function expectWellFormed(request: FuzzRequest, answer: Answer, label: string): void {
  expect(answer.status, `${label}: never a 5xx`).toBeLessThan(500);
  if (request.method === 'OPTIONS' && request.target !== 'authorize') {
    expect(answer.status, `${label}: a CORS preflight`).toBe(204);
    return;
  }
  if (request.method === 'HEAD') {
    expect(answer.text, `${label}: HEAD has no body`).toBe('');
    return;
  }
  if (request.target === 'authorize') {
    if (answer.status === 302) {
      expect(request.method, `${label}: a post without the form's token never redirects`).toBe('GET');
      const location = new URL(answer.headers.get('location')!);
      expect([REDIRECT_URI, OTHER_REDIRECT_URI], `${label}: redirects only to a registered URI`).toContain(`${location.origin}${location.pathname}`);
      expect(location.searchParams.get('error'), `${label}: an error redirect`).toEqual(expect.any(String));
      expect(location.searchParams.has('code'), `${label}: no code without credentials`).toBe(false);
      return;
    }
    if (answer.status === 200) {
      // A request that happens to be valid (e.g. the portal client needs no PKCE) gets the login page.
      expect(request.method, `${label}: only GET shows the login page`).toBe('GET');
      expect(answer.text).toContain('<form method="post" action="/oauth2/authorize">');
      return;
    }
    // A POST without the login page's CSRF token (every fuzzed one) is refused with 403 before anything else.
    expect(request.method === 'POST' ? [403] : [400, 404], `${label}: an error status`).toContain(answer.status);
    if (answer.status !== 404) expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.text).not.toMatch(/<script/i);
    return;
  }
  expect(answer.status, `${label}: a 4xx`).toBeGreaterThanOrEqual(400);
  expect(String(answer.headers.get('content-type')), `${label}: JSON (status ${answer.status}, body ${answer.text.slice(0, 200)})`).toMatch(
    /^application\/json/,
  );
  const body = JSON.parse(answer.text) as { error?: unknown };
  // RFC 6750 §3.1: without Bearer credentials an API answers a bare challenge, with no error code.
  const bare = request.target === 'api' && answer.status === 401 && answer.headers.get('www-authenticate') === 'Bearer realm="celonis-emulator"';
  expect(typeof body.error, `${label}: ${bare ? 'has no' : 'has an'} error code`).toBe(bare ? 'undefined' : 'string');
  if (request.target === 'api' && answer.status === 401) expect(answer.headers.get('www-authenticate'), label).toMatch(/^Bearer realm="celonis-emulator"/);
  if (request.target === 'token' && answer.status === 401) expect(answer.headers.get('www-authenticate'), label).toMatch(/^Basic realm=/);
}

/** The OAuth error code of an answer (JSON body or redirect), for the coverage tally. */
function errorCodeOf(answer: Answer): string {
  const location = answer.headers.get('location');
  if (location) return new URL(location).searchParams.get('error') ?? '';
  try {
    const { error } = JSON.parse(answer.text) as { error?: unknown };
    return typeof error === 'string' ? error : '';
  } catch {
    return '';
  }
}

describe('fuzzing the public endpoints', () => {
  it(`answers ${REQUESTS} random and malformed requests (seed ${SEED}) with well-formed errors, then still works`, { timeout: 60_000 }, async () => {
    const em = emulator();
    const fuzzer = new Fuzzer(SEED);
    const seen = new Map<string, number>();
    for (let i = 0; i < REQUESTS; i += 1) {
      const request = fuzzer.request();
      const label = `seed ${SEED} request #${i}: ${request.summary}`;
      let answer: Answer;
      try {
        const response = await fetch(`${em.url}${request.path}`, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          redirect: 'manual',
          signal: AbortSignal.timeout(10_000),
        });
        answer = { status: response.status, headers: response.headers, text: await response.text() };
      } catch (error) {
        throw new Error(`${label}: the request failed (${String(error)}; cause ${String((error as Error).cause)})`, { cause: error });
      }
      expectWellFormed(request, answer, label);
      const key = `${request.target} ${answer.status} ${errorCodeOf(answer)}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }

    // The run reached deep enough: every endpoint answered with several kinds of error.
    const kinds = (target: Target) => [...seen.keys()].filter((k) => k.startsWith(`${target} `));
    expect(kinds('token')).toEqual(expect.arrayContaining(['token 400 invalid_request', 'token 401 invalid_client']));
    expect(kinds('authorize')).toEqual(expect.arrayContaining(['authorize 400 ', 'authorize 302 invalid_request']));
    expect(kinds('api')).toEqual(expect.arrayContaining(['api 401 invalid_token']));
    expect(em.requests().filter((e) => e.status >= 500)).toEqual([]);

    // And the emulator still serves the real flows.
    const cc = await clientCredentials(em);
    expect((await callApi(em, '/api/me', cc.access_token)).status).toBe(200);
    const tokens = await authorize(em, { scope: 'studio audit.log:read' });
    expect((await callApi(em, '/audit-log/api/events', tokens.access_token)).status).toBe(200);
  });
});
