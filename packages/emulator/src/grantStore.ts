import { randomBytes } from 'node:crypto';

/** An authorization code as issued by the authorize endpoint. */
export interface AuthorizationCodeRecord {
  clientId: string;
  redirectUri: string;
  codeChallenge: string | undefined;
  scopes: string[];
  subject: string;
  expiresAt: number;
  used: boolean;
  /** The token family the code was exchanged for, revoked when the code is replayed. */
  familyId: string | undefined;
}

/** Everything issued from one authorization: the chain of rotated refresh tokens and their access tokens. */
export interface TokenFamily {
  id: string;
  clientId: string;
  subject: string;
  scopes: string[];
  revoked: boolean;
  accessTokenIds: Set<string>;
}

/** Why a code or refresh token was refused; each maps to `invalid_grant`. */
export type GrantRefusal = 'unknown' | 'expired' | 'reused' | 'revoked' | 'wrong-client';

/** Why a refresh was refused: a grant refusal, or a scope wider than the family's (`invalid_scope`). */
export type RefreshRefusal = GrantRefusal | 'widened';

type Outcome<T, R = GrantRefusal> = { ok: true; value: T } | { ok: false; refusal: R };

/** Holds codes, refresh-token families and revocations, all in memory. */
export class GrantStore {
  #codes = new Map<string, AuthorizationCodeRecord>();
  #families = new Map<string, TokenFamily>();
  #refreshTokens = new Map<string, { familyId: string; expiresAt: number; rotated: boolean }>();
  #revokedAccessTokens = new Set<string>();

  /** Stores a new single-use code and returns it, first forgetting whatever expired by `now`. */
  issueCode(record: Omit<AuthorizationCodeRecord, 'used' | 'familyId'>, now: number): string {
    this.#prune(now);
    const code = randomToken();
    this.#codes.set(code, { ...record, used: false, familyId: undefined });
    return code;
  }

  /** Redeems a code once; a replay revokes everything the first redemption produced. */
  redeemCode(code: string, clientId: string, now: number): Outcome<AuthorizationCodeRecord> {
    const record = this.#codes.get(code);
    if (!record) return { ok: false, refusal: 'unknown' };
    if (record.clientId !== clientId) return { ok: false, refusal: 'wrong-client' };
    if (record.used) {
      if (record.familyId) this.revokeFamily(record.familyId);
      return { ok: false, refusal: 'reused' };
    }
    record.used = true;
    if (now >= record.expiresAt) return { ok: false, refusal: 'expired' };
    return { ok: true, value: record };
  }

  /** Starts a token family for a successful authorization (the code's, when there is one). */
  startFamily(clientId: string, subject: string, scopes: string[], code?: string): TokenFamily {
    const family: TokenFamily = { id: randomToken(), clientId, subject, scopes, revoked: false, accessTokenIds: new Set() };
    this.#families.set(family.id, family);
    const record = code === undefined ? undefined : this.#codes.get(code);
    if (record) record.familyId = family.id;
    return family;
  }

  /** Issues the next refresh token of a family, first forgetting whatever expired by `now`. */
  issueRefreshToken(family: TokenFamily, expiresAt: number, now: number): string {
    this.#prune(now);
    const token = randomToken();
    this.#refreshTokens.set(token, { familyId: family.id, expiresAt, rotated: false });
    return token;
  }

  /**
   * Uses a refresh token once. A rotated token coming back means it leaked or a client raced
   * itself: the whole family is revoked (RFC 9700 §4.14.2). A `scope` wider than the family's is
   * refused before anything is spent.
   */
  rotateRefreshToken(token: string, clientId: string, now: number, scope?: readonly string[]): Outcome<TokenFamily, RefreshRefusal> {
    const record = this.#refreshTokens.get(token);
    const family = record && this.#families.get(record.familyId);
    if (!record || !family) return { ok: false, refusal: 'unknown' };
    if (family.clientId !== clientId) return { ok: false, refusal: 'wrong-client' };
    if (family.revoked) return { ok: false, refusal: 'revoked' };
    if (record.rotated) {
      this.revokeFamily(family.id);
      return { ok: false, refusal: 'reused' };
    }
    if (now >= record.expiresAt) return { ok: false, refusal: 'expired' };
    if (scope?.some((s) => !family.scopes.includes(s))) return { ok: false, refusal: 'widened' };
    record.rotated = true;
    return { ok: true, value: family };
  }

  /** Remembers an access token as part of a family, so revoking the family revokes it too. */
  recordAccessToken(family: TokenFamily, jti: string): void {
    family.accessTokenIds.add(jti);
    if (family.revoked) this.#revokedAccessTokens.add(jti);
  }

  /** Revokes a family: its refresh tokens stop working and its access tokens are refused. */
  revokeFamily(familyId: string): void {
    const family = this.#families.get(familyId);
    if (!family) return;
    family.revoked = true;
    for (const jti of family.accessTokenIds) this.#revokedAccessTokens.add(jti);
  }

  /** Whether an access token was revoked with its family. */
  isAccessTokenRevoked(jti: string): boolean {
    return this.#revokedAccessTokens.has(jti);
  }

  /** How many codes, refresh tokens and token families are held (for tests and diagnostics). */
  counts(): { codes: number; refreshTokens: number; families: number } {
    return { codes: this.#codes.size, refreshTokens: this.#refreshTokens.size, families: this.#families.size };
  }

  /** Forgets everything. */
  clear(): void {
    this.#codes.clear();
    this.#families.clear();
    this.#refreshTokens.clear();
    this.#revokedAccessTokens.clear();
  }

  // Bounds memory in a long-running emulator: expired codes and refresh tokens can only be refused,
  // and a family none of them points to can no longer be used or revoked.
  #prune(now: number): void {
    for (const [code, record] of this.#codes) if (now >= record.expiresAt) this.#codes.delete(code);
    for (const [token, record] of this.#refreshTokens) if (now >= record.expiresAt) this.#refreshTokens.delete(token);
    const live = new Set<string>();
    for (const record of this.#codes.values()) if (record.familyId) live.add(record.familyId);
    for (const record of this.#refreshTokens.values()) live.add(record.familyId);
    for (const id of this.#families.keys()) if (!live.has(id)) this.#families.delete(id);
  }
}

/** 256 bits from the CSPRNG, base64url. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
