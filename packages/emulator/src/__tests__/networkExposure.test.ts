import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmulatorExposureError, startEmulator } from '@celonis-auth/emulator';
import { resolveBindAddress } from '../bindAddress.js';
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

describe('binding beyond loopback', () => {
  it.each(['0.0.0.0', '::', '192.168.1.20', '10.0.0.5'])('refuses host %s without allowRemote, before listening, naming the flag', async (host) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = await startEmulator({ host }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmulatorExposureError);
    expect(error).toMatchObject({ address: host, message: expect.stringContaining('allowRemote: true') });
    // 192.168.1.20 is no address of this machine: listening would have failed with EADDRNOTAVAIL instead.
    expect((error as Error).message).toContain('is not a loopback address');
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it.each(['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]'])('binds %s without allowRemote', async (host) => {
    const emulator = await startEmulator({ host });
    try {
      expect((await fetch(`${emulator.url}/__emulator/clock`)).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });

  it.each([
    { host: '0.0.0.0', allowRemote: true, remote: true },
    { host: '::', allowRemote: true, remote: true },
    { host: '127.0.0.1', allowRemote: false, remote: false },
    { host: '127.0.0.1', allowRemote: true, remote: false },
    { host: '[::1]', allowRemote: false, remote: false },
  ])('resolveBindAddress($host, allowRemote $allowRemote) says remote: $remote', async ({ host, allowRemote, remote }) => {
    expect(await resolveBindAddress(host, allowRemote)).toEqual({ address: host.replace(/^\[(.*)\]$/, '$1'), remote });
  });

  describe('with allowRemote', () => {
    afterEach(() => {
      vi.doUnmock('../bindAddress.js');
      vi.resetModules();
    });

    // Tests bind loopback only: a stand-in says 127.0.0.1 is beyond loopback, as 0.0.0.0 would be.
    async function startRemote(options: { config?: { controlSurface?: boolean } } = {}) {
      vi.doMock('../bindAddress.js', async (importOriginal) => ({
        ...(await importOriginal<typeof import('../bindAddress.js')>()),
        resolveBindAddress: (_host: string, allowRemote: boolean) => Promise.resolve({ address: '127.0.0.1', remote: allowRemote }),
      }));
      vi.resetModules();
      const { startEmulator: start } = await import('../startEmulator.js');
      return start({ host: '0.0.0.0', allowRemote: true, ...options });
    }

    it('turns the control surface off unless asked for', async () => {
      const emulator = await startRemote();
      try {
        expect(emulator.config.controlSurface).toBe(false);
        expect((await fetch(`${emulator.url}/__emulator/config`)).status).toBe(404);
        expect((await fetch(`${emulator.url}/oauth2/jwks`)).status).toBe(200);
      } finally {
        await emulator.close();
      }
    });

    it('serves the control surface when config.controlSurface is true explicitly', async () => {
      const emulator = await startRemote({ config: { controlSurface: true } });
      try {
        expect((await fetch(`${emulator.url}/__emulator/clock`)).status).toBe(200);
      } finally {
        await emulator.close();
      }
    });

    it('answers requests addressed to another IP address of the machine, and still refuses names', async () => {
      const emulator = await startRemote();
      try {
        const jwks = (host: string) =>
          new Promise<number>((resolve, reject) => {
            const req = httpRequest({ host: '127.0.0.1', port: emulator.port, path: '/oauth2/jwks', headers: { Host: host } }, (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            });
            req.on('error', reject);
            req.end();
          });
        expect(await jwks(`192.168.1.20:${emulator.port}`)).toBe(200);
        expect(await jwks(`attacker.example:${emulator.port}`)).toBe(403);
      } finally {
        await emulator.close();
      }
    });
  });
});
