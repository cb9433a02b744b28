import type { Context } from 'hono';
import type { EmulatorEnv } from './emulatorContext.js';

/** An RFC 6749 §5.2 error code. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'server_error';

/** Answers with an RFC 6749 §5.2 JSON error, never cached, and notes the code in the request log. */
export function oauthError(c: Context<EmulatorEnv>, status: 400 | 401 | 413, error: OAuthErrorCode, description: string): Response {
  c.set('logDetails', { ...c.get('logDetails'), error });
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
  // RFC 6749 §5.2: a 401 invalid_client names the scheme the client may authenticate with.
  if (status === 401) headers['WWW-Authenticate'] = 'Basic realm="celonis-emulator", charset="UTF-8"';
  return c.json({ error, error_description: description }, status, headers);
}
