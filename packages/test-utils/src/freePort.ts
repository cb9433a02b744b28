import { createServer } from 'node:net';

/**
 * A port that was free on 127.0.0.1 a moment ago: bound to port 0, then released. For a child
 * process that must be told its port, or for a port nothing listens on (a refused connection).
 *
 * @example
 * ```ts
 * const port = await freePort() // then spawn('redis-server', ['--port', String(port)])
 * ```
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
