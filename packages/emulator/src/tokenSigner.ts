import { SignJWT, exportJWK, generateKeyPair, jwtVerify, errors, type JWK, type JWTPayload, type CryptoKey } from 'jose';

const KEY_ID = 'celonis-emulator-es384';

/** Claims of an emulator access token, shaped like the example on the Celonis page. */
export interface AccessTokenClaims extends JWTPayload {
  aud: string[];
  azp: string;
  scope: string[];
  sub: string;
  jti: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
}

/** Why an access token was not accepted. */
export type TokenRejection = 'malformed' | 'signature' | 'expired' | 'not-yet-valid' | 'issuer';

/** Signs and verifies ES384 access tokens with a key pair made when the emulator starts. */
export interface TokenSigner {
  sign(claims: Omit<AccessTokenClaims, 'iss'>): Promise<string>;
  verify(token: string, nowMs: number): Promise<{ ok: true; claims: AccessTokenClaims } | { ok: false; reason: TokenRejection }>;
  /** The public key as a JWK set, for anyone who wants to verify tokens themselves. */
  jwks(): Promise<{ keys: JWK[] }>;
}

/** Creates a {@link TokenSigner} for tokens issued by `issuer`. */
export async function createTokenSigner(issuer: string): Promise<TokenSigner> {
  const { privateKey, publicKey } = await generateKeyPair('ES384', { extractable: true });
  return {
    sign: (claims) => new SignJWT({ ...claims, iss: issuer }).setProtectedHeader({ kid: KEY_ID, alg: 'ES384' }).sign(privateKey),
    verify: (token, nowMs) => verify(token, nowMs, publicKey, issuer),
    jwks: async () => ({ keys: [{ ...(await exportJWK(publicKey)), kid: KEY_ID, alg: 'ES384', use: 'sig' }] }),
  };
}

async function verify(token: string, nowMs: number, key: CryptoKey, issuer: string) {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['ES384'], issuer, currentDate: new Date(nowMs), clockTolerance: 0 });
    return { ok: true as const, claims: payload as AccessTokenClaims };
  } catch (error) {
    return { ok: false as const, reason: rejection(error) };
  }
}

function rejection(error: unknown): TokenRejection {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return error.claim === 'nbf' ? 'not-yet-valid' : 'issuer';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature';
  return 'malformed';
}
