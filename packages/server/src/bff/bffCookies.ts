import type { CookieSettings } from './bffOptionChecks.js';

/** How long a login may take, from `/auth/login` to the callback: the transaction's TTL and its cookie's `Max-Age`. */
export const TRANSACTION_TTL_SECONDS = 600;
// Logins left unfinished beyond this many in one browser are forgotten, so the Cookie header stays small.
const MAX_PENDING_LOGINS = 10;

/** The cookies of a request, by name; the first of a repeated name wins (RFC 6265 §5.4 sorts longer paths first). */
export function readCookies(request: Request): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(at + 1).trim());
  }
  return cookies;
}

/** The transaction cookie of the login whose `state` is given: one per login, so two tabs can sign in at once. */
export function transactionCookieName(cookie: CookieSettings, state: string): string {
  return `${cookie.name}.txn.${state}`;
}

/** A `Set-Cookie` value: HttpOnly, SameSite=Lax (the callback is a top-level navigation from the team), Path=/, Secure when configured. */
export function setCookie(cookie: CookieSettings, name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${cookie.secure ? '; Secure' : ''}`;
}

/** A `Set-Cookie` value that removes cookie `name`. */
export function clearCookie(cookie: CookieSettings, name: string): string {
  return setCookie(cookie, name, '', 0);
}

/** `Set-Cookie` values forgetting this browser's pending logins when it has {@link MAX_PENDING_LOGINS} already. */
export function forgetPendingLogins(cookie: CookieSettings, cookies: Map<string, string>): string[] {
  const pending = [...cookies.keys()].filter((name) => name.startsWith(`${cookie.name}.txn.`));
  return pending.length >= MAX_PENDING_LOGINS ? pending.map((name) => clearCookie(cookie, name)) : [];
}
