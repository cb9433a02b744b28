import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { toNodeHandler, type WebRequestHandler } from '../index.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve)))));
});

async function serve(handler: WebRequestHandler): Promise<string> {
  const server = createServer(toNodeHandler(handler));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const CHUNK = new Uint8Array(64 * 1024).fill(0x61);

/** A body of endless 64 KiB chunks made only when pulled, recording how much was made and whether it was cancelled. */
function endlessBody(): { stream: ReadableStream<Uint8Array>; made: () => number; cancelled: Promise<void> } {
  let made = 0;
  let onCancel: () => void = () => undefined;
  const cancelled = new Promise<void>((resolve) => (onCancel = resolve));
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        made += CHUNK.byteLength;
        controller.enqueue(CHUNK);
      },
      cancel: () => onCancel(),
    },
    { highWaterMark: 0 },
  );
  return { stream, made: () => made, cancelled };
}

/** GETs `url`, reads `bytes` of the body, then drops the connection. */
function readThenDrop(url: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, (res) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read < bytes) return;
        req.destroy();
        resolve(read);
      });
    });
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    req.end();
  });
}

describe('toNodeHandler streams the response body', () => {
  it('with backpressure, and cancels the body when the client goes away', async () => {
    const body = endlessBody();
    const base = await serve(async () => new Response(body.stream, { headers: { 'Content-Type': 'application/octet-stream' } }));
    expect(await readThenDrop(`${base}/`, 1024 * 1024)).toBeGreaterThanOrEqual(1024 * 1024);
    await expect(Promise.race([body.cancelled.then(() => 'cancelled'), delay(5_000, 'still pulled')])).resolves.toBe('cancelled');
    // Made only as fast as the socket took it: the client's 1 MiB plus what the socket buffers hold.
    expect(body.made()).toBeLessThan(32 * 1024 * 1024);
  });

  it('passes a whole body of several MiB through unchanged', async () => {
    const size = 5 * 1024 * 1024 + 3;
    const base = await serve(async () => new Response(new Uint8Array(size).fill(0x62)));
    const response = await fetch(`${base}/`, { signal: AbortSignal.timeout(10_000) });
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes.byteLength).toBe(size);
    expect(bytes.every((byte) => byte === 0x62)).toBe(true);
  });

  it('cuts the connection when the body fails midway, so the client never sees a clean end', async () => {
    const base = await serve(
      async () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(CHUNK);
              setTimeout(() => controller.error(new Error('upstream dropped')), 20);
            },
          }),
        ),
    );
    const response = await fetch(`${base}/`, { signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
  });

  it('aborts request.signal when the client goes away before the answer', async () => {
    let aborted: Promise<string> = Promise.resolve('not called');
    const base = await serve(async (request) => {
      aborted = new Promise((resolve) => request.signal.addEventListener('abort', () => resolve((request.signal.reason as Error).name)));
      await aborted;
      return new Response('late');
    });
    const client = new AbortController();
    const pending = fetch(`${base}/`, { signal: client.signal }).catch(() => 'gone');
    await delay(100, undefined);
    client.abort();
    expect(await pending).toBe('gone');
    await expect(Promise.race([aborted, delay(5_000, 'never aborted')])).resolves.toBe('AbortError');
  });

  it('sends no body for HEAD, and keeps the declared Content-Length', async () => {
    const base = await serve(async () => new Response('twelve bytes', { headers: { 'Content-Length': '12' } }));
    const response = await fetch(`${base}/`, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
    expect(response.headers.get('content-length')).toBe('12');
    expect(await response.text()).toBe('');
  });
});

function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms).unref());
}
