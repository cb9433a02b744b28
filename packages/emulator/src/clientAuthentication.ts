import { createHash, timingSafeEqual } from 'node:crypto';
import type { ClientAuthenticationMethod, EmulatorClient } from './emulatorConfig.js';
import type { OAuthErrorCode } from './oauthError.js';
import type { TokenParams } from './tokenRequestBody.js';

/** How a token request authenticated its client, or why it did not. */
export type ClientAuthResult =
  | { ok: true; client: EmulatorClient; method: ClientAuthenticationMethod | 'none' }
  | { ok: false; status: 400 | 401; error: OAuthErrorCode; description: string; method?: ClientAuthenticationMethod | 'none'; clientId?: string };

/** Options of {@link authenticateClient}. */
export interface ClientAuthOptions {
  /** Whether a public client may name only its `client_id` (the permissive profile); else it is `401 invalid_client`. */
  publicClients: boolean;
}

/**
 * Authenticates the client of a token request with `client_secret_basic` (base64 of
 * `client_id:client_secret`, not form-encoded first, as on the Celonis page: split on the first
 * colon), `client_secret_post`, or, with `publicClients`, as a public client naming only its `client_id`.
 */
export function authenticateClient(
  authorization: string | undefined,
  params: TokenParams,
  clients: readonly EmulatorClient[],
  options: ClientAuthOptions,
): ClientAuthResult {
  const claimed = claimedCredentials(authorization, params);
  if (!claimed.ok) return claimed;
  const { method, clientId, secret } = claimed;
  const client = clients.find((c) => c.clientId === clientId);
  const fail = (description: string): ClientAuthResult => ({ ok: false, status: 401, error: 'invalid_client', description, method, clientId });
  if (!client) return fail('client authentication failed');
  if (method === 'none') {
    if (client.clientSecret !== undefined) return fail('this client must authenticate with its client secret');
    // Celonis gives every client a secret: a client without one has nothing to authenticate with there.
    if (!options.publicClients) {
      return fail('the celonis profile has no public clients: authenticate with client_secret_basic or client_secret_post (this client has no secret)');
    }
    return { ok: true, client, method };
  }
  if (client.clientSecret === undefined || secret === undefined || !sameSecret(secret, client.clientSecret)) return fail('client authentication failed');
  if (!(client.authMethods ?? []).includes(method)) return fail(`this client may not use ${method}`);
  return { ok: true, client, method };
}

type Claimed = { ok: true; method: ClientAuthenticationMethod | 'none'; clientId: string; secret?: string } | Extract<ClientAuthResult, { ok: false }>;

function claimedCredentials(authorization: string | undefined, params: TokenParams): Claimed {
  const invalidRequest = (description: string): Claimed => ({ ok: false, status: 400, error: 'invalid_request', description });
  if (authorization !== undefined) {
    const match = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(authorization);
    if (!match)
      return { ok: false, status: 401, error: 'invalid_client', description: 'the Authorization header must be Basic base64(client_id:client_secret)' };
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) return { ok: false, status: 401, error: 'invalid_client', description: 'the Basic credentials must be client_id:client_secret' };
    if (params.client_secret !== undefined) return invalidRequest('use one client authentication method: Basic or client_secret in the body, not both');
    const clientId = decoded.slice(0, colon);
    if (params.client_id !== undefined && params.client_id !== clientId) return invalidRequest('client_id in the body differs from the Basic credentials');
    return { ok: true, method: 'client_secret_basic', clientId, secret: decoded.slice(colon + 1) };
  }
  if (params.client_id === undefined) {
    return {
      ok: false,
      status: 401,
      error: 'invalid_client',
      description: 'no client authentication: send Basic credentials or client_id (and client_secret)',
    };
  }
  if (params.client_secret !== undefined) return { ok: true, method: 'client_secret_post', clientId: params.client_id, secret: params.client_secret };
  return { ok: true, method: 'none', clientId: params.client_id };
}

// Hashing first makes the comparison constant-time whatever the lengths.
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
