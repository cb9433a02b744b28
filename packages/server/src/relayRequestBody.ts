/** A relay request body read as form parameters, or why it cannot be used. */
export type RelayRequestBody = { ok: true; params: Map<string, string> } | { ok: false; status: 400 | 408 | 413; description: string };

/** How long a request body may take to arrive in full, by default: far above a browser's few hundred bytes. */
export const DEFAULT_BODY_TIMEOUT_MS = 5_000;

/**
 * Reads a token request body the way browsers and oidc-client-ts send it,
 * `application/x-www-form-urlencoded` or `multipart/form-data`, reading at most `maxBytes` within
 * `timeoutMs` (past either the rest is cancelled: 413, or 408 for a body too slow, e.g. one byte a
 * second; a read that fails with a `TimeoutError`, as the Node adapter's own deadline gives, is a 408 too).
 * Repeated parameters and files are refused (RFC 6749 §3.2). Empty values are kept, so a caller can
 * tell that a parameter was sent; treat them as absent (§3.1) when reading values.
 */
export async function readRelayRequestBody(request: Request, maxBytes: number, timeoutMs: number = DEFAULT_BODY_TIMEOUT_MS): Promise<RelayRequestBody> {
  const contentType = request.headers.get('content-type') ?? '';
  const type = contentType.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data') {
    return { ok: false, status: 400, description: 'the body must be application/x-www-form-urlencoded or multipart/form-data' };
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return tooLarge(maxBytes);
  let bytes: Uint8Array<ArrayBuffer> | 'too-large' | 'too-slow';
  try {
    bytes = await readAtMost(request.body, maxBytes, timeoutMs);
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') return tooSlow();
    return { ok: false, status: 400, description: 'the body could not be read' };
  }
  if (bytes === 'too-large') return tooLarge(maxBytes);
  if (bytes === 'too-slow') return tooSlow();
  let entries: [string, FormDataEntryValue][];
  try {
    entries =
      type === 'multipart/form-data'
        ? [...(await new Response(bytes, { headers: { 'Content-Type': contentType } }).formData()).entries()]
        : [...new URLSearchParams(new TextDecoder('utf-8', { fatal: true }).decode(bytes)).entries()];
  } catch {
    return { ok: false, status: 400, description: 'the body could not be read as a form' };
  }
  const params = new Map<string, string>();
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    if (seen.has(name)) return { ok: false, status: 400, description: `parameter "${name}" is repeated` };
    seen.add(name);
    if (typeof value !== 'string') return { ok: false, status: 400, description: `parameter "${name}" must be text, not a file` };
    params.set(name, value);
  }
  return { ok: true, params };
}

function tooLarge(maxBytes: number): RelayRequestBody {
  return { ok: false, status: 413, description: `the body is larger than ${maxBytes} bytes` };
}

function tooSlow(): RelayRequestBody {
  return { ok: false, status: 408, description: 'the body did not arrive in time' };
}

// Stops at the limit or the deadline instead of buffering, or waiting for, whatever a client chooses to send.
async function readAtMost(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  timeoutMs: number,
): Promise<Uint8Array<ArrayBuffer> | 'too-large' | 'too-slow'> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'too-slow'>((resolve) => (timer = setTimeout(() => resolve('too-slow'), timeoutMs)));
  const chunks: Uint8Array[] = [];
  let size = 0;
  let outcome: 'too-large' | 'too-slow' = 'too-large';
  try {
    // Bounded even for a stream of empty chunks: more reads than bytes allowed is refused too.
    for (let reads = 0; reads <= maxBytes + 1; reads++) {
      const next = await Promise.race([reader.read(), deadline]);
      if (next === 'too-slow') {
        outcome = next;
        break;
      }
      if (next.done) return concat(chunks, size);
      size += next.value.byteLength;
      if (size > maxBytes) break;
      chunks.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  await reader.cancel().catch(() => undefined);
  return outcome;
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
