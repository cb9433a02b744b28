import { CodedTypeError, teamEndpoints } from '@celonis-auth/core/protocol';
import { checkClientSecretSource, readClientSecret, type ClientSecretSource } from './clientSecret.js';
import { checkAuthentication, checkBodyEncoding, checkClientId, checkInteger } from './optionChecks.js';
import { checkAllowedOrigins, preflightResponse } from './relayCors.js';
import { oauthErrorResponse as oauthError } from './relayErrorResponse.js';
import { DEFAULT_BODY_TIMEOUT_MS, readRelayRequestBody } from './relayRequestBody.js';
import { forwardGrant, type UpstreamSettings } from './relayUpstream.js';
import { resolveServerDeps, type FetchFunction, type ServerLogger } from './serverDeps.js';
import type { ClientAuthentication, TokenBodyEncoding } from './tokenRequest.js';

const WHERE = 'createTokenRelay';
const RELAYED_GRANTS = ['authorization_code', 'refresh_token'];
// Client authentication is the relay's job; a browser sending any of these is refused, not forwarded.
const CLIENT_CREDENTIAL_PARAMS = ['client_secret', 'client_assertion', 'client_assertion_type'];

/** Options of {@link createTokenRelay}. */
export interface TokenRelayOptions {
  /** The team's origin, e.g. `https://acme.eu-1.celonis.cloud` (http only on loopback, e.g. the emulator). */
  teamUrl: string;
  /** The confidential OAuth client's id; a `client_id` from the browser must equal it or be absent. */
  clientId: string;
  /** Its secret, or a function returning the current one (read on every request). Never sent to the browser. */
  clientSecret: ClientSecretSource;
  /** How the relay authenticates upstream. Default `'client_secret_basic'`. */
  authentication?: ClientAuthentication;
  /** How the relay encodes the upstream body. Default `'urlencoded'`. */
  bodyEncoding?: TokenBodyEncoding;
  /** Exact browser origins allowed to use the relay, e.g. `['http://localhost:5173']`. */
  allowedOrigins: readonly string[];
  /** Accept requests without an `Origin` header (server-side callers). Default `false`: refused. */
  allowRequestsWithoutOrigin?: boolean;
  /** Largest request body accepted, in bytes; larger ones get 413. Default 16 384. */
  maxBodyBytes?: number;
  /**
   * The longest the relay waits for a request body to arrive in full, in ms, from when it starts
   * reading it; a slower one (say, one byte a second) gets 408 `invalid_request` with
   * `Connection: close`. Default 5 000.
   */
  bodyTimeoutMs?: number;
  /** Timeout of the upstream request in ms. Default 30 000. */
  timeoutMs?: number;
  /** Injected `fetch` (default `globalThis.fetch`) and `logger` (default `console`). */
  deps?: { fetch?: FetchFunction; logger?: ServerLogger };
}

/** A web-standard token endpoint handler; serve it with `toNodeHandler`, `relayMiddleware`, or any fetch-style server. */
export type TokenRelay = (request: Request) => Promise<Response>;

interface RelaySettings extends UpstreamSettings {
  origins: ReadonlySet<string>;
  allowWithoutOrigin: boolean;
  maxBodyBytes: number;
  bodyTimeoutMs: number;
}

/**
 * Creates a token endpoint for a single-page app whose OAuth client is confidential: the browser
 * posts `authorization_code` and `refresh_token` grants here, and the relay forwards them to
 * `${teamUrl}/oauth2/token` adding the client credentials, so the secret never reaches the browser.
 *
 * - Only `POST` from an allowed `Origin` (CORS preflight answered); others get 403 `invalid_request`.
 * - Only form bodies up to `maxBodyBytes` (413 beyond), arriving within `bodyTimeoutMs` (408 beyond); only
 *   the two grants (400 `unsupported_grant_type`).
 * - A `client_secret` or `Authorization` header from the browser is refused (400 `invalid_request`), and so
 *   is an `authorization_code` grant without `code_verifier`: PKCE is mandatory (RFC 9700 §2.1.1).
 * - The upstream status, JSON body and `Retry-After` come back unchanged, with `Cache-Control: no-store`.
 *   An unreachable upstream, an answer over 64 KiB (not read further) or a 2xx that is no JSON token
 *   response gives 502 `server_error`. Nothing is retried: codes are single-use and refresh tokens rotate.
 *
 * @example
 * ```ts
 * const relay = createTokenRelay({
 *   teamUrl: 'https://acme.eu-1.celonis.cloud', clientId: 'portal', clientSecret: process.env.PORTAL_SECRET!,
 *   allowedOrigins: ['https://portal.example.com'],
 * });
 * http.createServer(toNodeHandler(relay)).listen(8080, '127.0.0.1');
 * ```
 * @throws {CodedTypeError} synchronously, for options that are missing or malformed; its `code` names the option.
 */
export function createTokenRelay(options: TokenRelayOptions): TokenRelay {
  if (typeof options !== 'object' || options === null)
    throw new CodedTypeError(`${WHERE}: options are required ({ teamUrl, clientId, clientSecret, allowedOrigins })`, 'invalid_config');
  const authentication = checkAuthentication(options.authentication, WHERE);
  const allowWithoutOrigin = options.allowRequestsWithoutOrigin ?? false;
  if (typeof allowWithoutOrigin !== 'boolean') throw new CodedTypeError(`${WHERE}: allowRequestsWithoutOrigin must be true or false`, 'invalid_option');
  const deps = resolveServerDeps(options.deps, WHERE);
  const settings: RelaySettings = {
    tokenEndpoint: teamEndpoints(options.teamUrl).tokenEndpoint,
    clientId: checkClientId(options.clientId, authentication, WHERE),
    authentication,
    bodyEncoding: checkBodyEncoding(options.bodyEncoding, WHERE),
    origins: checkAllowedOrigins(options.allowedOrigins, allowWithoutOrigin, WHERE),
    allowWithoutOrigin,
    maxBodyBytes: checkInteger(options.maxBodyBytes, 16_384, 256, 1_048_576, 'maxBodyBytes', WHERE),
    bodyTimeoutMs: checkInteger(options.bodyTimeoutMs, DEFAULT_BODY_TIMEOUT_MS, 1, 600_000, 'bodyTimeoutMs', WHERE),
    timeoutMs: checkInteger(options.timeoutMs, 30_000, 1, 600_000, 'timeoutMs', WHERE),
    fetch: deps.fetch,
    logger: deps.logger,
  };
  const secret = checkClientSecretSource(options.clientSecret, WHERE);
  return async (request) => {
    try {
      return await relay(settings, secret, request);
    } catch (error) {
      // A handler that throws would leave the adapter to improvise; answer like a token endpoint.
      settings.logger.warn(`celonis-auth token relay: unexpected failure (${error instanceof Error ? error.name : typeof error})`);
      return oauthError(500, 'server_error', 'the token relay failed', null);
    }
  };
}

async function relay(settings: RelaySettings, secretSource: ClientSecretSource, request: Request): Promise<Response> {
  const origin = request.headers.get('origin');
  if (origin === null ? !settings.allowWithoutOrigin : !settings.origins.has(origin)) {
    return oauthError(403, 'invalid_request', 'origin not allowed', null);
  }
  if (request.method === 'OPTIONS' && origin !== null) return preflightResponse(origin);
  if (request.method !== 'POST') return oauthError(405, 'invalid_request', 'the token endpoint accepts POST only', origin, { Allow: 'POST, OPTIONS' });
  if (request.headers.has('authorization')) {
    return oauthError(400, 'invalid_request', 'do not send an Authorization header: the relay authenticates the client itself', origin);
  }
  const body = await readRelayRequestBody(request, settings.maxBodyBytes, settings.bodyTimeoutMs);
  // RFC 9110 §15.5.9: after a 408 the connection is closed, so a slow sender cannot keep it.
  if (!body.ok) return oauthError(body.status, 'invalid_request', body.description, origin, body.status === 408 ? { Connection: 'close' } : {});
  // Presence, even with an empty value, is enough to refuse client credentials from a browser.
  const credential = CLIENT_CREDENTIAL_PARAMS.find((name) => body.params.has(name));
  if (credential) return oauthError(400, 'invalid_request', `do not send ${credential}: the relay authenticates the client itself`, origin);
  // RFC 6749 §3.1: a parameter without a value is treated as omitted.
  const params = new Map([...body.params].filter(([, value]) => value !== ''));
  const grantType = params.get('grant_type');
  if (grantType === undefined) return oauthError(400, 'invalid_request', 'grant_type is required', origin);
  if (!RELAYED_GRANTS.includes(grantType)) {
    return oauthError(400, 'unsupported_grant_type', `this relay forwards only ${RELAYED_GRANTS.join(' and ')} grants`, origin);
  }
  const clientId = params.get('client_id');
  if (clientId !== undefined && clientId !== settings.clientId)
    return oauthError(400, 'invalid_request', 'client_id does not match the client of this relay', origin);
  params.delete('client_id');
  // RFC 9700 §2.1.1: the relay lends its secret to any caller, so only PKCE ties a code to the browser that asked for it.
  if (grantType === 'authorization_code' && !params.has('code_verifier')) {
    return oauthError(400, 'invalid_request', 'code_verifier is required: this relay exchanges only codes issued with PKCE', origin);
  }
  return forwardGrant(settings, await readClientSecret(secretSource), params, origin);
}
