// The test-utils package copies the core's platform interfaces by shape (it must not depend on the
// core); these checks fail the type tests the day a copy and its original drift apart.
import { describe, expectTypeOf, it } from 'vitest';
import type { BroadcastLike, CelonisAuthDeps, LocksLike, StorageLike, TimerLike } from '@celonis-auth/core';
import type {
  BroadcastLike as BroadcastCopy,
  FakePlatform,
  LocksLike as LocksCopy,
  StorageLike as StorageCopy,
  TimerLike as TimerCopy,
} from '@celonis-auth/test-utils';

describe("test-utils' platform shapes", () => {
  it('are the core interfaces they copy', () => {
    expectTypeOf<StorageCopy>().toEqualTypeOf<StorageLike>();
    expectTypeOf<LocksCopy>().toEqualTypeOf<LocksLike>();
    expectTypeOf<BroadcastCopy>().toEqualTypeOf<BroadcastLike>();
    expectTypeOf<TimerCopy>().toEqualTypeOf<TimerLike>();
  });

  // Assignable rather than equal: a fake may take fewer parameters (navigate ignores its options).
  it('can stand in for the fields of CelonisAuthDeps that fakeDeps fakes', () => {
    expectTypeOf<FakePlatform>().toExtend<Pick<CelonisAuthDeps, keyof FakePlatform>>();
  });
});
