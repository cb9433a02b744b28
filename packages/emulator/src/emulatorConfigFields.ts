// The field readers of the emulator's configuration: each checks one value and names the field to fix.
import { EmulatorConfigError } from './emulatorConfigError.js';
import { EMULATOR_SCOPES } from './emulatorScopes.js';

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** `value` as an array, or an error naming `at`. */
export function list(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw new EmulatorConfigError(`${at} must be an array`);
  return value;
}
/** A non-empty string. */
export function text(value: unknown, at: string): string {
  if (typeof value !== 'string' || value === '') throw new EmulatorConfigError(`${at} must be a non-empty string`);
  return value;
}
/** An array of non-empty strings. */
export function strings(value: unknown, at: string): string[] {
  return list(value, at).map((v, i) => text(v, `${at}[${i}]`));
}
/** A whole number of seconds from 0 to one year. */
export function seconds(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 31_536_000) {
    throw new EmulatorConfigError(`${at} must be a whole number of seconds from 0 to 31536000`);
  }
  return value;
}
/** `true` or `false`. */
export function bool(value: unknown, at: string): boolean {
  if (typeof value !== 'boolean') throw new EmulatorConfigError(`${at} must be true or false`);
  return value;
}
/** One of `allowed`. */
export function oneOf<T extends string>(value: string, allowed: readonly T[], at: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new EmulatorConfigError(`${at}: "${value}" is not one of ${allowed.join(', ')}`);
  return value as T;
}
/** Scopes the emulator knows. */
export function knownScopes(value: unknown, at: string): string[] {
  return strings(value, at).map((s) => oneOf(s, EMULATOR_SCOPES, at));
}
/** An absolute URL. */
export function absoluteUrl(value: string, at: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new EmulatorConfigError(`${at}: "${value}" is not an absolute URL`);
  }
}
/** A bare origin such as `http://localhost:5173`. */
export function origin(value: string): string {
  const url = absoluteUrl(value, 'corsOrigins');
  if (url.origin !== value.replace(/\/$/, '')) throw new EmulatorConfigError(`corsOrigins: "${value}" must be a bare origin such as http://localhost:5173`);
  return url.origin;
}
/** Throws when a value of `values` appears twice. */
export function unique(values: string[], at: string, field: string): void {
  const dup = values.find((v, i) => values.indexOf(v) !== i);
  if (dup !== undefined) throw new EmulatorConfigError(`${at}: ${field} "${dup}" appears twice`);
}
