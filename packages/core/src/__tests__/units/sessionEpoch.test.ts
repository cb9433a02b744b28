import { expect, it } from 'vitest';
import { createSessionEpoch } from '../../session/sessionEpoch.js';

it('a turn is overtaken once the epoch advances, and a turn taken after is not', () => {
  const epoch = createSessionEpoch();
  const before = epoch.turn();
  expect(before.overtaken).toBe(false);
  epoch.advance();
  expect(before.overtaken).toBe(true);
  const after = epoch.turn();
  expect(after.overtaken).toBe(false);
  epoch.advance();
  expect([before.overtaken, after.overtaken]).toEqual([true, true]);
});
