/** Thrown when a configuration is not usable; the message names the field to fix. */
export class EmulatorConfigError extends Error {
  override readonly name = 'EmulatorConfigError';
}
