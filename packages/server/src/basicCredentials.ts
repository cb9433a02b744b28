/**
 * The credentials of `Authorization: Basic <credentials>` for `client_secret_basic` as the Celonis
 * page describes them: base64 of `client_id:client_secret`, without form-encoding either part
 * first (unlike RFC 6749 §2.3.1), so a server splits on the first colon.
 *
 * @example
 * ```ts
 * basicCredentials('m2m', 'm2m-secret') // 'bTJtOm0ybS1zZWNyZXQ='
 * ```
 */
export function basicCredentials(clientId: string, clientSecret: string): string {
  return Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64');
}
