import { isCelonisAuthError, isJsonContentType, readBodyWithLimit, readOAuthErrorBody } from '@celonis-auth/core/protocol';
import { redactSecret } from '../secretRedaction.js';
import type { FetchFunction } from '../serverDeps.js';

/** How the doctor talks HTTP: the fetch to use, the time each request may take, and what must never be shown. */
export interface DoctorHttp {
  fetch: FetchFunction;
  /** Each request (headers and body) is abandoned after this long. */
  timeoutMs: number;
  /** Every form of the client secret (see `secretForms`): removed from any text that comes back. */
  secretForms: readonly string[];
  /** Milliseconds since the epoch, for token expiry. */
  now: () => number;
}

/** An HTTP answer: its status, headers and at most 64 KiB of body. */
export interface DoctorAnswer {
  kind: 'answer';
  url: string;
  status: number;
  headers: Headers;
  body: string;
}

/** No HTTP answer arrived; `failure` says why in plain words (never a secret). */
export interface DoctorNoAnswer {
  kind: 'no-answer';
  url: string;
  failure: string;
}

/** The result of one request. */
export type DoctorExchange = DoctorAnswer | DoctorNoAnswer;

/** A token endpoint's answer as the checks read it. */
export type TokenEndpointReading =
  | { kind: 'oauth-error'; status: number; error: string; description: string | undefined }
  | { kind: 'success'; answer: DoctorAnswer }
  | { kind: 'not-oauth'; status: number; contentType: string }
  | { kind: 'no-answer'; failure: string };

const MAX_TEXT = 200;

/**
 * Sends one request, bounded by `http.timeoutMs`, following no redirect (a secret must not travel
 * on to wherever a redirect points), and reads at most 64 KiB of the answer. Never throws.
 */
export async function exchange(http: DoctorHttp, url: string, init: RequestInit): Promise<DoctorExchange> {
  try {
    const response = await http.fetch(url, { ...init, signal: AbortSignal.timeout(http.timeoutMs), redirect: 'error', credentials: 'omit' });
    return { kind: 'answer', url, status: response.status, headers: response.headers, body: await readBodyWithLimit(response) };
  } catch (error) {
    return { kind: 'no-answer', url, failure: redactSecret(describeFailure(error, http.timeoutMs), http.secretForms) };
  }
}

/** Reads a token endpoint's answer: an RFC 6749 §5.2 error, a 2xx, something else, or nothing. */
export function readTokenEndpoint(result: DoctorExchange, http: DoctorHttp): TokenEndpointReading {
  if (result.kind === 'no-answer') return result;
  const contentType = result.headers.get('content-type');
  const notOAuth = { kind: 'not-oauth', status: result.status, contentType: plainText(contentType ?? 'no Content-Type') } as const;
  // A web page answering 200 (a single-page app's fallback, a login page) is no token endpoint either.
  if (!isJsonContentType(contentType)) return notOAuth;
  if (result.status >= 200 && result.status <= 299) return { kind: 'success', answer: result };
  const body = readOAuthErrorBody(result.body);
  if (body === undefined) return notOAuth;
  const description = body.error_description === undefined ? undefined : plainText(redactSecret(body.error_description, http.secretForms));
  return { kind: 'oauth-error', status: result.status, error: plainText(redactSecret(body.error, http.secretForms)), description };
}

/** Why a request got no answer, in plain words: a timeout, refused connection, DNS, TLS, a redirect, an oversized answer. */
export function describeFailure(error: unknown, timeoutMs: number): string {
  const chain = causeChain(error);
  if (chain.some((e) => e instanceof DOMException && e.name === 'TimeoutError')) return `no answer within ${timeoutMs / 1000} s`;
  if (chain.some((e) => isCelonisAuthError(e, 'invalid_token_response'))) return 'the answer is larger than 64 KiB, so it is no OAuth answer';
  const code = chain.map((e) => (e as { code?: unknown }).code).find((c): c is string => typeof c === 'string');
  if (code === 'ECONNREFUSED') return 'the connection was refused: nothing listens there';
  if (code === 'ENOTFOUND') return 'the host name does not resolve (ENOTFOUND): check the team URL';
  if (code === 'EAI_AGAIN') return 'the host name could not be looked up (EAI_AGAIN): check the network or DNS';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `the host cannot be reached from this machine (${code})`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return `the connection closed before an answer (${code})`;
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return `the connection timed out (${code})`;
  if (code !== undefined && /CERT|SSL|TLS/.test(code)) return `the TLS connection failed (${code}): the server's certificate or TLS setup is not accepted`;
  if (chain.some((e) => e instanceof Error && e.message === 'unexpected redirect')) {
    return 'it answered with a redirect instead of an OAuth answer: --team must be the team URL itself';
  }
  const last = chain[chain.length - 1];
  return `the request failed: ${plainText(last instanceof Error ? last.message : String(last))}${code === undefined ? '' : ` (${code})`}`;
}

/** Server-sent or error text made safe for one terminal line: control and format (bidi, zero-width) characters become spaces, long text is cut. */
export function plainText(text: string, max = MAX_TEXT): string {
  // A hostile server could otherwise move the cursor, recolour or reorder what the person reads.
  const flat = text.replace(/[\p{Cc}\p{Cf}]+/gu, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  // Bounded: a cause cycle must not loop.
  for (let e: unknown = error; e !== undefined && chain.length < 6; e = e instanceof Error ? e.cause : undefined) chain.push(e);
  return chain;
}
