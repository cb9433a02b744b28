/** Lets promise chains and fake-fetch bodies finish: a few turns of the real event loop. */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Moves fake time forward in steps, firing due timers and letting their work {@link settle} after each. */
export async function runTimersFor(timers: { advance: (ms: number) => void }, ms: number, stepMs = 1_000): Promise<void> {
  for (let done = 0; done < ms; done += stepMs) {
    timers.advance(Math.min(stepMs, ms - done));
    await settle();
  }
}
