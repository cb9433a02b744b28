import type { Context } from 'hono';
import type { EmulatorEnv } from './emulatorContext.js';
import type { BodyEncoding } from './requestLog.js';

/** A token request's parameters, each present at most once. */
export type TokenParams = Readonly<Record<string, string>>;

/** The body read, or why it cannot be used (an `invalid_request`). */
export type TokenBody = { ok: true; params: TokenParams; encoding: BodyEncoding } | { ok: false; encoding: BodyEncoding; description: string };

/**
 * Reads a token request body as the Celonis page sends it: `multipart/form-data` or
 * `application/x-www-form-urlencoded`. Repeated parameters are refused (RFC 6749 §3.2) and empty
 * ones treated as absent (RFC 6749 §3.1).
 */
export async function readTokenRequestBody(c: Context<EmulatorEnv>): Promise<TokenBody> {
  const encoding = bodyEncoding(c.req.header('content-type'));
  if (encoding !== 'multipart' && encoding !== 'urlencoded') {
    return { ok: false, encoding, description: 'the body must be application/x-www-form-urlencoded or multipart/form-data' };
  }
  let raw: Record<string, string | File | (string | File)[]>;
  try {
    raw = await c.req.parseBody({ all: true });
  } catch {
    return { ok: false, encoding, description: 'the body could not be read as a form' };
  }
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) return { ok: false, encoding, description: `parameter "${name}" is repeated` };
    if (typeof value !== 'string') return { ok: false, encoding, description: `parameter "${name}" must be text, not a file` };
    if (value !== '') params[name] = value;
  }
  return { ok: true, params, encoding };
}

function bodyEncoding(contentType: string | undefined): BodyEncoding {
  if (!contentType) return 'none';
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'multipart/form-data') return 'multipart';
  if (type === 'application/x-www-form-urlencoded') return 'urlencoded';
  return 'other';
}
