import type { RequestListener } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { apiProxyMiddleware, createCelonisApiProxy, type CelonisApiProxyOptions } from '../index.js';
import { closeServers, expectProxyError, listen, rawRequest, SPA_ORIGIN, startRecordingUpstream } from './apiProxySupport.js';
import { captureLogger, expectCodedTypeError } from './testSupport.js';

afterEach(async () => {
  await closeServers();
});

const valid: CelonisApiProxyOptions = { teamUrl: 'https://acme.eu-1.celonis.cloud', allowedOrigins: [SPA_ORIGIN] };

describe('options', () => {
  it.each([
    ['no options', undefined, /options are required/, 'invalid_config'],
    ['no teamUrl', { teamUrl: undefined }, /teamUrl is required/, 'invalid_team_url'],
    ['an http team URL off loopback', { teamUrl: 'http://acme.eu-1.celonis.cloud' }, /must use https/, 'invalid_team_url'],
    ['a team URL with a path', { teamUrl: 'https://acme.eu-1.celonis.cloud/intelligence' }, /origin only/, 'invalid_team_url'],
    ['no allowedOrigins', { allowedOrigins: undefined }, /must be an array/, 'invalid_allowed_origins'],
    ['an empty allowedOrigins', { allowedOrigins: [] }, /allowedOrigins is empty; list the origin your app is served from/, 'invalid_allowed_origins'],
    ['a wildcard origin', { allowedOrigins: ['*'] }, /allowedOrigins\[0\] "\*" must be an exact origin/, 'invalid_allowed_origins'],
    ['an origin with a path', { allowedOrigins: ['http://localhost:5173/app'] }, /exact origin/, 'invalid_allowed_origins'],
    ['an empty basePath', { basePath: '' }, /basePath "" must be a URL path like "\/celonis"/, 'invalid_base_path'],
    ['basePath "/"', { basePath: '/' }, /basePath/, 'invalid_base_path'],
    ['a basePath without a leading slash', { basePath: 'celonis' }, /basePath/, 'invalid_base_path'],
    ['a basePath with a trailing slash', { basePath: '/celonis/' }, /no trailing slash/, 'invalid_base_path'],
    ['a basePath with a query', { basePath: '/celonis?x=1' }, /no query/, 'invalid_base_path'],
    ['a basePath with ".."', { basePath: '/api/../celonis' }, /no "\." or "\.\." segments/, 'invalid_base_path'],
    ['a basePath with "//"', { basePath: '/api//celonis' }, /basePath/, 'invalid_base_path'],
    ['a basePath with an encoded character', { basePath: '/cel%6fnis' }, /basePath/, 'invalid_base_path'],
    ['a basePath that is no string', { basePath: 42 }, /basePath 42/, 'invalid_base_path'],
    ['a negative request cap', { maxRequestBodyBytes: -1 }, /maxRequestBodyBytes must be a whole number from 0 to 1073741824/, 'invalid_option'],
    ['a fractional response cap', { maxResponseBodyBytes: 1.5 }, /maxResponseBodyBytes/, 'invalid_option'],
    ['a zero response cap', { maxResponseBodyBytes: 0 }, /maxResponseBodyBytes/, 'invalid_option'],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs must be a whole number from 1 to 600000/, 'invalid_option'],
    ['a timeout as a string', { timeoutMs: '30000' }, /timeoutMs/, 'invalid_option'],
    ['an infinite body timeout', { bodyTimeoutMs: Infinity }, /bodyTimeoutMs/, 'invalid_option'],
    ['no concurrent call allowed', { maxConcurrentRequests: 0 }, /maxConcurrentRequests must be a whole number from 1 to 100000/, 'invalid_option'],
    ['a fractional concurrency cap', { maxConcurrentRequests: 2.5 }, /maxConcurrentRequests/, 'invalid_option'],
    ['a fetch that is no function', { deps: { fetch: 'fetch' } }, /deps.fetch must be a function/, 'invalid_deps'],
    ['a logger without warn', { deps: { logger: {} } }, /deps.logger must have a warn/, 'invalid_deps'],
  ] as const)('refuses %s with a CodedTypeError', (_name, override, message, code) => {
    const options = override === undefined ? undefined : { ...valid, ...(override as object) };
    const create = () => createCelonisApiProxy(options as CelonisApiProxyOptions);
    expect(create).toThrow(message);
    expectCodedTypeError(create, code);
  });

  it('takes the defaults and a custom basePath', () => {
    expect(createCelonisApiProxy(valid).basePath).toBe('/celonis');
    expect(createCelonisApiProxy({ ...valid, basePath: '/api/celonis-team', maxRequestBodyBytes: 0 }).basePath).toBe('/api/celonis-team');
  });
});

describe('as a web-standard handler (the URL already normalized)', () => {
  it.each([
    ['an encoded slash', 'http://portal.local/celonis/api%2F..%2Foauth2', 400, 'invalid_path'],
    ['an encoded backslash', 'http://portal.local/celonis/api%5C..', 400, 'invalid_path'],
    ['an empty segment', 'http://portal.local/celonis//evil.example/x', 400, 'invalid_path'],
    ['a ".." resolved out of the prefix', 'http://portal.local/celonis/../oauth2/token', 404, 'not_found'],
  ])('refuses %s', async (_name, url, status, error) => {
    const fetch = async (): Promise<Response> => {
      throw new Error('nothing may be sent');
    };
    const proxy = createCelonisApiProxy({ ...valid, deps: { fetch, logger: captureLogger().logger } });
    await expectProxyError(await proxy(new Request(url)), status, error);
  });

  it('ignores the host of the request URL: only the team is called', async () => {
    const called: string[] = [];
    const fetch = async (input: string | URL | Request): Promise<Response> => (
      called.push(input instanceof Request ? input.url : input.toString()),
      new Response('{}')
    );
    const proxy = createCelonisApiProxy({ ...valid, deps: { fetch } });
    expect((await proxy(new Request('http://evil.example/celonis/api/x?y=1'))).status).toBe(200);
    expect(called).toEqual(['https://acme.eu-1.celonis.cloud/api/x?y=1']);
  });

  it('answers 500 proxy_error, and logs it, when the injected fetch returns no Response', async () => {
    const log = captureLogger();
    const proxy = createCelonisApiProxy({ ...valid, deps: { fetch: async () => ({}) as Response, logger: log.logger } });
    await expectProxyError(await proxy(new Request('http://portal.local/celonis/api/x')), 500, 'proxy_error');
    expect(log.lines).toEqual([expect.stringMatching(/^celonis-auth API proxy: unexpected failure \(TypeError\)$/)]);
  });
});

describe('apiProxyMiddleware', () => {
  const fallback: RequestListener = (_req, res) => void res.writeHead(404).end('next');

  it.each([
    ['/celonis/api/items?x=1', 200, '{"method":"GET","url":"/api/items?x=1"}'],
    ['/celonis', 404, 'next'],
    ['/celonisx/api', 404, 'next'],
    ['/index.html', 404, 'next'],
  ])('sends %s to the proxy only when it is under basePath/', async (path, status, body) => {
    const upstream = await startRecordingUpstream();
    const middleware = apiProxyMiddleware(createCelonisApiProxy({ teamUrl: upstream.url, allowedOrigins: [SPA_ORIGIN] }));
    const base = await listen((req, res) => middleware(req, res, () => fallback(req, res)));
    const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(10_000) });
    expect([response.status, await response.text()]).toEqual([status, body]);
  });

  it('compares the prefix as sent, so a raw ".." reaches the proxy and is refused', async () => {
    const upstream = await startRecordingUpstream();
    const middleware = apiProxyMiddleware(createCelonisApiProxy({ teamUrl: upstream.url, allowedOrigins: [SPA_ORIGIN], basePath: '/api/team' }));
    const base = await listen((req, res) => middleware(req, res, () => fallback(req, res)));
    const answer = await rawRequest(Number(new URL(base).port), 'GET /api/team/../../oauth2/token HTTP/1.1');
    expect([answer.status, JSON.parse(answer.body)]).toEqual([400, { error: 'invalid_path', error_description: expect.any(String) }]);
    expect(upstream.seen).toEqual([]);
  });

  it.each([
    ['a handler that is no proxy', () => apiProxyMiddleware((async () => new Response()) as never), 'invalid_argument'],
    ['a bad bodyTimeoutMs', () => apiProxyMiddleware(createCelonisApiProxy(valid), { bodyTimeoutMs: 0 }), 'invalid_option'],
  ] as const)('refuses %s with a CodedTypeError', (_name, create, code) => {
    expectCodedTypeError(create, code);
  });
});
