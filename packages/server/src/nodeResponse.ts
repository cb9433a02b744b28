import type { ServerResponse } from 'node:http';

// Statuses whose responses never carry a body (RFC 9110 §6.4.1), whatever a handler returned.
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * Writes a web `Response` to a `node:http` response: status, headers (every `Set-Cookie` line kept)
 * and the body streamed chunk by chunk with backpressure, so a large body is never buffered whole.
 * When the client goes away the body is cancelled (an upstream read behind it stops too); when the
 * body fails midway the connection is destroyed, so the client sees a cut body, never a clean end.
 * Resolves once the body is written, cut or cancelled; never rejects for a body failure.
 *
 * @param method the request's method: a `HEAD` answer gets no body.
 */
export async function writeWebResponse(response: Response, res: ServerResponse, method: string): Promise<void> {
  res.statusCode = response.status;
  // Set-Cookie lines are set together: one setHeader per forEach entry would keep only the last.
  response.headers.forEach((value, name) => (name === 'set-cookie' ? undefined : res.setHeader(name, value)));
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('Set-Cookie', cookies);
  if (response.body === null || method === 'HEAD' || NULL_BODY_STATUSES.has(response.status)) {
    await response.body?.cancel().catch(() => undefined);
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const stop = () => void reader.cancel(new DOMException('the client went away', 'AbortError')).catch(() => undefined);
  res.once('close', stop);
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done || res.destroyed) break;
      if (!res.write(next.value)) await drainedOrClosed(res);
    }
    if (!res.destroyed) res.end();
  } catch {
    // Headers are out: only a destroyed connection tells the client the body is incomplete.
    res.destroy();
  } finally {
    res.off('close', stop);
  }
}

// Resolves when the socket can take more, or when it is gone (then the loop above stops).
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
