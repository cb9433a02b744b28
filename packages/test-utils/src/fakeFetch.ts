import { TOKEN_ENDPOINT } from './testConstants.js';

/** A recorded request as the fake fetch saw it. */
export interface SeenRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string;
}

/** Answers one request of the fake fetch; `index` counts the requests this responder saw, from 0. */
export type Responder = (request: SeenRequest, index: number) => Response | Promise<Response>;

/**
 * A fetch that records every request (body read as text) and answers from `responder`. A request
 * whose signal is already aborted rejects with an `AbortError`, as the platform's fetch does.
 *
 * @example
 * ```ts
 * const net = fakeFetch((_request, i) => tokenResponse(i + 1));
 * const auth = createCelonisAuth({ ...config, deps: { fetch: net.fetch } });
 * expect(net.requests).toHaveLength(0);
 * ```
 */
export function fakeFetch(responder: Responder) {
  const requests: SeenRequest[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const seen = { url: request.url, method: request.method, headers: request.headers, body: await request.text() };
    requests.push(seen);
    if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    return responder(seen, requests.length - 1);
  };
  return { fetch, requests };
}

/** The form fields of a urlencoded request body. */
export function form(request: SeenRequest): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request.body));
}

/** Whether `request` went to {@link TOKEN_ENDPOINT}. */
export function isTokenRequest(request: SeenRequest): boolean {
  return request.url === TOKEN_ENDPOINT;
}
