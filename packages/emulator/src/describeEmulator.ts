import type { EmulatorClient, EmulatorConfig } from './emulatorConfig.js';
import { PROFILE_RULES } from './emulatorProfile.js';
import { CONTROL_PREFIX } from './routes/controlRoutes.js';
import { SAMPLE_APIS } from './routes/sampleApis.js';

/**
 * The settings in force, one per line, so a user can see that `--profile`, `--config` or
 * `--token-lifetime` took effect: profile, token and code lifetimes, CORS, (in the `celonis`
 * profile) which clients cannot exchange codes for want of a secret, control surface and RFC 9207 `iss`.
 *
 * @example
 * ```ts
 * console.log(describeEmulatorSettings(emulator.config)); // "  profile          permissive\n  access tokens    899 s\n..."
 * ```
 */
export function describeEmulatorSettings(config: EmulatorConfig): string {
  const rules = PROFILE_RULES[config.profile];
  return [
    `  profile          ${config.profile}`,
    `  access tokens    ${config.accessTokenLifetimeSeconds} s`,
    `  refresh tokens   ${config.refreshTokenLifetimeSeconds} s`,
    `  codes            ${config.codeLifetimeSeconds} s`,
    `  CORS             ${corsSetting(config)}`,
    ...(rules.publicClients ? [] : [`  client secrets   ${secretsSetting(config)}`]),
    `  control surface  ${config.controlSurface ? `on at ${CONTROL_PREFIX}` : 'off'}`,
    `  iss (RFC 9207)   ${config.sendIssuer ? 'sent in authorization responses' : 'not sent (as Celonis)'}`,
  ].join('\n');
}

function corsSetting(config: EmulatorConfig): string {
  if (!PROFILE_RULES[config.profile].cors) return `off (the ${config.profile} profile: Celonis documents none)`;
  return config.corsOrigins.length ? `on for ${config.corsOrigins.join(' ')}` : 'off (no origins)';
}

function secretsSetting(config: EmulatorConfig): string {
  const stranded = config.clients.filter(isPublicCodeClient).map((c) => c.clientId);
  if (stranded.length === 0) return 'required on every token request';
  const [subject, verb] = stranded.length === 1 ? [stranded[0], 'has none, so it cannot'] : [stranded.join(', '), 'have none, so they cannot'];
  return `required on every token request; ${subject} ${verb} exchange codes in this profile`;
}

// A client the authorize page serves but whose codes no token request can redeem without public clients.
function isPublicCodeClient(client: EmulatorClient): boolean {
  return client.clientSecret === undefined && client.grantTypes.includes('authorization_code');
}

/** The banner the CLI prints: team URL, endpoints, settings, seeded clients and users, sample APIs. */
export function describeEmulator(url: string, config: EmulatorConfig): string {
  const lines = [
    `Celonis emulator running at ${url}`,
    `  team URL         ${url}`,
    `  authorize        ${url}/oauth2/authorize`,
    `  token            ${url}/oauth2/token`,
    '',
    'Settings:',
    describeEmulatorSettings(config),
    '',
    'Clients:',
    ...config.clients.map(
      (c) =>
        `  ${c.clientId.padEnd(14)}${c.clientSecret ? `secret ${c.clientSecret}` : publicClient(config)}; ${c.grantTypes.join(', ')}` +
        (c.redirectUris?.length ? `; redirect ${c.redirectUris.join(' ')}` : ''),
    ),
    '',
    'Users:',
    ...config.users.map((u) => `  ${u.username.padEnd(22)}password ${u.password}; ${u.permissions.length} scopes`),
    '',
    'Sample APIs:',
    ...SAMPLE_APIS.map((api) => `  GET ${api.path.padEnd(38)}${api.scope ?? 'any valid token'}`),
    '',
    'Press Ctrl-C to stop.',
  ];
  return lines.join('\n');
}

function publicClient(config: EmulatorConfig): string {
  return PROFILE_RULES[config.profile].publicClients ? 'public (PKCE)' : `public (PKCE), cannot exchange codes in the ${config.profile} profile`;
}
