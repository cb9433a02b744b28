import { createServer, type IncomingHttpHeaders, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { RunningEmulator } from '@celonis-auth/emulator';
import { expect } from 'vitest';
import { createCelonisApiProxy, toNodeHandler, type CelonisApiProxyOptions, type NodeAdapterOptions } from '../index.js';
import { SPA_ORIGIN } from './relaySupport.js';
import { captureLogger } from './testSupport.js';

export { SPA_ORIGIN };

/** A token shape the logger and error bodies must never show. */
export const SECRET_TOKEN = 'eyJsecret-token-must-not-leak.abc';

const servers: Server[] = [];

/** Closes every server this module started; call it in `afterEach`. */
export async function closeServers(): Promise<void> {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve)))));
}

/** Serves `listener` on a free 127.0.0.1 port and returns its base URL. */
export async function listen(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A request as the upstream saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether the body ended cleanly (false: the proxy aborted it). */
  complete: boolean;
}

/** A team on 127.0.0.1 that records every request and answers as `answer` says (default 200 JSON echoing the method and URL). */
export interface RecordingUpstream {
  url: string;
  seen: SeenRequest[];
  answer: (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void;
}

/** Starts a {@link RecordingUpstream}; the request body is read in full (or until aborted) before `answer` runs. */
export async function startRecordingUpstream(answer?: RecordingUpstream['answer']): Promise<RecordingUpstream> {
  const upstream: RecordingUpstream = {
    url: '',
    seen: [],
    answer: answer ?? ((req, res) => void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ method: req.method, url: req.url }))),
  };
  upstream.url = await listen((req, res) => {
    const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '', complete: false };
    upstream.seen.push(seen);
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (seen.body += chunk));
    req.on('end', () => ((seen.complete = true), upstream.answer(req, res, seen)));
  });
  return upstream;
}

/** An API proxy for `teamUrl` served with `toNodeHandler`, and its captured log. */
export async function serveProxy(
  options: Partial<CelonisApiProxyOptions> & { teamUrl: string },
  adapter?: NodeAdapterOptions,
): Promise<{ url: string; port: number; lines: string[] }> {
  const log = captureLogger();
  const proxy = createCelonisApiProxy({ allowedOrigins: [SPA_ORIGIN], ...options, deps: { logger: log.logger, ...options.deps } });
  const url = await listen(toNodeHandler(proxy, adapter));
  return { url, port: Number(new URL(url).port), lines: log.lines };
}

/** An answer read off a raw socket. */
export interface RawAnswer {
  status: number;
  headers: string;
  body: string;
}

/**
 * Sends `requestLine` and `headers` exactly as written (then `body`, if any), for targets and
 * headers fetch would normalize or refuse; `Host` defaults to the proxy's own.
 */
export function rawRequest(port: number, requestLine: string, headers: Record<string, string> = {}, body = ''): Promise<RawAnswer> {
  const given = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  const host = Object.keys(headers).some((name) => name.toLowerCase() === 'host') ? [] : [`Host: 127.0.0.1:${port}`];
  const lines = [requestLine, ...host, 'Connection: close', ...given];
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const payload = rest.join('\r\n\r\n');
      const lowered = head.toLowerCase();
      const chunked = lowered.includes('transfer-encoding: chunked');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), headers: lowered, body: chunked ? dechunk(payload) : payload });
    });
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  });
}

/** Asserts a JSON refusal or failure of the proxy: status, `error` code, a description, `Cache-Control: no-store`. */
export async function expectProxyError(response: Response, status: number, error: string): Promise<void> {
  expect({ status: response.status, body: (await response.json()) as unknown }).toEqual({ status, body: { error, error_description: expect.any(String) } });
  expect(response.headers.get('cache-control')).toBe('no-store');
}

/** A client-credentials access token of the emulator's `m2m` client for `scope`. */
export async function m2mToken(emulator: RunningEmulator, scope: string): Promise<string> {
  const response = await fetch(`${emulator.url}/oauth2/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from('m2m:m2m-secret').toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`the emulator issued no token: ${response.status}`);
  return body.access_token;
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const at = rest.indexOf('\r\n');
    const length = parseInt(rest.slice(0, at), 16);
    if (!(length > 0)) return out;
    out += rest.slice(at + 2, at + 2 + length);
    rest = rest.slice(at + 4 + length);
  }
}
