/**
 * The rejection of `promise`, to assert on its `code`; throws (failing the test) when it resolves.
 *
 * @example
 * ```ts
 * expect(await rejection(auth.refresh())).toMatchObject({ code: 'session_expired' });
 * ```
 */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}
