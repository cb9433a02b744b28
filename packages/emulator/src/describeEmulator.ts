import type { EmulatorConfig } from './emulatorConfig.js';
import { CONTROL_PREFIX } from './routes/controlRoutes.js';
import { SAMPLE_APIS } from './routes/sampleApis.js';

/** The profile the emulator runs: the only one so far (DESIGN §9): a public PKCE client and CORS for the dev origins. */
const PROFILE = 'permissive';

/**
 * The settings in force, one per line, so a user can see that `--config` or `--token-lifetime`
 * took effect: profile, token and code lifetimes, CORS, control surface and RFC 9207 `iss`.
 *
 * @example
 * ```ts
 * console.log(describeEmulatorSettings(emulator.config)); // "  profile          permissive\n  access tokens    899 s\n..."
 * ```
 */
export function describeEmulatorSettings(config: EmulatorConfig): string {
  return [
    `  profile          ${PROFILE}`,
    `  access tokens    ${config.accessTokenLifetimeSeconds} s`,
    `  refresh tokens   ${config.refreshTokenLifetimeSeconds} s`,
    `  codes            ${config.codeLifetimeSeconds} s`,
    `  CORS             ${config.corsOrigins.length ? `on for ${config.corsOrigins.join(' ')}` : 'off (no origins)'}`,
    `  control surface  ${config.controlSurface ? `on at ${CONTROL_PREFIX}` : 'off'}`,
    `  iss (RFC 9207)   ${config.sendIssuer ? 'sent in authorization responses' : 'not sent (as Celonis)'}`,
  ].join('\n');
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
        `  ${c.clientId.padEnd(14)}${c.clientSecret ? `secret ${c.clientSecret}` : 'public (PKCE)'}; ${c.grantTypes.join(', ')}` +
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
