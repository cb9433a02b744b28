/**
 * A clock tests move by hand: `now` for `deps.now`, `advance(ms)` and `set(ms)` to move it.
 *
 * @example
 * ```ts
 * const clock = fakeClock();
 * clock.advance(60_000);
 * ```
 */
export function fakeClock(start = Date.UTC(2026, 10, 29, 12)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms), set: (ms: number) => void (now = ms) };
}

/** What {@link fakeClock} returns. */
export type FakeClock = ReturnType<typeof fakeClock>;
