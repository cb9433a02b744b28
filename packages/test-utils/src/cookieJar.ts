/**
 * A browser's cookies for one site, by name: what tests and benches of the backend-for-frontend
 * send back. Only names and values are kept; attributes other than `Max-Age=0` (a deletion) are ignored.
 *
 * @example
 * ```ts
 * const jar = cookieJar()
 * const res = await fetch(url, { headers: { Cookie: jar.header() }, redirect: 'manual' })
 * jar.take(res) // remembers the Set-Cookie lines; returns them
 * ```
 */
export interface CookieJar {
  /** The cookies, name to value. */
  readonly cookies: Map<string, string>;
  /** Applies the `Set-Cookie` lines of `response` (a `Max-Age=0` one deletes); returns the lines. */
  take(response: Response): string[];
  /** The `Cookie` header value: `a=1; b=2` (empty when there is none). */
  header(): string;
}

/** Creates an empty {@link CookieJar}. */
export function cookieJar(): CookieJar {
  const cookies = new Map<string, string>();
  return {
    cookies,
    take(response) {
      const lines = response.headers.getSetCookie();
      for (const line of lines) {
        const [pair = ''] = line.split(';');
        const at = pair.indexOf('=');
        if (/;\s*Max-Age=0/i.test(line)) cookies.delete(pair.slice(0, at));
        else cookies.set(pair.slice(0, at), pair.slice(at + 1));
      }
      return lines;
    },
    header: () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
  };
}
