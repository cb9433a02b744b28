import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPIRES_IN_SECONDS, MAX_EXPIRES_IN_SECONDS, readTokenResponse } from '../index.js';

const SENT_AT = 1_700_000_000_000;
const ok = { access_token: 'eyJ.abc.def', token_type: 'Bearer', expires_in: 899, scope: 'a b' };
const read = (body: unknown, requested: string[] = ['a']) => readTokenResponse(typeof body === 'string' ? body : JSON.stringify(body), requested, SENT_AT);

describe('readTokenResponse', () => {
  it('reads the response of the Celonis page', () => {
    expect(read(ok)).toEqual({ accessToken: 'eyJ.abc.def', expiresAt: SENT_AT + 899_000, scopes: ['a', 'b'], tokenType: 'Bearer' });
  });

  it('assumes the documented default lifetime when expires_in is absent', () => {
    expect(DEFAULT_EXPIRES_IN_SECONDS).toBe(899);
  });

  it.each([
    ['token_type in any case', { ...ok, token_type: 'bearer' }, { tokenType: 'Bearer' }],
    ['no scope: the requested ones', { ...ok, scope: undefined }, { scopes: ['a'] }],
    ['an empty scope', { ...ok, scope: '' }, { scopes: [] }],
    ['a fractional expires_in', { ...ok, expires_in: 1.5 }, { expiresAt: SENT_AT + 1500 }],
    ['expires_in 0', { ...ok, expires_in: 0 }, { expiresAt: SENT_AT }],
    ['a huge expires_in, clamped', { ...ok, expires_in: 1e300 }, { expiresAt: SENT_AT + MAX_EXPIRES_IN_SECONDS * 1000 }],
    ['no expires_in (RFC 6749 only recommends it): the default, 899 s', { ...ok, expires_in: undefined }, { expiresAt: SENT_AT + 899_000 }],
    ['expires_in as a numeric string', { ...ok, expires_in: '3600' }, { expiresAt: SENT_AT + 3_600_000 }],
    ['an access_token of 8192 characters', { ...ok, access_token: 'a'.repeat(8192) }, { accessToken: 'a'.repeat(8192) }],
    ['extra fields', { ...ok, refresh_token: 'r', id_token: 'i' }, { accessToken: 'eyJ.abc.def' }],
  ])('accepts %s', (_name, body, expected) => {
    expect(read(body)).toMatchObject(expected);
  });

  it.each([
    ['a body that is not JSON', '{"access_token": "eyJ', /is not JSON/],
    ['a JSON array', [ok], /not a JSON object/],
    ['JSON null', 'null', /not a JSON object/],
    ['no access_token', { ...ok, access_token: undefined }, /no access_token/],
    ['an empty access_token', { ...ok, access_token: '' }, /no access_token/],
    ['a numeric access_token', { ...ok, access_token: 42 }, /no access_token/],
    ['an access_token with a space', { ...ok, access_token: 'a b' }, /Authorization header/],
    ['an access_token with a newline', { ...ok, access_token: 'a\nb' }, /Authorization header/],
    ['no token_type', { ...ok, token_type: undefined }, /token_type/],
    ['token_type mac', { ...ok, token_type: 'mac' }, /token_type/],
    ['token_type DPoP', { ...ok, token_type: 'DPoP' }, /token_type/],
    ['an access_token of 8193 characters', { ...ok, access_token: 'a'.repeat(8193) }, /too long/],
    ['expires_in as a word', { ...ok, expires_in: 'soon' }, /expires_in/],
    ['expires_in as a fractional string', { ...ok, expires_in: '3.5' }, /expires_in/],
    ['expires_in as a negative string', { ...ok, expires_in: '-1' }, /expires_in/],
    ['a negative expires_in', { ...ok, expires_in: -1 }, /expires_in/],
    ['expires_in null', { ...ok, expires_in: null }, /expires_in/],
    ['scope as an array', { ...ok, scope: ['a'] }, /scope/],
  ])('refuses %s with invalid_token_response', (_name, body, message) => {
    let error: unknown;
    try {
      read(body);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'invalid_token_response', message });
    expect(String((error as Error).message)).not.toContain('eyJ');
  });
});
