import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEmulator } from '@celonis-auth/emulator';
import { networkExposureWarning } from '../networkExposureWarning.js';

describe('the warning for an emulator reachable from the network', () => {
  it.each(['0.0.0.0', '::', '192.168.1.20', '10.0.0.5', 'fe80::1', '128.0.0.1', '::ffff:10.0.0.5'])(
    'warns for %s: secrets and the control surface are on the network',
    (address) => {
      const warning = networkExposureWarning(address, true);
      expect(warning).toContain(`listening on ${address}, which is not a loopback address`);
      expect(warning).toContain('client secrets and user passwords are usable from the network');
      expect(warning).toContain('/__emulator');
    },
  );

  it('leaves the control surface out of the warning when it is off', () => {
    const warning = networkExposureWarning('0.0.0.0', false);
    expect(warning).toContain('client secrets and user passwords are usable from the network');
    expect(warning).not.toContain('/__emulator');
  });

  it.each(['127.0.0.1', '127.0.0.2', '127.255.255.254', '::1', '::ffff:127.0.0.1'])('stays quiet for the loopback address %s', (address) => {
    expect(networkExposureWarning(address, true)).toBeUndefined();
  });

  describe('startEmulator', () => {
    afterEach(() => {
      vi.restoreAllMocks();
      vi.doUnmock('../networkExposureWarning.js');
      vi.resetModules();
    });

    // Tests bind loopback only, so the warning's wiring is shown with a stand-in that warns for any address.
    it('logs the warning for the address it is bound to, once, with console.warn (stderr for the CLI)', async () => {
      vi.doMock('../networkExposureWarning.js', () => ({
        networkExposureWarning: (address: string, control: boolean) => `exposed on ${address} (control surface ${control})`,
      }));
      vi.resetModules();
      const { startEmulator: start } = await import('../startEmulator.js');
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const emulator = await start();
      await emulator.close();
      expect(warn.mock.calls).toEqual([['exposed on 127.0.0.1 (control surface true)']]);
    });

    it.each(['127.0.0.1', 'localhost', '::1'])('logs no warning for host %s', async (host) => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const emulator = await startEmulator({ host });
      await emulator.close();
      expect(warn).not.toHaveBeenCalled();
    });
  });
});
