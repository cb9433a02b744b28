/** A relay request body read as form parameters, or why it cannot be used. */
export type RelayRequestBody = { ok: true; params: Map<string, string> } | { ok: false; status: 400 | 413; description: string };

/**
 * Reads a token request body the way browsers and oidc-client-ts send it,
 * `application/x-www-form-urlencoded` or `multipart/form-data`, reading at most `maxBytes`.
 * Repeated parameters and files are refused (RFC 6749 §3.2). Empty values are kept, so a caller can
 * tell that a parameter was sent; treat them as absent (§3.1) when reading values.
 */
export async function readRelayRequestBody(request: Request, maxBytes: number): Promise<RelayRequestBody> {
  const contentType = request.headers.get('content-type') ?? '';
  const type = contentType.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data') {
    return { ok: false, status: 400, description: 'the body must be application/x-www-form-urlencoded or multipart/form-data' };
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return tooLarge(maxBytes);
  let bytes: Uint8Array<ArrayBuffer> | 'too-large';
  try {
    bytes = await readAtMost(request.body, maxBytes);
  } catch {
    return { ok: false, status: 400, description: 'the body could not be read' };
  }
  if (bytes === 'too-large') return tooLarge(maxBytes);
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

// Stops at the limit instead of buffering whatever a client chooses to send.
async function readAtMost(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | 'too-large'> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Bounded even for a stream of empty chunks: more reads than bytes allowed is refused too.
  for (let reads = 0; reads <= maxBytes + 1; reads++) {
    const { done, value } = await reader.read();
    if (done) return concat(chunks, size);
    size += value.byteLength;
    if (size > maxBytes) break;
    chunks.push(value);
  }
  await reader.cancel().catch(() => undefined);
  return 'too-large';
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
