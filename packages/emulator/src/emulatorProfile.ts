/**
 * The emulator's profiles (DESIGN §9), in the order the CLI's help lists them:
 * - `permissive` (the default): public PKCE clients may use the token endpoint with their
 *   `client_id` alone, and `/oauth2/token`, `/oauth2/jwks` and the sample APIs answer CORS for
 *   `corsOrigins`. For the direct-mode demo.
 * - `celonis`: what Celonis's "Authentication" page documents, and no more: every token request
 *   authenticates its client with its secret (`client_secret_basic` or `client_secret_post`), and
 *   nothing answers CORS (preflights are refused with 403).
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ profile: 'celonis' });
 * EMULATOR_PROFILES.includes(value as EmulatorProfile); // true for 'permissive' and 'celonis'
 * ```
 */
export const EMULATOR_PROFILES = ['permissive', 'celonis'] as const;

/** One of {@link EMULATOR_PROFILES}: `'permissive'` (the default) or `'celonis'`. */
export type EmulatorProfile = (typeof EMULATOR_PROFILES)[number];

/** What a profile decides; everything else (clients, users, scopes, codes, rotation, APIs) is the same in every profile. */
export interface EmulatorProfileRules {
  /** Whether a public client (no secret) may use the token endpoint by naming its `client_id` only. */
  publicClients: boolean;
  /** Whether `/oauth2/token`, `/oauth2/jwks` and the sample APIs answer CORS for `corsOrigins`. */
  cors: boolean;
}

/** The rules of each profile. PKCE is the same in both: verified when a code was issued with a challenge, required of public clients only. */
export const PROFILE_RULES: Readonly<Record<EmulatorProfile, Readonly<EmulatorProfileRules>>> = Object.freeze({
  permissive: Object.freeze({ publicClients: true, cors: true }),
  celonis: Object.freeze({ publicClients: false, cors: false }),
});
