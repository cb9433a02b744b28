import { CelonisAuthError, createRetryAfterGate, isCelonisAuthError, readTokenAnswer, type RetryAfterGate } from '@celonis-auth/core/protocol';
import { resolveClientCredentialsSettings, type ClientCredentialsSettings as Settings } from './clientCredentialsSettings.js';
import { checkClientSecretSource, readClientSecret, type ClientSecretSource } from './clientSecret.js';
import { backoffDelayMs } from './retryPolicy.js';
import { redactSecret, secretForms } from './secretRedaction.js';
import { sendTokenRequest, tokenAnswer, type TokenHttpResponse } from './tokenRequest.js';
import { toAccessToken, type AccessToken } from './tokenResponse.js';
import type { ClientCredentialsTokenSource, ClientCredentialsTokenSourceOptions } from './clientCredentialsOptions.js';

const WHERE = 'createClientCredentialsTokenSource';
// A refresh while the current token is still valid gives up this long (at most half the time left) before it expires.
const DEADLINE_MARGIN_MS = 1_000;
/** The shortest time a token is served from the cache after it arrived, whatever its lifetime (`expires_in: 0` included). */
export const MIN_TOKEN_REUSE_MS = 5_000;

interface CachedToken {
  token: AccessToken;
  /** When to fetch a new one: `leeway` before expiry, no earlier than half the lifetime, nor than MIN_TOKEN_REUSE_MS after it arrived. */
  refreshAt: number;
}

/**
 * Creates a token source for the client-credentials grant (RFC 6749 §4.4) against a Celonis team,
 * for machine-to-machine calls. Nothing is requested until the first `getAccessToken()`.
 *
 * Tokens are cached until `refreshLeewaySeconds` before expiry (at most half their lifetime), and
 * always for at least 5 s ({@link MIN_TOKEN_REUSE_MS}) after they arrived: a server answering
 * `expires_in: 0` gets one request per 5 s, not one per call (all callers in that time share the
 * token; concurrent ones share one request). Such a token is served past its stated expiry: if an
 * API refuses it, call `invalidate()`, which fetches a new one at once. If a refresh in the leeway
 * window fails with `network_error` or `server_unavailable`, the still-valid cached token is returned
 * instead; an `invalid_client` drops it (the secret was revoked or regenerated).
 *
 * Answers are read through the protocol's `readTokenAnswer`, as in the browser core: a 2xx must be
 * JSON (`Content-Type` and body); `expires_in` may be a numeric string, and when absent is
 * `DEFAULT_EXPIRES_IN_SECONDS` (899). No answer is read beyond 64 KiB (`invalid_token_response`).
 *
 * @example
 * ```ts
 * const source = createClientCredentialsTokenSource({
 *   teamUrl: 'https://acme.eu-1.celonis.cloud',
 *   clientId: process.env.CELONIS_CLIENT_ID!,
 *   clientSecret: () => process.env.CELONIS_CLIENT_SECRET ?? '',
 *   scopes: ['intelligence.knowledge-models:read'],
 * });
 * const res = await fetch(url, { headers: { Authorization: `Bearer ${await source.getAccessToken()}` } });
 * ```
 * @throws {CodedTypeError} synchronously, for options that are missing or malformed (the message says what to fix, the `code` which option).
 */
export function createClientCredentialsTokenSource(options: ClientCredentialsTokenSourceOptions): ClientCredentialsTokenSource {
  const settings = resolveClientCredentialsSettings(options, WHERE);
  return new CachingTokenSource(settings, checkClientSecretSource(options.clientSecret, WHERE));
}

class CachingTokenSource implements ClientCredentialsTokenSource {
  readonly #settings: Settings;
  #secret: ClientSecretSource;
  #cached: CachedToken | undefined;
  #inflight: Promise<AccessToken> | undefined;
  // Bumped by invalidate(), so a request started before it cannot repopulate the cache.
  #generation = 0;
  readonly #retryGate: RetryAfterGate;

  constructor(settings: Settings, secret: ClientSecretSource) {
    this.#settings = settings;
    this.#secret = secret;
    this.#retryGate = createRetryAfterGate(settings.deps.now);
  }

  async getAccessToken(): Promise<string> {
    return (await this.getToken()).accessToken;
  }

  getToken(): Promise<AccessToken> {
    const cached = this.#cached;
    const now = this.#settings.deps.now();
    if (cached && now < cached.refreshAt) return Promise.resolve(cached.token);
    if (this.#inflight) return this.#inflight;
    // Retry-After binds every caller: while the server asked to wait, no request goes out (a valid token is still served).
    const held = this.#retryGate.check();
    if (held) return cached && now < cached.token.expiresAt ? Promise.resolve(cached.token) : Promise.reject(held);
    return (this.#inflight = this.#refresh());
  }

  invalidate(): void {
    this.#generation += 1;
    this.#cached = undefined;
    this.#inflight = undefined;
  }

  setClientSecret(secret: ClientSecretSource): void {
    this.#secret = checkClientSecretSource(secret, 'setClientSecret');
  }

  async #refresh(): Promise<AccessToken> {
    const generation = this.#generation;
    const current = () => generation === this.#generation;
    // While the current token is valid, retries must end before it does, or the fallback below would come too late.
    const valid = this.#cached;
    const remaining = valid ? valid.token.expiresAt - this.#settings.deps.now() : 0;
    const deadline = valid && remaining > 0 ? valid.token.expiresAt - Math.min(DEADLINE_MARGIN_MS, remaining / 2) : undefined;
    try {
      const cached = await this.#retryGate.watch(this.#requestWithRetries(deadline));
      if (current()) this.#cached = cached;
      return cached.token;
    } catch (error) {
      const previous = current() ? this.#cached : undefined;
      if (isCelonisAuthError(error, 'token_error') && error.oauthError === 'invalid_client') {
        if (current()) this.#cached = undefined;
      } else if (previous && isCelonisAuthError(error, 'network_error', 'server_unavailable') && this.#settings.deps.now() < previous.token.expiresAt) {
        // Still valid: the leeway exists so a blip at refresh time does not fail callers.
        this.#settings.deps.logger.warn(`celonis-auth: refreshing the client-credentials token failed (${error.code}); using the current one until it expires`);
        return previous.token;
      }
      throw error;
    } finally {
      if (current()) this.#inflight = undefined;
    }
  }

  /** Requests a token, retrying within the policy and, when given, before `deadline` (ms since the epoch). */
  async #requestWithRetries(deadline?: number): Promise<CachedToken> {
    const { retry, deps } = this.#settings;
    const left = () => (deadline === undefined ? Infinity : deadline - deps.now());
    let lastError: CelonisAuthError | undefined;
    for (let attempt = 1; attempt <= retry.maxAttempts && left() > 0; attempt++) {
      const secret = await readClientSecret(this.#secret);
      const sentAt = deps.now();
      let response: TokenHttpResponse;
      try {
        // Whole milliseconds: AbortSignal.timeout throws on a fraction, which a clock with sub-ms precision gives.
        response = await this.#send(secret, Math.max(1, Math.floor(Math.min(this.#settings.timeoutMs, left()))));
      } catch (error) {
        if (!isCelonisAuthError(error, 'network_error')) throw error;
        lastError = error;
        if (attempt < retry.maxAttempts)
          await this.#pause(Math.min(backoffDelayMs(retry, attempt, deps.random), Math.max(0, left())), 'could not reach the token endpoint', attempt);
        continue;
      }
      // A server could quote what it was sent; nothing of the secret may leave through our errors.
      const forms = secretForms(this.#settings.clientId, secret);
      try {
        const token = readTokenAnswer(tokenAnswer(response), this.#settings.scopes, sentAt, (text) => redactSecret(text, forms));
        return this.#cache(toAccessToken(token), sentAt);
      } catch (error) {
        // Only server_unavailable (429, 5xx) is worth another try.
        if (!isCelonisAuthError(error, 'server_unavailable')) throw error;
        lastError = error;
      }
      const { retryAfterSeconds } = lastError;
      if (retryAfterSeconds !== undefined && retryAfterSeconds * 1000 > retry.maxDelayMs) throw lastError;
      if (attempt < retry.maxAttempts) {
        const delay = retryAfterSeconds === undefined ? backoffDelayMs(retry, attempt, deps.random) : retryAfterSeconds * 1000;
        await this.#pause(Math.min(delay, Math.max(0, left())), `the token endpoint answered ${response.status}`, attempt);
      }
    }
    throw lastError ?? new CelonisAuthError('server_unavailable', 'no token request was made');
  }

  #send(clientSecret: string, timeoutMs: number): Promise<TokenHttpResponse> {
    const { tokenEndpoint, clientId, scopes, authentication, bodyEncoding, deps } = this.#settings;
    const params: [string, string][] = [['grant_type', 'client_credentials']];
    if (scopes.length > 0) params.push(['scope', scopes.join(' ')]);
    return sendTokenRequest({ tokenEndpoint, params, clientId, clientSecret, authentication, bodyEncoding, fetch: deps.fetch, timeoutMs });
  }

  #cache(token: AccessToken, sentAt: number): CachedToken {
    const lifetime = token.expiresAt - sentAt;
    const due = token.expiresAt - Math.min(this.#settings.leewayMs, lifetime / 2);
    return { token, refreshAt: Math.max(due, this.#settings.deps.now() + MIN_TOKEN_REUSE_MS) };
  }

  async #pause(delayMs: number, reason: string, attempt: number): Promise<void> {
    const { retry, deps } = this.#settings;
    deps.logger.warn(`celonis-auth: ${reason}; retrying in ${delayMs} ms (attempt ${attempt + 1} of ${retry.maxAttempts})`);
    await deps.sleep(delayMs);
  }
}
