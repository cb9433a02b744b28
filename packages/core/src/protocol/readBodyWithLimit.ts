import { CelonisAuthError } from './celonisAuthError.js';

/** The most of a token endpoint's answer anyone reads: far above any token response. */
export const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

/**
 * Reads `response`'s body as UTF-8 text, at most `maxBytes`: past that it stops reading, cancels
 * the rest and throws, so a hostile or broken server cannot fill memory. Runtime-neutral (web streams).
 *
 * @throws {CelonisAuthError} `invalid_token_response` (with the status) when the body is larger.
 */
export async function readBodyWithLimit(response: Response, maxBytes: number = MAX_TOKEN_RESPONSE_BYTES): Promise<string> {
  const length = Number(response.headers.get('Content-Length'));
  if (length > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(response.status, maxBytes);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(response.status, maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function tooLarge(status: number, maxBytes: number): CelonisAuthError {
  return new CelonisAuthError('invalid_token_response', `The token endpoint's answer is larger than ${maxBytes} bytes; it was not read`, { status });
}
