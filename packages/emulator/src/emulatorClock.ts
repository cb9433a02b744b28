/** The emulator's notion of now: the wall clock plus an offset tests can advance. */
export interface EmulatorClock {
  /** Milliseconds since the epoch, as the emulator sees them. */
  now(): number;
  /** Moves the clock forward so codes and tokens expire without waiting. */
  advance(seconds: number): void;
  /** Back to the wall clock. */
  reset(): void;
}

const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

/** Creates an {@link EmulatorClock} on top of `wallClock` (default `Date.now`). */
export function createEmulatorClock(wallClock: () => number = Date.now): EmulatorClock {
  let offsetMs = 0;
  return {
    now: () => wallClock() + offsetMs,
    advance(seconds) {
      if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('clock.advance takes a finite, non-negative number of seconds');
      // Past this, token and log dates (plus a lifetime of up to a year) leave Date's range and every request would fail.
      if (wallClock() + offsetMs + seconds * 1000 > LATEST_MS)
        throw new RangeError(`clock.advance: ${seconds} seconds would move the clock past the year 9999`);
      offsetMs += seconds * 1000;
    },
    reset() {
      offsetMs = 0;
    },
  };
}
