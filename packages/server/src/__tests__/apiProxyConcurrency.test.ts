// The proxy's cap on calls open to the team: a burst gets 503 proxy_busy instead of sockets and buffers
// without bound, and a slot is held until the answer's body is passed on, fails or is cancelled.
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createCelonisApiProxy } from '../index.js';
import { closeServers, expectProxyError, serveProxy, SPA_ORIGIN, startRecordingUpstream } from './apiProxySupport.js';

afterEach(closeServers);

/** An upstream that holds every answer until the test lets it go: `release(i)` answers call i. */
async function holdingUpstream(answer: (res: ServerResponse) => void = (res) => void res.writeHead(200, { 'Content-Type': 'text/plain' }).end('done')) {
  const held: ServerResponse[] = [];
  const upstream = await startRecordingUpstream((_req, res) => void held.push(res));
  const arrived = async (count: number) => {
    for (let tries = 0; held.length < count && tries < 200; tries += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(held).toHaveLength(count);
  };
  return { upstream, held, arrived, release: (i: number) => answer(held[i]!) };
}

const call = (url: string, init: RequestInit = {}) =>
  fetch(`${url}/celonis/intelligence/api/knowledge-models`, { ...init, headers: { Authorization: 'Bearer t', Origin: SPA_ORIGIN } });

describe('maxConcurrentRequests', () => {
  it('answers 503 proxy_busy with Retry-After beyond the cap, warns once per burst, and takes calls again when one ends', async () => {
    const team = await holdingUpstream();
    const proxy = await serveProxy({ teamUrl: team.upstream.url, maxConcurrentRequests: 2 });
    const open = [call(proxy.url), call(proxy.url)];
    await team.arrived(2);
    for (const busy of [await call(proxy.url), await call(proxy.url)]) {
      expect(busy.headers.get('retry-after')).toBe('1');
      expect(busy.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
      await expectProxyError(busy, 503, 'proxy_busy');
    }
    expect(team.upstream.seen).toHaveLength(2);
    expect(proxy.lines).toEqual(['celonis-auth API proxy: 2 calls open to the team, its limit: answering 503 proxy_busy']);
    team.release(0);
    expect(await (await open[0]!).text()).toBe('done');
    const next = call(proxy.url);
    await team.arrived(3);
    team.release(1);
    team.release(2);
    expect([await (await open[1]!).text(), await (await next).text()]).toEqual(['done', 'done']);
  });

  it('holds a slot while the answer body streams, and frees it when the body ends', async () => {
    const team = await holdingUpstream((res) => void res.writeHead(200, { 'Content-Type': 'text/plain' }).write('first '));
    const proxy = await serveProxy({ teamUrl: team.upstream.url, maxConcurrentRequests: 1 });
    const streaming = call(proxy.url);
    await team.arrived(1);
    team.release(0);
    const answer = await streaming;
    expect(answer.status).toBe(200);
    await expectProxyError(await call(proxy.url), 503, 'proxy_busy');
    team.held[0]!.end('last');
    expect(await answer.text()).toBe('first last');
    const next = call(proxy.url);
    await team.arrived(2);
    team.held[1]!.writeHead(200).end('again');
    expect(await (await next).text()).toBe('again');
  });

  it('frees the slot when the browser goes away in the middle of a body', async () => {
    // The first call's body never ends; every later call is answered at once.
    const upstream = await startRecordingUpstream((_req, res) => {
      if (upstream.seen.length === 1) res.writeHead(200, { 'Content-Type': 'text/plain' }).write('part');
      else res.writeHead(200, { 'Content-Type': 'text/plain' }).end('later');
    });
    const proxy = await serveProxy({ teamUrl: upstream.url, maxConcurrentRequests: 1 });
    const leaving = new AbortController();
    const first = await call(proxy.url, { signal: leaving.signal });
    expect(first.status).toBe(200);
    await expectProxyError(await call(proxy.url), 503, 'proxy_busy');
    leaving.abort();
    // The adapter notices the closed connection and cancels the body: bounded polling, not a fixed sleep.
    let answer = await call(proxy.url);
    for (let tries = 0; answer.status === 503 && tries < 100; tries += 1) {
      await answer.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 20));
      answer = await call(proxy.url);
    }
    expect({ status: answer.status, body: await answer.text() }).toEqual({ status: 200, body: 'later' });
  });

  it('frees the slot when the answer body is cancelled (as the BFF does with the answer it retries)', async () => {
    // A team whose bodies never end, through the injected fetch: the handler is called as a web handler.
    const endless = () => new Response(new ReadableStream<Uint8Array>({ pull: () => new Promise(() => undefined) }), { status: 200 });
    const proxy = createCelonisApiProxy({
      teamUrl: 'https://acme.eu-1.celonis.cloud',
      allowedOrigins: [SPA_ORIGIN],
      maxConcurrentRequests: 1,
      deps: { fetch: () => Promise.resolve(endless()), logger: { warn: () => undefined } },
    });
    const request = () => new Request('http://portal.local/celonis/intelligence/api/x', { headers: { Authorization: 'Bearer t' } });
    const first = await proxy(request());
    await expectProxyError(await proxy(request()), 503, 'proxy_busy');
    await first.body!.cancel();
    expect((await proxy(request())).status).toBe(200);
  });
});
