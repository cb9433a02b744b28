import { expect, it } from 'vitest';
import { startEmulator } from '@celonis-auth/emulator';
it('starts', async () => {
  const e = await startEmulator();
  expect(e.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  await e.close();
});
