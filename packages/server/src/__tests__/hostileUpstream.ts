import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** 300 MiB: what went through the relay, and grew the process by 944 MB, before bodies were capped. */
export const HOSTILE_BODY_BYTES = 300 * 1024 * 1024;

/** What a hostile token endpoint sends. */
export interface HostileAnswer {
  status: number;
  /** `Content-Length` to declare; none means chunked. */
  contentLength?: number;
  /** Bytes of body to stream (a JSON-looking filler); `Infinity` streams until the client goes away. */
  bytes: number;
}

/** One connection to the hostile endpoint, as it saw it. */
export interface HostileConnection {
  /** Body bytes it handed to the socket. */
  bytesSent(): number;
  /** Resolves when the client closed (or cancelled) the connection. */
  closed: Promise<void>;
  /** Whether the whole body went out before the connection closed. */
  finished(): boolean;
}

/** A token endpoint on 127.0.0.1 that answers every request with {@link HostileAnswer}, as fast as the client reads it. */
export interface HostileUpstream {
  url: string;
  connections: HostileConnection[];
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, '7');

/** Starts a {@link HostileUpstream}; it writes with backpressure, so it buffers nothing itself. */
export async function startHostileUpstream(answer: HostileAnswer): Promise<HostileUpstream> {
  const connections: HostileConnection[] = [];
  const server = createServer((req, res) => {
    req.resume();
    let sent = 0;
    let done = false;
    let gone = false;
    const closed = new Promise<void>((resolve) => req.socket.once('close', () => ((gone = true), resolve())));
    connections.push({ bytesSent: () => sent, closed, finished: () => done });
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (answer.contentLength !== undefined) headers['Content-Length'] = String(answer.contentLength);
    res.writeHead(answer.status, headers);
    res.write('{"access_token":"');
    pump(
      res,
      () => gone,
      answer.bytes,
      (n) => (sent += n),
      () => ((done = true), res.end('"}')),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

// Writes up to `total` bytes, pausing whenever the socket's buffer is full, until the client is gone.
function pump(res: ServerResponse, gone: () => boolean, total: number, count: (n: number) => void, end: () => void): void {
  let left = total;
  const write = () => {
    while (!gone() && left > 0) {
      const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
      left -= chunk.length;
      count(chunk.length);
      if (!res.write(chunk)) return void res.once('drain', write);
    }
    if (!gone()) end();
  };
  write();
}
