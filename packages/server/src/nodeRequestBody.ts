import type { IncomingMessage, ServerResponse } from 'node:http';

/** A Node request body as a web stream, with its deadline. */
export interface NodeRequestBody {
  stream: ReadableStream<Uint8Array>;
  /** Discards whatever the handler did not read, so the connection can carry the response (until the deadline). */
  discardRest(): void;
}

/**
 * The body of `req` as a pull-driven stream: Node reads the socket only as fast as the handler
 * consumes it. The body must arrive in full within `timeoutMs` of this call; when it has not, a
 * handler still reading sees the stream fail with a `TimeoutError`, and the connection is closed
 * once the answer is written (`Connection: close` if it is not sent yet), so a client sending one
 * byte a second cannot hold it open, neither while the handler reads nor while the rest is discarded.
 */
export function nodeRequestBody(req: IncomingMessage, res: ServerResponse, timeoutMs: number): NodeRequestBody {
  let onData: ((chunk: Buffer) => void) | undefined;
  let fail: ((error: Error) => void) | undefined;
  const detach = () => {
    if (onData) req.off('data', onData);
    onData = undefined;
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // An earlier middleware read the body already: 'end' will not come again, so end the stream now.
        if (req.readableEnded) return controller.close();
        onData = (chunk) => {
          controller.enqueue(new Uint8Array(chunk));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        };
        fail = (error) => (onData ? (detach(), controller.error(error)) : undefined);
        req.on('data', onData);
        req.pause();
        req.once('end', () => (onData ? controller.close() : undefined));
        req.once('error', (error) => fail?.(error));
      },
      pull() {
        req.resume();
      },
      cancel() {
        detach();
        req.resume();
      },
    },
    { highWaterMark: 1 },
  );
  if (!req.readableEnded) {
    const timer = setTimeout(() => {
      fail?.(new DOMException(`the request body did not arrive within ${timeoutMs} ms`, 'TimeoutError'));
      closeAfterAnswer(req, res);
    }, timeoutMs);
    timer.unref();
    const clear = () => clearTimeout(timer);
    req.once('end', clear);
    req.once('close', clear);
  }
  return {
    stream,
    discardRest() {
      detach();
      req.resume();
    },
  };
}

function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  const close = () => void req.socket.destroy();
  if (res.writableFinished) return close();
  if (!res.headersSent) res.setHeader('Connection', 'close');
  res.once('finish', close);
  res.once('close', close);
}
