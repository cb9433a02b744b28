import type { FakeClock } from './fakeClock.js';
import type { TimerLike } from './platformShapes.js';

/** {@link fakeTimers}: `TimerLike` plus what a test drives it with. */
export interface FakeTimers extends TimerLike {
  /** The timers not yet fired: when they are due and the delay they were set with. */
  pending: () => { at: number; ms: number }[];
  /** Moves the clock by `ms` and fires what is due. */
  advance: (ms: number) => void;
  /** Fires the timers that are due now, earliest first. */
  runDue: () => void;
}

/**
 * Timers driven by a fake clock: `runDue()` fires what is due, `advance(ms)` moves time and fires.
 *
 * @example
 * ```ts
 * const clock = fakeClock();
 * const timers = fakeTimers(clock);
 * timers.advance(60_000);
 * ```
 */
export function fakeTimers(clock: FakeClock): FakeTimers {
  let seq = 0;
  const pending = new Map<number, { at: number; callback: () => void; ms: number }>();
  const timers: FakeTimers = {
    setTimeout(callback, ms) {
      const id = ++seq;
      pending.set(id, { at: clock.now() + ms, callback, ms });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
    pending: () => [...pending.values()].map(({ at, ms }) => ({ at, ms })),
    advance(ms) {
      clock.advance(ms);
      timers.runDue();
    },
    runDue() {
      for (const [id, timer] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at <= clock.now() && pending.has(id)) {
          pending.delete(id);
          timer.callback();
        }
      }
    },
  };
  return timers;
}
