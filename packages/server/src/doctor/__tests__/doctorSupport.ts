import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { teamEndpoints } from '@celonis-auth/core/protocol';
import { secretForms } from '../../secretRedaction.js';
import { leakForms } from '../../__tests__/testSupport.js';
import type { FetchFunction } from '../../serverDeps.js';
import type { DoctorContext } from '../doctorTypes.js';

/** A fetch that records every `access_token` any answer carried, so tests can assert none was printed. */
export function tokenRecordingFetch(): { fetch: FetchFunction; tokens: string[] } {
  const tokens: string[] = [];
  const fetch: FetchFunction = async (input, init) => {
    const response = await globalThis.fetch(input, init);
    const text = await response.clone().text();
    const token = /"access_token"\s*:\s*"([^"]+)"/.exec(text)?.[1];
    if (token !== undefined) tokens.push(token);
    return response;
  };
  return { fetch, tokens };
}

/** Anything shaped like a JWT (the emulator's and Celonis's access tokens are). */
export const JWT_PATTERN = /eyJ[\w-]{8,}\.[\w-]{8,}\./;

/**
 * Asserts `output` holds no form of `secret` (as is, encoded, in Basic credentials), none of
 * `tokens`, and nothing shaped like a JWT.
 */
export function expectNothingLeaked(output: string, clientId: string, secret: string | undefined, tokens: readonly string[]): void {
  for (const form of secret === undefined ? [] : leakForms(clientId, secret)) expect(output).not.toContain(form);
  for (const token of tokens) expect(output).not.toContain(token);
  expect(output).not.toMatch(JWT_PATTERN);
}

/** A plain HTTP server on 127.0.0.1 with `handle` as its only route. */
export interface TinyServer {
  url: string;
  close(): Promise<void>;
}

/** Starts a {@link TinyServer}. */
export async function startTinyServer(handle: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<TinyServer> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** A web server that is no token endpoint: every request gets an HTML 404 page. */
export function startHtmlServer(): Promise<TinyServer> {
  return startTinyServer((_req, res) => {
    res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Not found</title><h1>Not found</h1>');
  });
}

/**
 * A token endpoint that quotes the request back in an `invalid_request` description: the Basic
 * credentials decoded and the form body (so the secret in every form), wrapped in terminal escapes.
 */
export function startEchoServer(): Promise<TinyServer> {
  return startTinyServer((req, res, body) => {
    const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
    res.writeHead(400, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: 'invalid_request', error_description: `\u001b[31mrefused ${basic} ${body}\u001b[0m` }));
  });
}

/** A server that takes requests and never answers them. */
export function startSilentServer(): Promise<TinyServer> {
  return startTinyServer(() => undefined);
}

/** A {@link DoctorContext} for `teamUrl` with the given client, and the recording fetch's tokens. */
export function doctorContext(
  teamUrl: string,
  client: { clientId: string; clientSecret?: string; origin?: string; scopes?: string[]; timeoutMs?: number },
): { ctx: DoctorContext; tokens: string[] } {
  const { fetch, tokens } = tokenRecordingFetch();
  const { clientId, clientSecret } = client;
  const ctx: DoctorContext = {
    endpoints: teamEndpoints(teamUrl),
    clientId,
    clientSecret,
    origin: client.origin,
    scopes: client.scopes ?? [],
    http: { fetch, timeoutMs: client.timeoutMs ?? 5_000, secretForms: clientSecret === undefined ? [] : secretForms(clientId, clientSecret), now: Date.now },
  };
  return { ctx, tokens };
}
