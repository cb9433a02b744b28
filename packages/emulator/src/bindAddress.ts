import { lookup } from 'node:dns/promises';

/**
 * Thrown by `startEmulator` for a `host` beyond loopback without `allowRemote: true`: the seeded
 * secrets and passwords would be usable from the network.
 */
export class EmulatorExposureError extends Error {
  override readonly name = 'EmulatorExposureError';
  /** The address `host` resolved to, e.g. `0.0.0.0`. */
  readonly address: string;

  constructor(message: string, address: string) {
    super(message);
    this.address = address;
  }
}

/** Whether `address` (as `server.address()` reports it) is one only this machine can reach: 127.0.0.0/8 or ::1. */
export function isLoopbackAddress(address: string): boolean {
  // Also in their IPv4-mapped IPv6 spelling.
  return /^(?:::ffff:)?127(?:\.\d{1,3}){3}$/i.test(address) || address === '::1';
}

/**
 * The address to listen on for `host` (a name is resolved as `listen` would), and whether it is
 * beyond loopback, checked before anything listens.
 *
 * @throws {EmulatorExposureError} for an address beyond loopback without `allowRemote`.
 */
export async function resolveBindAddress(host: string, allowRemote: boolean): Promise<{ address: string; remote: boolean }> {
  const { address } = await lookup(host.replace(/^\[(.*)\]$/, '$1'));
  const remote = !isLoopbackAddress(address);
  if (remote && !allowRemote) {
    throw new EmulatorExposureError(
      `host ${host} (${address}) is not a loopback address: the seeded client secrets and user passwords would be usable from the network. ` +
        'Pass allowRemote: true (CLI: --allow-remote) to bind it anyway; the control surface is then off unless asked for (controlSurface: true, CLI: --control-surface).',
      address,
    );
  }
  return { address, remote };
}
