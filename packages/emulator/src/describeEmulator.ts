import type { EmulatorConfig } from './emulatorConfig.js';
import { SAMPLE_APIS } from './routes/sampleApis.js';

/** The banner the CLI prints: team URL, endpoints, seeded clients and users, sample APIs. */
export function describeEmulator(url: string, config: EmulatorConfig): string {
  const lines = [
    `Celonis emulator running at ${url}`,
    `  team URL        ${url}`,
    `  authorize       ${url}/oauth2/authorize`,
    `  token           ${url}/oauth2/token`,
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
