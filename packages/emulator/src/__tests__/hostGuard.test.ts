import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '@celonis-auth/emulator';
import { ownHostRule } from '../routes/hostGuard.js';
import { M2M, authorizeUrl, pkce, useEmulator } from './flows.js';

const emulator = useEmulator();

/** A request with an explicit Host header (fetch sets its own), read in full. */
function requestWithHost(
  em: RunningEmulator,
  method: string,
  path: string,
  host: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: em.port, method, path, headers: { ...headers, Host: host }, timeout: 5_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', reject);
    req.end(body);
  });
}

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const mint = new URLSearchParams({ grant_type: 'client_credentials', client_id: M2M.clientId, client_secret: M2M.secret }).toString();

// Every kind of route: a DNS-rebinding page could otherwise read the login page, mint tokens or call the APIs.
const routes: { name: string; method: string; path: (em: RunningEmulator) => string; headers?: Record<string, string>; body?: string }[] = [
  {
    name: 'the login page',
    method: 'GET',
    path: (em) => {
      const url = authorizeUrl(em, { codeChallenge: pkce().challenge });
      return `${url.pathname}${url.search}`;
    },
  },
  { name: 'the login form post', method: 'POST', path: () => '/oauth2/authorize', headers: FORM, body: 'client_id=dashboard' },
  { name: 'a client-credentials token request', method: 'POST', path: () => '/oauth2/token', headers: FORM, body: mint },
  {
    name: 'a CORS preflight of the token endpoint',
    method: 'OPTIONS',
    path: () => '/oauth2/token',
    headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
  },
  { name: 'the keys', method: 'GET', path: () => '/oauth2/jwks' },
  { name: 'a sample API', method: 'GET', path: () => '/api/me' },
  { name: 'the root', method: 'GET', path: () => '/' },
  { name: 'an unknown route', method: 'GET', path: () => '/nowhere' },
  { name: 'the control surface', method: 'GET', path: () => '/__emulator/clock' },
];

const foreignHosts: { name: string; host: (port: number) => string }[] = [
  { name: 'a rebound name with the port', host: (port) => `attacker.example:${port}` },
  { name: 'a rebound name without a port', host: () => 'attacker.example' },
  { name: 'a name ending in a loopback name', host: (port) => `evil-localhost:${port}` },
  { name: 'a loopback address with another port', host: (port) => `127.0.0.1:${port === 1 ? 2 : 1}` },
  { name: 'another IP address with the port (loopback bind)', host: (port) => `192.168.1.20:${port}` },
];

describe('the Host check on every route', () => {
  it.each(routes.flatMap((route) => foreignHosts.map((foreign) => ({ ...route, foreign: foreign.name, host: foreign.host }))))(
    'refuses $name with Host $foreign: 403 invalid_request, nothing else answered',
    async ({ method, path, headers, body, host }) => {
      const em = emulator();
      const response = await requestWithHost(em, method, path(em), host(em.port), headers, body);
      expect(response.status).toBe(403);
      expect(JSON.parse(response.body)).toEqual({
        error: 'invalid_request',
        error_description: `the emulator answers only requests addressed to 127.0.0.1:${em.port} or a loopback name with port ${em.port} (Host header)`,
      });
      expect(response.body).not.toContain('access_token');
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['set-cookie']).toBeUndefined();
    },
  );

  // Node's own client fills in an empty Host, so this one is written by hand.
  it('refuses a request with an empty Host header', async () => {
    const em = emulator();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(em.port, '127.0.0.1', () => socket.end('GET /oauth2/jwks HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
    expect(answer).not.toContain('"keys"');
  });

  it('logs a refused token request as such, and issues nothing', async () => {
    const em = emulator();
    await requestWithHost(em, 'POST', '/oauth2/token', `attacker.example:${em.port}`, FORM, mint);
    expect(em.requests()).toMatchObject([{ endpoint: 'token', status: 403, error: 'invalid_request' }]);
    expect(em.requests()[0]).not.toHaveProperty('grantType');
  });

  it.each([
    { name: '127.0.0.1', host: (port: number) => `127.0.0.1:${port}` },
    { name: 'localhost', host: (port: number) => `localhost:${port}` },
    { name: '[::1]', host: (port: number) => `[::1]:${port}` },
    { name: 'LOCALHOST in capitals', host: (port: number) => `LOCALHOST:${port}` },
  ])('answers every route for Host $name with the emulator’s port', async ({ host }) => {
    const em = emulator();
    for (const route of routes) {
      const response = await requestWithHost(em, route.method, route.path(em), host(em.port), route.headers, route.body);
      expect(`${route.name}: ${response.body}`).not.toContain('(Host header)');
    }
    const token = await requestWithHost(em, 'POST', '/oauth2/token', host(em.port), FORM, mint);
    expect(JSON.parse(token.body)).toHaveProperty('access_token');
  });
});

describe('ownHostRule', () => {
  const loopback = ownHostRule('http://127.0.0.1:8787');
  const remote = ownHostRule('http://0.0.0.0:8787', { anyIpAddress: true });

  it.each([
    { host: '127.0.0.1:8787', loopback: true, remote: true },
    { host: 'localhost:8787', loopback: true, remote: true },
    { host: '[::1]:8787', loopback: true, remote: true },
    { host: '0.0.0.0:8787', loopback: false, remote: true },
    { host: '192.168.1.20:8787', loopback: false, remote: true },
    { host: '[fe80::1]:8787', loopback: false, remote: true },
    { host: '192.168.1.20:8788', loopback: false, remote: false },
    { host: '192.168.1.20', loopback: false, remote: false },
    { host: 'attacker.example:8787', loopback: false, remote: false },
    { host: 'emulator.internal:8787', loopback: false, remote: false },
    { host: '127.0.0.1.nip.io:8787', loopback: false, remote: false },
    { host: 'user@127.0.0.1:8787', loopback: false, remote: false },
    { host: '', loopback: false, remote: false },
  ])('Host $host: own on loopback $loopback, own with anyIpAddress $remote', ({ host, loopback: own, remote: ownRemote }) => {
    expect(loopback(host)).toBe(own);
    expect(remote(host)).toBe(ownRemote);
  });

  it('treats a missing Host as foreign', () => {
    expect(loopback(undefined)).toBe(false);
  });
});
