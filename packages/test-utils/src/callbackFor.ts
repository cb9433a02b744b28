/**
 * The redirect the authorization server would answer `authorizeUrl` with: its `redirect_uri` and
 * `state`, plus `params` (default `code=code-1`; pass `{ error: 'access_denied' }` for a denial).
 */
export function callbackFor(authorizeUrl: string, params: Record<string, string> = { code: 'code-1' }): string {
  const authorize = new URL(authorizeUrl);
  const callback = new URL(authorize.searchParams.get('redirect_uri') ?? '');
  for (const [name, value] of Object.entries(params)) callback.searchParams.set(name, value);
  callback.searchParams.set('state', authorize.searchParams.get('state') ?? '');
  return callback.href;
}
