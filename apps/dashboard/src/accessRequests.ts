// Remembers, for this tab, which scopes the user asked for with "Request access" and which token
// they had then: back from Celonis with a new token that still lacks the scope, the request was refused.

const KEY = 'celonis-portal:access-requests';

interface AccessRequest {
  scope: string;
  /** `expiresAt` of the session's token when the user asked; a new sign-in brings another. */
  expiresAtBefore: number | null;
}

function read(): AccessRequest[] {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? (parsed as AccessRequest[]) : [];
  } catch {
    return [];
  }
}

/** Notes that the user asked for `scopes` while their token expired at `expiresAt`. */
export function rememberAccessRequest(scopes: readonly string[], expiresAt: number | null): void {
  const others = read().filter((request) => !scopes.includes(request.scope));
  try {
    sessionStorage.setItem(KEY, JSON.stringify([...others, ...scopes.map((scope) => ({ scope, expiresAtBefore: expiresAt }))]));
  } catch {
    // Without storage the page simply cannot tell a refused request from a first visit.
  }
}

/** Whether the user asked for one of `missing` and has signed in again since (a token with another `expiresAt`) without it. */
export function wasRefused(missing: readonly string[], expiresAt: number | null): boolean {
  return read().some((request) => missing.includes(request.scope) && request.expiresAtBefore !== expiresAt);
}

/** Forgets the requests, e.g. when the user signs out. */
export function forgetAccessRequests(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing stored, nothing to forget.
  }
}
