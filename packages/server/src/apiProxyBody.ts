/** Why a request body stopped being forwarded. */
export type RequestBodyFailure = 'too-large' | 'too-slow' | 'unreadable';

/** A request body on its way upstream, counted and timed. */
export interface CappedRequestBody {
  stream: ReadableStream<Uint8Array>;
  /** Set once the body was cut: the upstream fetch then fails, and this says why. */
  failure(): RequestBodyFailure | undefined;
}

/**
 * Passes `body` on as it is pulled (never buffered whole), failing the stream, and cancelling the
 * source, once more than `maxBytes` went through or the body did not end within `timeoutMs`
 * (a `TimeoutError` from the source, as the Node adapter's deadline gives, counts as too slow).
 */
export function capRequestBody(body: ReadableStream<Uint8Array>, maxBytes: number, timeoutMs: number): CappedRequestBody {
  const reader = body.getReader();
  let size = 0;
  let failure: RequestBodyFailure | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'too-slow'>((resolve) => (timer = setTimeout(() => resolve('too-slow'), timeoutMs)));
  // A body upstream stopped reading (it answered early) must not hold the process open until the deadline.
  timer?.unref();
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, reason: RequestBodyFailure, error: Error) => {
    failure = reason;
    clearTimeout(timer);
    void reader.cancel(error).catch(() => undefined);
    controller.error(error);
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: ReadableStreamReadResult<Uint8Array> | 'too-slow';
        try {
          next = await Promise.race([reader.read(), deadline]);
        } catch (error) {
          const slow = error instanceof Error && error.name === 'TimeoutError';
          return fail(controller, slow ? 'too-slow' : 'unreadable', error instanceof Error ? error : new Error('the request body could not be read'));
        }
        if (next === 'too-slow')
          return fail(controller, 'too-slow', new DOMException(`the request body did not arrive within ${timeoutMs} ms`, 'TimeoutError'));
        if (next.done) {
          clearTimeout(timer);
          return controller.close();
        }
        size += next.value.byteLength;
        if (size > maxBytes) return fail(controller, 'too-large', new RangeError(`the request body is larger than ${maxBytes} bytes`));
        controller.enqueue(next.value);
      },
      cancel(reason) {
        clearTimeout(timer);
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, failure: () => failure };
}

/** Why a response body was cut. */
export type ResponseBodyCut = 'too-large' | 'idle';

/**
 * Passes a response body on as it is read, erroring the stream (so the client sees a cut body,
 * never more than `maxBytes`) and cancelling the upstream read once more than `maxBytes` came, or
 * once no chunk came within `idleMs` of being asked for (a team dripping bytes cannot hold the
 * answer open; a slow client, which asks for nothing, is not timed).
 *
 * @param onCut called once, when the body is cut, with why.
 */
export function capResponseBody(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  idleMs: number,
  onCut: (why: ResponseBodyCut) => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let size = 0;
  const cut = (controller: ReadableStreamDefaultController<Uint8Array>, why: ResponseBodyCut, error: Error) => {
    onCut(why);
    void reader.cancel(error).catch(() => undefined);
    controller.error(error);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const idle = new Promise<'idle'>((resolve) => (timer = setTimeout(() => resolve('idle'), idleMs)));
        let next: ReadableStreamReadResult<Uint8Array> | 'idle';
        try {
          next = await Promise.race([reader.read(), idle]);
        } catch (error) {
          return controller.error(error);
        } finally {
          clearTimeout(timer);
        }
        if (next === 'idle') return cut(controller, 'idle', new DOMException(`no response data within ${idleMs} ms`, 'TimeoutError'));
        if (next.done) return controller.close();
        size += next.value.byteLength;
        if (size > maxBytes) return cut(controller, 'too-large', new RangeError(`the response body is larger than ${maxBytes} bytes`));
        controller.enqueue(next.value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
