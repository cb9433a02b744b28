import { CodedTypeError } from './codedTypeError.js';

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Checks scopes given by a developer: each an exact RFC 6749 §3.3 scope token (case-sensitive,
 * never normalised), no duplicates. Returns a frozen copy.
 *
 * @throws {CodedTypeError} `invalid_scopes`, naming the offending scope.
 */
export function checkScopeList(scopes: unknown, what: string): readonly string[] {
  if (!Array.isArray(scopes)) throw new CodedTypeError(`${what} must be an array of scope strings, e.g. ['studio']`, 'invalid_scopes');
  const seen = new Set<string>();
  for (const scope of scopes) {
    if (typeof scope !== 'string' || !SCOPE_TOKEN.test(scope)) {
      throw new CodedTypeError(
        `${what}: ${JSON.stringify(scope)} is not a valid OAuth scope (RFC 6749 §3.3: printable ASCII, no spaces, quotes or backslashes)`,
        'invalid_scopes',
      );
    }
    if (seen.has(scope)) throw new CodedTypeError(`${what}: "${scope}" is listed twice`, 'invalid_scopes');
    seen.add(scope);
  }
  return Object.freeze([...(scopes as string[])]);
}

/** Splits a space-delimited `scope` value from a server, dropping empty entries. */
export function splitScopeString(value: string): string[] {
  return value.split(' ').filter((s) => s !== '');
}

/** How {@link scopesSatisfy} combines several required scopes. */
export type ScopeMatchMode = 'all' | 'any';

/** Whether `granted` holds all (or, with `'any'`, at least one) of `required`. No scopes required is always satisfied. */
export function scopesSatisfy(granted: readonly string[], required: readonly string[], mode: ScopeMatchMode = 'all'): boolean {
  if (required.length === 0) return true;
  return mode === 'all' ? required.every((s) => granted.includes(s)) : required.some((s) => granted.includes(s));
}
