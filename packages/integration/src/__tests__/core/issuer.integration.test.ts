// RFC 9207 end to end: the core against an emulator that sends iss (sendIssuer), and one that does not.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { createClient, grants, signIn } from './emulatorHarness.js';

let plain: RunningEmulator;
let sending: RunningEmulator;
beforeAll(async () => {
  [plain, sending] = await Promise.all([startEmulator(), startEmulator({ config: { sendIssuer: true } })]);
});
afterAll(() => Promise.all([plain.close(), sending.close()]));
beforeEach(() => {
  plain.reset();
  sending.reset();
});

describe('the callback against the emulator', () => {
  it('signs in when the emulator sends iss = the team URL, and with requireIssuer too', async () => {
    for (const requireIssuer of [false, true]) {
      const client = createClient(sending, { config: { requireIssuer } });
      await expect(signIn(client, sending)).resolves.toEqual({ returnTo: '/reports?id=1' });
      expect(client.auth.store.getState().status).toBe('authenticated');
    }
  });

  it('refuses with issuer_mismatch, before any token request, when iss is required but the emulator sends none', async () => {
    const client = createClient(plain, { config: { requireIssuer: true } });
    await expect(signIn(client, plain)).rejects.toMatchObject({ code: 'issuer_mismatch' });
    expect(grants(plain, 'authorization_code')).toEqual([]);
  });

  it('refuses with issuer_mismatch when the configured issuer is another server than the one answering', async () => {
    const client = createClient(sending, { config: { issuer: 'https://login.other.example' } });
    await expect(signIn(client, sending)).rejects.toMatchObject({ code: 'issuer_mismatch' });
    expect(grants(sending, 'authorization_code')).toEqual([]);
  });
});
