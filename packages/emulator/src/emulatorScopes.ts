import { CELONIS_SCOPES } from '@celonis-auth/core/protocol';

/**
 * Every scope the emulator knows: the core's catalogue (the 15 of the Celonis scope table and
 * `studio`, which the page names in its prose) and `openid`, the scope of the page's example token
 * (`"scope": ["openid"]`). No ID token is issued for it.
 */
export const EMULATOR_SCOPES: readonly string[] = Object.freeze([...Object.keys(CELONIS_SCOPES), 'openid']);

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** The result of reading a `scope` parameter: its tokens, or why it is not acceptable. */
export type ScopeParse = { ok: true; scopes: string[] } | { ok: false; reason: string };

/**
 * Reads a space-delimited `scope` parameter strictly: single spaces between RFC 6749 scope
 * tokens, each known to `known`, no duplicates. Order is kept; nothing is normalised.
 */
export function parseScopeParameter(value: string, known: readonly string[]): ScopeParse {
  if (value === '') return { ok: false, reason: 'scope is empty' };
  const scopes = value.split(' ');
  const seen = new Set<string>();
  for (const scope of scopes) {
    if (!SCOPE_TOKEN.test(scope)) return { ok: false, reason: `scope ${JSON.stringify(scope)} is not a valid scope token` };
    if (!known.includes(scope)) return { ok: false, reason: `unknown scope "${scope}"` };
    if (seen.has(scope)) return { ok: false, reason: `scope "${scope}" is repeated` };
    seen.add(scope);
  }
  return { ok: true, scopes };
}

/** The scopes of `requested` that `permitted` allows, in the requested order. */
export function intersectScopes(requested: readonly string[], permitted: readonly string[]): string[] {
  return requested.filter((scope) => permitted.includes(scope));
}
