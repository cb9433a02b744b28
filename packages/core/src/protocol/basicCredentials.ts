/**
 * The credentials of `Authorization: Basic <credentials>` for `client_secret_basic` as the Celonis
 * page describes them: base64 of the UTF-8 `client_id:client_secret`, without form-encoding either
 * part first (unlike RFC 6749 §2.3.1), so a server splits on the first colon. Runtime-neutral
 * (`btoa`, `TextEncoder`): the same in a browser and in Node.
 *
 * @example
 * ```ts
 * basicCredentials('m2m', 'm2m-secret') // 'bTJtOm0ybS1zZWNyZXQ='
 * ```
 */
export function basicCredentials(clientId: string, clientSecret: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(`${clientId}:${clientSecret}`)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
