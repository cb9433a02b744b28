/** The emulator's notion of now: the wall clock plus an offset tests can advance. */
export interface EmulatorClock {
  /** Milliseconds since the epoch, as the emulator sees them. */
  now(): number;
  /** Moves the clock forward so codes and tokens expire without waiting. */
  advance(seconds: number): void;
  /** Back to the wall clock. */
  reset(): void;
}

/** Creates an {@link EmulatorClock} on top of `wallClock` (default `Date.now`). */
export function createEmulatorClock(wallClock: () => number = Date.now): EmulatorClock {
  let offsetMs = 0;
  return {
    now: () => wallClock() + offsetMs,
    advance(seconds) {
      if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('clock.advance takes a finite, non-negative number of seconds');
      offsetMs += seconds * 1000;
    },
    reset() {
      offsetMs = 0;
    },
  };
}
