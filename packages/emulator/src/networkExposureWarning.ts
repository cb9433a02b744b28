import { isLoopbackAddress } from './bindAddress.js';

/**
 * The warning for an emulator bound to `address` (as `server.address()` reports it), or
 * `undefined` when that is a loopback address only this machine can reach.
 *
 * @example
 * ```ts
 * networkExposureWarning('0.0.0.0', true) // 'celonis-emulator: WARNING: listening on 0.0.0.0, ...'
 * networkExposureWarning('127.0.0.1', true) // undefined
 * ```
 */
export function networkExposureWarning(address: string, controlSurface: boolean): string | undefined {
  if (isLoopbackAddress(address)) return undefined;
  const control = controlSurface
    ? ' and so is the unauthenticated control surface (/__emulator: reset, faults, headless approval, and the configuration with every secret and password)'
    : '';
  return (
    `celonis-emulator: WARNING: listening on ${address}, which is not a loopback address. The seeded client secrets and user passwords ` +
    `are usable from the network${control}. Bind 127.0.0.1 (the default) unless that is what you want.`
  );
}
