import { DEFAULT_EMULATOR_CONFIG } from './defaultEmulatorConfig.js';
import { EMULATOR_PROFILES, type EmulatorProfile } from './emulatorProfile.js';
import { EmulatorConfigError } from './emulatorConfigError.js';
import { EMULATOR_SCOPES } from './emulatorScopes.js';
import { absoluteUrl, bool, isRecord, knownScopes, list, oneOf, origin, seconds, strings, text, unique } from './emulatorConfigFields.js';

/** A grant type the emulator's token endpoint serves. */
export type EmulatorGrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';

/** A client authentication method of the Celonis page. */
export type ClientAuthenticationMethod = 'client_secret_basic' | 'client_secret_post';

/** An OAuth client registered in the emulator, like one made under Admin & Settings → Applications. */
export interface EmulatorClient {
  /** The client id. */
  clientId: string;
  /** Display name on the consent page. Default: the client id. */
  name?: string;
  /** The secret of a confidential client; absent for a public (PKCE-only) client. */
  clientSecret?: string;
  /** Grants the client may use. */
  grantTypes: EmulatorGrantType[];
  /** Authentication methods a confidential client may use. Default: both. */
  authMethods?: ClientAuthenticationMethod[];
  /** Exact redirect URIs for the authorization-code grant. */
  redirectUris?: string[];
  /** Scopes the client may be granted; for client credentials these are its permissions. Default: all. */
  scopes?: string[];
}

/** A user who can sign in on the emulator's login page. */
export interface EmulatorUser {
  /** The login name, an email address as on Celonis. */
  username: string;
  password: string;
  /** Display name. Default: the username. */
  name?: string;
  /** Scopes the user's permissions allow; granted scopes are the requested ones found here. */
  permissions: string[];
}

/** Everything the emulator can be configured with; each field has a default. */
export interface EmulatorConfig {
  /**
   * Which rules the token endpoint and CORS follow (see {@link EMULATOR_PROFILES}). Default
   * `permissive`. With `celonis`, `corsOrigins` is always empty, and a non-empty one given
   * explicitly is refused: Celonis documents no CORS.
   */
  profile: EmulatorProfile;
  clients: EmulatorClient[];
  users: EmulatorUser[];
  /** `expires_in` of access tokens. Default 899, as on the Celonis page. */
  accessTokenLifetimeSeconds: number;
  /** Lifetime of refresh tokens. Default 86 400 (one day). */
  refreshTokenLifetimeSeconds: number;
  /** Lifetime of authorization codes. Default 60. */
  codeLifetimeSeconds: number;
  /** Browser origins allowed by CORS on the token endpoint, the keys and the APIs. Always empty in the `celonis` profile. */
  corsOrigins: string[];
  /**
   * Whether the `/__emulator` control surface is served over HTTP. Default true, except for an
   * emulator bound beyond loopback (`allowRemote`), where only an explicit `true` turns it on.
   */
  controlSurface: boolean;
  /**
   * Whether authorization responses (the code and every error redirect) carry `iss`, the emulator's
   * issuer URL (its team URL), as RFC 9207 describes. Default false: Celonis does not document `iss`.
   * @see https://www.rfc-editor.org/rfc/rfc9207
   */
  sendIssuer: boolean;
}

/** A partial {@link EmulatorConfig}, as read from a `--config` file or passed to `startEmulator`. */
export type EmulatorConfigInput = Partial<EmulatorConfig>;

export { EmulatorConfigError } from './emulatorConfigError.js';

const GRANTS: readonly EmulatorGrantType[] = ['authorization_code', 'refresh_token', 'client_credentials'];
const METHODS: readonly ClientAuthenticationMethod[] = ['client_secret_basic', 'client_secret_post'];
const FIELDS = new Set(Object.keys(DEFAULT_EMULATOR_CONFIG));

/**
 * Merges `input` over {@link DEFAULT_EMULATOR_CONFIG} (a given `clients` or `users` list replaces
 * the seeded one) and checks every field.
 *
 * @throws {EmulatorConfigError} naming the first field that is wrong.
 */
export function resolveEmulatorConfig(input: unknown = {}): EmulatorConfig {
  if (!isRecord(input)) throw new EmulatorConfigError('emulator config must be a JSON object');
  for (const key of Object.keys(input)) {
    if (!FIELDS.has(key)) throw new EmulatorConfigError(`emulator config: unknown field "${key}" (known: ${[...FIELDS].join(', ')})`);
  }
  const merged = { ...DEFAULT_EMULATOR_CONFIG, ...input } as Record<string, unknown>;
  const profile = readEmulatorProfile(merged.profile, 'profile');
  const corsOrigins = strings(merged.corsOrigins, 'corsOrigins').map((o) => origin(o));
  // The seeded origins are for the permissive demo; origins asked for by name would be a promise celonis cannot keep.
  if (profile === 'celonis' && 'corsOrigins' in input && corsOrigins.length > 0) {
    throw new EmulatorConfigError(
      'corsOrigins cannot be used with profile "celonis": Celonis documents no CORS for browser origins. ' +
        'Use profile "permissive" for cross-origin calls, or the token relay and the API proxy on your own origin.',
    );
  }
  const config: EmulatorConfig = {
    profile,
    clients: list(merged.clients, 'clients').map((c, i) => readClient(c, `clients[${i}]`)),
    users: list(merged.users, 'users').map((u, i) => readUser(u, `users[${i}]`)),
    accessTokenLifetimeSeconds: seconds(merged.accessTokenLifetimeSeconds, 'accessTokenLifetimeSeconds'),
    refreshTokenLifetimeSeconds: seconds(merged.refreshTokenLifetimeSeconds, 'refreshTokenLifetimeSeconds'),
    codeLifetimeSeconds: seconds(merged.codeLifetimeSeconds, 'codeLifetimeSeconds'),
    corsOrigins: profile === 'celonis' ? [] : corsOrigins,
    controlSurface: bool(merged.controlSurface, 'controlSurface'),
    sendIssuer: bool(merged.sendIssuer, 'sendIssuer'),
  };
  unique(
    config.clients.map((c) => c.clientId),
    'clients',
    'clientId',
  );
  unique(
    config.users.map((u) => u.username),
    'users',
    'username',
  );
  return config;
}

/**
 * Checks a profile name, from a config file, `startEmulator({ profile })` or the CLI's `--profile`.
 *
 * @param at what to name in the message, e.g. `profile` or `--profile`.
 * @throws {EmulatorConfigError} when `value` is not one of {@link EMULATOR_PROFILES}, naming them.
 * @example
 * ```ts
 * readEmulatorProfile('celonis', '--profile'); // 'celonis'
 * readEmulatorProfile('strict', '--profile'); // throws: --profile: "strict" is not one of permissive, celonis
 * ```
 */
export function readEmulatorProfile(value: unknown, at: string): EmulatorProfile {
  if (typeof value !== 'string') throw new EmulatorConfigError(`${at} must be one of ${EMULATOR_PROFILES.join(', ')}`);
  return oneOf(value, EMULATOR_PROFILES, at);
}

function readClient(value: unknown, at: string): EmulatorClient {
  if (!isRecord(value)) throw new EmulatorConfigError(`${at} must be an object`);
  const clientId = text(value.clientId, `${at}.clientId`);
  if (clientId.includes(':')) throw new EmulatorConfigError(`${at}.clientId must not contain ":" (it would break client_secret_basic)`);
  const grantTypes = strings(value.grantTypes, `${at}.grantTypes`).map((g) => oneOf(g, GRANTS, `${at}.grantTypes`));
  const clientSecret = value.clientSecret === undefined ? undefined : text(value.clientSecret, `${at}.clientSecret`);
  if (clientSecret === undefined && grantTypes.includes('client_credentials')) {
    throw new EmulatorConfigError(`${at}: a client_credentials client needs a clientSecret`);
  }
  const redirectUris = value.redirectUris === undefined ? [] : strings(value.redirectUris, `${at}.redirectUris`);
  redirectUris.forEach((uri, i) => absoluteUrl(uri, `${at}.redirectUris[${i}]`));
  if (grantTypes.includes('authorization_code') && redirectUris.length === 0) {
    throw new EmulatorConfigError(`${at}: an authorization_code client needs at least one redirectUris entry`);
  }
  return {
    clientId,
    name: value.name === undefined ? clientId : text(value.name, `${at}.name`),
    ...(clientSecret === undefined ? {} : { clientSecret }),
    grantTypes,
    authMethods:
      value.authMethods === undefined ? [...METHODS] : strings(value.authMethods, `${at}.authMethods`).map((m) => oneOf(m, METHODS, `${at}.authMethods`)),
    redirectUris,
    scopes: value.scopes === undefined ? [...EMULATOR_SCOPES] : knownScopes(value.scopes, `${at}.scopes`),
  };
}

function readUser(value: unknown, at: string): EmulatorUser {
  if (!isRecord(value)) throw new EmulatorConfigError(`${at} must be an object`);
  const username = text(value.username, `${at}.username`);
  return {
    username,
    password: text(value.password, `${at}.password`),
    name: value.name === undefined ? username : text(value.name, `${at}.name`),
    permissions: knownScopes(value.permissions, `${at}.permissions`),
  };
}
