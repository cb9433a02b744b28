/**
 * A promise resolved (or rejected) from outside, to hold a fake response until the test lets it go.
 *
 * @example
 * ```ts
 * const answer = deferred<Response>();
 * const net = fakeFetch(() => answer.promise);
 * answer.resolve(tokenResponse(2));
 * ```
 */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
