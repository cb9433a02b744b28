import { describe, expect, it } from 'vitest';
import { DEPLOYING_GUIDE_URL } from '@celonis-auth/core/protocol';
import { form, json, rejection, TEAM_URL, tokenResponse, type Responder } from '@celonis-auth/test-utils';
import { signedIn, testClient, type TestConfig } from './signIn.js';

// The fake page is http://localhost:5173; the team is another origin, as in direct mode.
const PAGE = 'http://localhost:5173';
const failed: Responder = () => Promise.reject(new TypeError('Failed to fetch'));
// Any refresh fails, wherever the token endpoint is; a code exchange that reaches a relay succeeds.
const refreshFails: Responder = (request, index) => (form(request).grant_type === 'authorization_code' ? tokenResponse(1) : failed(request, index));

describe('a token request that gets no answer', () => {
  it('on a cross-origin token endpoint is token_endpoint_unreachable, saying what to use instead', async () => {
    const { auth } = await signedIn({ respond: refreshFails });
    const error = await rejection(auth.refresh());
    expect(error).toMatchObject({ code: 'token_endpoint_unreachable', cause: new TypeError('Failed to fetch') });
    const message = (error as Error).message;
    for (const words of [TEAM_URL, PAGE, 'CORS', 'confidential', 'token relay', 'backend-for-frontend', DEPLOYING_GUIDE_URL]) expect(message).toContain(words);
    for (const secret of ['access-1', 'refresh-1']) expect(message).not.toContain(secret);
    // Unreachable is not rejected: the session stays, as for any network failure.
    expect(auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: 'access-1', error });
  });

  it.each<[string, TestConfig, string]>([
    ['a same-origin token relay (a path)', { endpoints: { tokenEndpoint: '/api/celonis/token' } }, PAGE],
    ['a same-origin token relay (absolute)', { endpoints: { tokenEndpoint: `${PAGE}/api/celonis/token` } }, PAGE],
    ['a cross-origin endpoint outside any page (Node)', {}, ''],
  ])('on %s stays network_error: CORS is not the question there', async (_, config, pageUrl) => {
    const { auth, page } = await signedIn({ config, respond: refreshFails });
    page.url = pageUrl;
    await expect(auth.refresh()).rejects.toMatchObject({ code: 'network_error' });
  });

  it('of the code exchange keeps the login transaction marked as under way (a reload may have cut it)', async () => {
    const { auth, page } = testClient({ signInResponse: () => Promise.reject(new TypeError('Failed to fetch')) as never });
    await auth.login();
    const state = new URL(page.navigations.at(-1)!).searchParams.get('state')!;
    await expect(auth.handleRedirectCallback(`${PAGE}/callback?code=c&state=${state}`)).rejects.toMatchObject({ code: 'token_endpoint_unreachable' });
    expect(auth.store.getState()).toMatchObject({ status: 'signedOut', error: { code: 'token_endpoint_unreachable' } });
  });
});

describe('endpoints and apiBaseUrl given as paths', () => {
  it('resolve against the page they are made in', () => {
    const { auth } = testClient({ config: { endpoints: { tokenEndpoint: '/api/celonis/token' }, apiBaseUrl: '/celonis/' } });
    expect(auth.config).toMatchObject({
      tokenEndpoint: `${PAGE}/api/celonis/token`,
      apiBaseUrl: `${PAGE}/celonis`,
      authorizationEndpoint: `${TEAM_URL}/oauth2/authorize`,
    });
  });

  it.each<[string, string, TestConfig, string]>([
    ['a token endpoint path without a page', '', { endpoints: { tokenEndpoint: '/api/token' } }, 'invalid_endpoint'],
    ['an apiBaseUrl path without a page', '', { apiBaseUrl: '/celonis' }, 'invalid_api_base_url'],
    ['a token endpoint path on an http page off loopback', 'http://intranet.example/app', { endpoints: { tokenEndpoint: '/api/token' } }, 'invalid_endpoint'],
    ['an apiBaseUrl path on an http page off loopback', 'http://intranet.example/app', { apiBaseUrl: '/celonis' }, 'invalid_api_base_url'],
    ['an apiBaseUrl path with a backslash that names another host', PAGE, { apiBaseUrl: '/\\evil.example/celonis' }, 'invalid_api_base_url'],
    ['a token endpoint path with a tab that names another host', PAGE, { endpoints: { tokenEndpoint: '/\t/evil.example/token' } }, 'invalid_endpoint'],
    ['an apiBaseUrl with credentials', PAGE, { apiBaseUrl: 'https://u:p@proxy.example/celonis' }, 'invalid_api_base_url'],
    ['an apiBaseUrl at the root of an origin', PAGE, { apiBaseUrl: 'https://proxy.example/' }, 'invalid_api_base_url'],
    ['a token endpoint with credentials', PAGE, { endpoints: { tokenEndpoint: 'https://u:p@relay.example/token' } }, 'invalid_endpoint'],
  ])('refuse %s', (_, pageUrl, config, code) => {
    expect(() => testClient({ config, deps: { currentUrl: () => pageUrl } })).toThrow(expect.objectContaining({ name: 'CodedTypeError', code }));
  });
});

describe('auth.fetch with apiBaseUrl (a same-origin API proxy)', () => {
  const proxy = { apiBaseUrl: `${PAGE}/celonis` };

  it.each([
    ['a path', '/intelligence/api/x?limit=5', `${PAGE}/celonis/intelligence/api/x?limit=5`],
    ['a path without its leading slash', 'intelligence/api/x', `${PAGE}/celonis/intelligence/api/x`],
    ['an absolute URL under the proxy', `${PAGE}/celonis/audit-log/api/events`, `${PAGE}/celonis/audit-log/api/events`],
    ['the team URL itself', `${TEAM_URL}/intelligence/api/x`, `${TEAM_URL}/intelligence/api/x`],
  ])('sends %s with the token to %s', async (_, input, url) => {
    const { auth, requests } = await signedIn({ config: proxy, respond: () => json({ ok: true }) });
    await auth.fetch(input);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ url });
    expect(requests[0]!.headers.get('Authorization')).toBe('Bearer access-1');
  });

  it.each([
    ['another path of the page', `${PAGE}/api/other`],
    ['a sibling path that only starts like the proxy', `${PAGE}/celonis-admin/x`],
    ['a path that climbs out of the proxy', '/../api/other'],
    ['an encoded climb out of the proxy', '/%2e%2e/api/other'],
    ['a protocol-relative URL', '//evil.example/celonis/x'],
    ['another origin', 'https://evil.example/celonis/x'],
  ])('sends no token with %s', async (_, input) => {
    const { auth, requests } = await signedIn({ config: proxy, respond: () => json({ ok: true }) });
    await auth.fetch(input);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url.startsWith(`${PAGE}/celonis/`)).toBe(false);
    expect(requests[0]!.headers.get('Authorization')).toBeNull();
  });
});

describe('auth.fetch that gets no answer', () => {
  it('from a cross-origin API is api_unreachable, saying what to use instead', async () => {
    const { auth } = await signedIn({ respond: failed });
    const error = await rejection(auth.fetch('/intelligence/api/x'));
    expect(error).toMatchObject({ code: 'api_unreachable', cause: new TypeError('Failed to fetch') });
    for (const words of [TEAM_URL, PAGE, 'CORS', 'apiBaseUrl', 'API proxy', 'backend-for-frontend', DEPLOYING_GUIDE_URL])
      expect((error as Error).message).toContain(words);
    expect((error as Error).message).not.toContain('access-1');
  });

  it.each([
    ['from the same-origin proxy', { config: { apiBaseUrl: '/celonis' } }, '/intelligence/api/x'],
    ['from a URL that carries no token', {}, 'https://elsewhere.example/x'],
  ])('%s rejects as fetch does', async (_, options, input) => {
    const { auth } = await signedIn({ ...options, respond: failed });
    await expect(auth.fetch(input)).rejects.toEqual(new TypeError('Failed to fetch'));
  });

  it('because the caller aborted it rejects with the caller’s abort, not as unreachable', async () => {
    const abort = new AbortController();
    const { auth } = await signedIn({
      respond: () => {
        abort.abort();
        return Promise.reject(new DOMException('aborted', 'AbortError'));
      },
    });
    await expect(auth.fetch('/intelligence/api/x', { signal: abort.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
