import { fakeClock } from './fakeClock.js';
import { fakePage } from './fakePage.js';
import { fakeTimers } from './fakeTimers.js';
import { memoryStorage } from './memoryStorage.js';
import type { FakePlatform } from './platformShapes.js';

/**
 * Every platform dependency of the core faked (page, clock, timers, `random` 0.5, memory
 * transaction storage, warnings collected), with no network, cross-tab or wake sources unless
 * `overrides` add them. A fetch that was not overridden throws, so no test reaches a real host.
 *
 * @example
 * ```ts
 * const fake = fakeDeps({ locks: fakeLocks() });
 * const auth = createCelonisAuth({ ...config, deps: { ...fake.deps, fetch: net.fetch } });
 * fake.timers.advance(60_000);
 * ```
 */
export function fakeDeps<Overrides extends Partial<FakePlatform> = Partial<FakePlatform>>(overrides?: Overrides) {
  const clock = fakeClock();
  const timers = fakeTimers(clock);
  const page = fakePage();
  const warnings: string[] = [];
  const defaults: Partial<FakePlatform> = {
    // A test that forgot to fake the network must fail, never reach a real host.
    fetch: async (input) => {
      throw new Error(`fakeDeps: no fetch injected for ${String(input instanceof Request ? input.url : input)}`);
    },
    ...page.deps,
    now: clock.now,
    timers,
    random: () => 0.5,
    transactionStorage: memoryStorage(),
    locks: undefined,
    broadcast: undefined,
    onWake: undefined,
    warn: (m) => void warnings.push(m),
  };
  const deps = { ...defaults, ...overrides } as Partial<FakePlatform> & Overrides;
  return { deps, clock, timers, page, warnings };
}
