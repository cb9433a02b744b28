import { createHash, timingSafeEqual } from 'node:crypto';

/** 256 bits from the CSPRNG, as 43 base64url characters: states, PKCE verifiers, session ids, cookie bindings. */
export const RANDOM_TOKEN_BYTES = 32;
/** What {@link randomToken} makes, and all the BFF accepts back from a browser. */
export const RANDOM_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A fresh random token of {@link RANDOM_TOKEN_BYTES} bytes, base64url. */
export function randomToken(randomBytes: (size: number) => Uint8Array): string {
  const bytes = randomBytes(RANDOM_TOKEN_BYTES);
  if (!(bytes instanceof Uint8Array) || bytes.length !== RANDOM_TOKEN_BYTES) throw new RangeError(`deps.randomBytes must return ${RANDOM_TOKEN_BYTES} bytes`);
  return Buffer.from(bytes).toString('base64url');
}

/** SHA-256 of `text`, base64url: how session ids and states are named in the store, so reading the store gives no usable id. */
export function sha256Base64url(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url');
}

/** The PKCE S256 challenge of `verifier` (RFC 7636 §4.2). */
export function pkceChallenge(verifier: string): string {
  return sha256Base64url(verifier);
}

/** Whether two secrets are equal, in time independent of where they differ (their digests are compared). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
