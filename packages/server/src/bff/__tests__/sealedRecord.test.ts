import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { expectCodedTypeError } from '../../__tests__/testSupport.js';
import { checkEncryptionKeys, createRecordSealer } from '../sealedRecord.js';
import { KEY_1, KEY_2 } from './bffSupport.js';

const AAD = 'session:abc';
const PLAIN = '{"accessToken":"eyJ.secret.token"}';

describe('createRecordSealer', () => {
  test('seal then open gives the plaintext back; the sealed text shows none of it', () => {
    const sealer = createRecordSealer([KEY_1]);
    const sealed = sealer.seal(PLAIN, AAD);
    expect(sealed).toMatch(/^v1\.[\w-]{12}\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(sealed).not.toContain('eyJ');
    expect(sealer.open(sealed, AAD)).toBe(PLAIN);
  });

  test('a fresh IV each time: the same plaintext seals differently', () => {
    const sealer = createRecordSealer([KEY_1]);
    expect(sealer.seal(PLAIN, AAD)).not.toBe(sealer.seal(PLAIN, AAD));
  });

  test('the wrong key does not open it', () => {
    const sealed = createRecordSealer([KEY_1]).seal(PLAIN, AAD);
    expect(createRecordSealer([KEY_2]).open(sealed, AAD)).toBeNull();
  });

  test('another AAD (the record moved to another storage key) does not open it', () => {
    const sealer = createRecordSealer([KEY_1]);
    expect(sealer.open(sealer.seal(PLAIN, AAD), 'session:other')).toBeNull();
  });

  test('any changed character, in any part, does not open it', () => {
    const sealer = createRecordSealer([KEY_1]);
    const sealed = sealer.seal(PLAIN, AAD);
    for (let at = 0; at < sealed.length; at++) {
      const changed = `${sealed.slice(0, at)}${sealed[at] === 'A' ? 'B' : 'A'}${sealed.slice(at + 1)}`;
      expect(sealer.open(changed, AAD), `changed at ${at}`).toBeNull();
    }
  });

  test.each(['', 'v1', 'v2.a.b.c.d', 'v1.a.b.c.d.e', 'not sealed', 'v1...', `${'v1.'.repeat(3)}x`])('malformed %j opens to null', (sealed) => {
    expect(createRecordSealer([KEY_1]).open(sealed, AAD)).toBeNull();
  });

  test('rotation: the first key seals, every key opens', () => {
    const old = createRecordSealer([KEY_1]).seal(PLAIN, AAD);
    const rotated = createRecordSealer([KEY_2, KEY_1]);
    expect(rotated.open(old, AAD)).toBe(PLAIN);
    const fresh = rotated.seal(PLAIN, AAD);
    expect(createRecordSealer([KEY_2]).open(fresh, AAD)).toBe(PLAIN);
    expect(createRecordSealer([KEY_1]).open(fresh, AAD)).toBeNull();
  });

  test('base64 and base64url spellings of the same bytes are one key', () => {
    const bytes = randomBytes(32);
    const sealed = createRecordSealer([bytes.toString('base64')]).seal(PLAIN, AAD);
    expect(createRecordSealer([bytes.toString('base64url')]).open(sealed, AAD)).toBe(PLAIN);
  });
});

describe('checkEncryptionKeys', () => {
  test.each([
    ['no keys', undefined],
    ['an empty list', []],
    ['a number', 42],
    ['an empty string', ''],
    ['a short key (16 bytes)', randomBytes(16).toString('base64url')],
    ['31 bytes', randomBytes(31).toString('base64url')],
    ['not base64', `${'!'.repeat(44)}`],
    ['spaces', `${randomBytes(32).toString('base64url')} `],
    ['a duplicate', [KEY_1, KEY_1]],
    ['the same bytes spelled twice', [Buffer.alloc(32, 1).toString('base64'), KEY_1]],
    ['17 keys', Array.from({ length: 17 }, () => randomBytes(32).toString('base64url'))],
    ['a non-string entry', [KEY_1, 7]],
  ])('%s: invalid_encryption_keys, without the value in the message', (_name, value) => {
    const error = expectCodedTypeError(() => checkEncryptionKeys(value, 'createCelonisBff'), 'invalid_encryption_keys');
    expect(error.message).toMatch(/^createCelonisBff: encryptionKeys/);
    if (typeof value === 'string' && value.length > 8) expect(error.message).not.toContain(value);
  });

  test.each([
    ['one string', KEY_1, [KEY_1]],
    ['a list', [KEY_2, KEY_1], [KEY_2, KEY_1]],
    ['64 bytes base64 padded', Buffer.alloc(64, 9).toString('base64'), [Buffer.alloc(64, 9).toString('base64')]],
  ])('%s is accepted', (_name, value, keys) => {
    expect(checkEncryptionKeys(value, 'x')).toEqual(keys);
  });
});
