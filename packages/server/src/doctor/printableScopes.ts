import { plainText } from './doctorHttp.js';

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const MAX_SCOPES = 50;
const MAX_SCOPE_LENGTH = 100;

/**
 * The server's granted scopes as they may be printed: each made plain text, kept only when it is an
 * RFC 6749 scope token of at most {@link MAX_SCOPE_LENGTH} characters and not one of `tokens` (a
 * hostile server could put the access token there), at most {@link MAX_SCOPES} of them.
 */
export function printableScopes(scopes: readonly string[], tokens: readonly (string | undefined)[]): string[] {
  const secret = new Set(tokens.filter((token): token is string => token !== undefined && token !== ''));
  const kept: string[] = [];
  for (const scope of scopes) {
    if (kept.length === MAX_SCOPES) break;
    const plain = plainText(scope, MAX_SCOPE_LENGTH + 1);
    if (plain.length > MAX_SCOPE_LENGTH || !SCOPE_TOKEN.test(plain) || [...secret].some((token) => plain.includes(token) || scope.includes(token))) continue;
    kept.push(plain);
  }
  return kept;
}
