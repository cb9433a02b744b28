import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { fakeBroadcastHub, fakeClock, fakeLocks } from '@celonis-auth/test-utils';
import { createClient, expectNoInvalidGrant, grants, PAST_EXPIRY_MS, signIn, storageWithKeys, storedSession } from '../emulatorHarness.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

// "Started" tabs listen on the broadcast hub, so one tab's refresh reaches the other while it waits
// for the lock; "not started" tabs only see each other through the shared storage.
it.each([{ started: true }, { started: false }])(
  'two tabs sharing storage, a lock and a channel: 50 concurrent getAccessToken() after expiry send one refresh_token grant (started: $started)',
  async ({ started }) => {
    const storage = storageWithKeys();
    const clock = fakeClock(Date.now());
    const hub = fakeBroadcastHub();
    const shared = { storage, clock, deps: { locks: fakeLocks(), broadcast: hub.open } };
    const tabA = createClient(emulator, shared);
    const tabB = createClient(emulator, shared);
    const stops = started ? [tabA.auth.start(), tabB.auth.start()] : [];
    try {
      await signIn(tabA, emulator);
      const first = tabA.auth.store.getState().accessToken;
      expect(await tabB.auth.getAccessToken()).toBe(first);

      clock.advance(PAST_EXPIRY_MS);
      const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? tabA : tabB).auth.getAccessToken()));

      expect(new Set(tokens).size).toBe(1);
      expect(tokens[0]).not.toBe(first);
      expect(grants(emulator, 'refresh_token').map((r) => r.status)).toEqual([200]);
      expect(emulator.requests('token').every((r) => r.status === 200)).toBe(true);
      expectNoInvalidGrant(emulator);
      for (const tab of [tabA, tabB]) expect(tab.auth.store.getState()).toMatchObject({ status: 'authenticated', accessToken: tokens[0], error: null });
      expect(storedSession(storage, emulator)?.accessToken).toBe(tokens[0]);
      // The new token works at the API from either tab.
      expect((await tabB.auth.fetch('/api/me')).status).toBe(200);
    } finally {
      stops.forEach((stop) => stop());
    }
  },
);
