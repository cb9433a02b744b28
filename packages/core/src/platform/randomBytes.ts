import { CelonisAuthError } from '../protocol/celonisAuthError.js';
import type { CelonisAuthDeps } from './celonisAuthDeps.js';

/**
 * `length` bytes from the CSPRNG of `deps.crypto`.
 *
 * @throws {CelonisAuthError} `crypto_unavailable` when there is no Web Crypto.
 */
export function randomBytes(deps: Pick<CelonisAuthDeps, 'crypto'>, length: number): Uint8Array {
  if (typeof deps.crypto?.getRandomValues !== 'function')
    throw new CelonisAuthError('crypto_unavailable', 'Web Crypto is unavailable (an insecure http origin?); state and PKCE need it');
  return deps.crypto.getRandomValues(new Uint8Array(length));
}
