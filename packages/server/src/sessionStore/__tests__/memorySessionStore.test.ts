import { describe, expect, test } from 'vitest';
import { createMemorySessionStore } from '../memorySessionStore.js';

function clockedStore() {
  const clock = { now: 1_000_000 };
  return { clock, store: createMemorySessionStore({ now: () => clock.now }) };
}

describe('createMemorySessionStore: values with TTLs on the injected clock', () => {
  test('get, set, replace, delete', async () => {
    const { store } = clockedStore();
    expect(await store.get('a')).toBeNull();
    await store.set('a', 'one', 1_000);
    expect(await store.get('a')).toBe('one');
    await store.set('a', 'two', 1_000);
    expect(await store.get('a')).toBe('two');
    await store.delete('a');
    await store.delete('a');
    expect(await store.get('a')).toBeNull();
  });

  test('a value lives exactly ttlMs', async () => {
    const { clock, store } = clockedStore();
    await store.set('a', 'v', 500);
    clock.now += 499;
    expect(await store.get('a')).toBe('v');
    clock.now += 1;
    expect(await store.get('a')).toBeNull();
  });

  test('a replacing set restarts the TTL', async () => {
    const { clock, store } = clockedStore();
    await store.set('a', 'v', 500);
    clock.now += 400;
    await store.set('a', 'w', 500);
    clock.now += 400;
    expect(await store.get('a')).toBe('w');
  });

  test('expired values nobody reads are swept on a later write', async () => {
    const { clock, store } = clockedStore();
    await store.set('old', 'v', 10);
    clock.now += 61_000;
    await store.set('new', 'v', 10_000);
    // Swept: moving the clock back (as a test may) does not bring it back.
    clock.now -= 61_000;
    expect(await store.get('old')).toBeNull();
  });

  test.each([
    ['an empty key', (s: ReturnType<typeof createMemorySessionStore>) => s.get('')],
    ['a key that is no string', (s: ReturnType<typeof createMemorySessionStore>) => s.set(1 as unknown as string, 'v', 1)],
    ['a value that is no string', (s: ReturnType<typeof createMemorySessionStore>) => s.set('k', {} as unknown as string, 1)],
    ['a TTL of 0', (s: ReturnType<typeof createMemorySessionStore>) => s.set('k', 'v', 0)],
    ['a fractional TTL', (s: ReturnType<typeof createMemorySessionStore>) => s.set('k', 'v', 1.5)],
    ['a lease of 0', (s: ReturnType<typeof createMemorySessionStore>) => s.lock('l', { leaseMs: 0, waitMs: 0 })],
    ['a negative wait', (s: ReturnType<typeof createMemorySessionStore>) => s.lock('l', { leaseMs: 1, waitMs: -1 })],
  ])('%s rejects with invalid_argument', async (_name, call) => {
    await expect(call(createMemorySessionStore())).rejects.toMatchObject({ name: 'CodedTypeError', code: 'invalid_argument' });
  });

  test('a now that is no function is refused synchronously', () => {
    expect(() => createMemorySessionStore({ now: 5 as unknown as () => number })).toThrow(expect.objectContaining({ code: 'invalid_session_store' }));
  });
});

describe('createMemorySessionStore: leased locks', () => {
  test('one holder at a time; a release frees it', async () => {
    const { store } = clockedStore();
    const first = await store.lock('l', { leaseMs: 1_000, waitMs: 0 });
    expect(first).not.toBeNull();
    expect(await store.lock('l', { leaseMs: 1_000, waitMs: 0 })).toBeNull();
    expect(await store.lock('other', { leaseMs: 1_000, waitMs: 0 })).not.toBeNull();
    await first!.release();
    expect(await store.lock('l', { leaseMs: 1_000, waitMs: 0 })).not.toBeNull();
  });

  test('a holder that never releases leaves a lock that expires with its lease', async () => {
    const { clock, store } = clockedStore();
    await store.lock('l', { leaseMs: 1_000, waitMs: 0 });
    clock.now += 999;
    expect(await store.lock('l', { leaseMs: 1_000, waitMs: 0 })).toBeNull();
    clock.now += 1;
    expect(await store.lock('l', { leaseMs: 1_000, waitMs: 0 })).not.toBeNull();
  });

  test('a late release, after the lease ran out and another took the lock, frees nothing', async () => {
    const { clock, store } = clockedStore();
    const late = await store.lock('l', { leaseMs: 1_000, waitMs: 0 });
    clock.now += 1_000;
    const current = await store.lock('l', { leaseMs: 1_000, waitMs: 0 });
    expect(current).not.toBeNull();
    await late!.release();
    expect(await store.lock('l', { leaseMs: 1_000, waitMs: 0 })).toBeNull();
    await current!.release();
    await current!.release();
    expect(await store.lock('l', { leaseMs: 1_000, waitMs: 0 })).not.toBeNull();
  });

  test('a waiter gets the lock as soon as it is released', async () => {
    const store = createMemorySessionStore();
    const held = await store.lock('l', { leaseMs: 60_000, waitMs: 0 });
    const started = performance.now();
    const waiting = store.lock('l', { leaseMs: 1_000, waitMs: 5_000 });
    setTimeout(() => void held!.release(), 30);
    expect(await waiting).not.toBeNull();
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  test('a waiter gives up after waitMs (real time), with null', async () => {
    const { store } = clockedStore();
    await store.lock('l', { leaseMs: 60_000, waitMs: 0 });
    const started = performance.now();
    expect(await store.lock('l', { leaseMs: 1_000, waitMs: 60 })).toBeNull();
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  test('a waiter takes a lock whose holder died once the lease runs out', async () => {
    const store = createMemorySessionStore();
    await store.lock('l', { leaseMs: 50, waitMs: 0 });
    expect(await store.lock('l', { leaseMs: 1_000, waitMs: 2_000 })).not.toBeNull();
  });

  test('many waiters: each gets the lock in turn, never two at once', async () => {
    const store = createMemorySessionStore();
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const lock = await store.lock('l', { leaseMs: 5_000, waitMs: 5_000 });
        expect(lock).not.toBeNull();
        most = Math.max(most, ++inside);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inside--;
        await lock!.release();
      }),
    );
    expect(most).toBe(1);
  });
});
