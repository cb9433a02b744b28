import { createCipheriv, createDecipheriv, hkdfSync, randomBytes as nodeRandomBytes } from 'node:crypto';
import { CodedTypeError } from '@celonis-auth/core/protocol';

/** Seals and opens the values the BFF keeps in its session store. */
export interface RecordSealer {
  /** `plaintext` encrypted and authenticated with the first key, bound to `aad` (the storage key). */
  seal(plaintext: string, aad: string): string;
  /** The plaintext, or `null` when `sealed` is malformed, was sealed with no key given, was changed, or belongs to another `aad`. Never throws. */
  open(sealed: string, aad: string): string | null;
}

/** The fewest bytes an encryption key secret must decode to: 256 bits. */
export const MIN_ENCRYPTION_KEY_BYTES = 32;
const MAX_KEY_LENGTH = 1_024;
const MAX_KEYS = 16;
// base64 or base64url, padded or not: what `openssl rand -base64 32` and `randomBytes(32).toString('base64url')` print.
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_SALT = 'celonis-auth bff sealed record';

interface DerivedKey {
  id: string;
  key: Buffer;
}

/**
 * Checks an `encryptionKeys` option: one secret or a list of them, each base64 or base64url of at
 * least 32 random bytes, no duplicates, at most 16. The first seals, every one opens, so a key
 * rotates by putting a new one first and removing the old one once its records have expired.
 *
 * @throws {CodedTypeError} `invalid_encryption_keys`, naming the entry (never its value) and how to make one.
 */
export function checkEncryptionKeys(value: unknown, where: string): readonly string[] {
  const keys: unknown[] = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  const make = `make one with: node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`;
  if (keys.length === 0 || keys.length > MAX_KEYS)
    throw new CodedTypeError(`${where}: encryptionKeys must be a secret string or a list of 1 to ${MAX_KEYS} of them; ${make}`, 'invalid_encryption_keys');
  const seen = new Set<string>();
  for (const [index, key] of keys.entries()) {
    const bytes = typeof key === 'string' && key.length <= MAX_KEY_LENGTH && BASE64.test(key) ? Buffer.from(key, 'base64') : undefined;
    if (bytes === undefined || bytes.length < MIN_ENCRYPTION_KEY_BYTES) {
      throw new CodedTypeError(
        `${where}: encryptionKeys[${index}] must be base64 or base64url of at least ${MIN_ENCRYPTION_KEY_BYTES} random bytes (43 characters or more); ${make}`,
        'invalid_encryption_keys',
      );
    }
    const canonical = bytes.toString('base64url');
    if (seen.has(canonical)) throw new CodedTypeError(`${where}: encryptionKeys[${index}] repeats an earlier key`, 'invalid_encryption_keys');
    seen.add(canonical);
  }
  return keys as string[];
}

/**
 * A {@link RecordSealer} for checked key secrets: per secret, HKDF-SHA256 derives an AES-256-GCM key
 * and a public key id. A sealed record is `v1.<key id>.<iv>.<ciphertext>.<tag>` (base64url), with a
 * fresh 96-bit IV each time and `aad` as additional data, so a record moved under another storage
 * key (another session) no longer opens.
 *
 * @example
 * ```ts
 * const sealer = createRecordSealer([newKey, oldKey]);
 * sealer.open(sealer.seal('{"a":1}', 'session:x'), 'session:x'); // '{"a":1}'
 * ```
 */
export function createRecordSealer(secrets: readonly string[], randomBytes: (size: number) => Uint8Array = nodeRandomBytes): RecordSealer {
  const keys = secrets.map(deriveKey);
  const byId = new Map(keys.map((key) => [key.id, key]));
  const sealing = keys[0]!;
  return {
    seal(plaintext, aad) {
      const iv = Buffer.from(randomBytes(IV_BYTES));
      const cipher = createCipheriv('aes-256-gcm', sealing.key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, sealing.id, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open(sealed, aad) {
      if (typeof sealed !== 'string') return null;
      const [version, id, iv, ciphertext, tag, ...rest] = sealed.split('.');
      const key = id === undefined ? undefined : byId.get(id);
      if (version !== VERSION || key === undefined || iv === undefined || ciphertext === undefined || tag === undefined || rest.length > 0) return null;
      const [ivBytes, data, tagBytes] = [canonical(iv), canonical(ciphertext), canonical(tag)];
      if (ivBytes?.length !== IV_BYTES || tagBytes?.length !== TAG_BYTES || data === undefined) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.key, ivBytes, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(aad, 'utf8'));
        decipher.setAuthTag(tagBytes);
        return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
      } catch {
        // A wrong tag (tampered, other AAD) is an unreadable record, never a crash.
        return null;
      }
    },
  };
}

// The bytes of a base64url part, only in the one spelling seal() writes: any changed character fails.
function canonical(part: string): Buffer | undefined {
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : undefined;
}

function deriveKey(secret: string): DerivedKey {
  const ikm = Buffer.from(secret, 'base64');
  // Separate HKDF outputs: the id is stored beside every record, so it must reveal nothing of the key.
  const key = Buffer.from(hkdfSync('sha256', ikm, HKDF_SALT, 'aes-256-gcm key', 32));
  const id = Buffer.from(hkdfSync('sha256', ikm, HKDF_SALT, 'key id', 9)).toString('base64url');
  return { id, key };
}
