// The request target as the client sent it, for the Requests the Node adapters build. A `Request`'s
// URL is always normalized (`/a/../b` is `/b`, `\` is `/`), which would hide the tricks the API
// proxy refuses; a WeakMap keeps the raw text beside the Request without a header a client could forge.
const RAW_TARGETS = new WeakMap<Request, string>();

/** Records the raw request target (`req.url` of `node:http`, e.g. `/celonis/a/../b?x=1`) of `request`. */
export function rememberRequestTarget(request: Request, target: string): void {
  RAW_TARGETS.set(request, target);
}

/**
 * The raw request target of `request` when a Node adapter of this package built it, else
 * `undefined` (a fetch-style server: only the normalized `request.url` is known).
 */
export function requestTarget(request: Request): string | undefined {
  return RAW_TARGETS.get(request);
}
