import type { EmulatorConfig } from './emulatorConfig.js';
import { EMULATOR_SCOPES } from './emulatorScopes.js';

const DASHBOARD_REDIRECTS = ['http://localhost:5173/callback', 'http://127.0.0.1:5173/callback'];
const ALL_PERMISSIONS = [...EMULATOR_SCOPES];

const SEED: EmulatorConfig = {
  profile: 'permissive',
  clients: [
    { clientId: 'dashboard', name: 'Celonis Portal', grantTypes: ['authorization_code', 'refresh_token'], redirectUris: DASHBOARD_REDIRECTS },
    {
      clientId: 'portal',
      name: 'Customer Portal',
      clientSecret: 'portal-secret',
      grantTypes: ['authorization_code', 'refresh_token'],
      authMethods: ['client_secret_basic', 'client_secret_post'],
      redirectUris: DASHBOARD_REDIRECTS,
    },
    {
      clientId: 'm2m',
      name: 'Machine Client',
      clientSecret: 'm2m-secret',
      grantTypes: ['client_credentials'],
      authMethods: ['client_secret_basic', 'client_secret_post'],
    },
  ],
  users: [
    { username: 'analyst@example.com', password: 'analyst', name: 'Ada Analyst', permissions: ALL_PERMISSIONS },
    {
      username: 'viewer@example.com',
      password: 'viewer',
      name: 'Vic Viewer',
      permissions: ALL_PERMISSIONS.filter((s) => s !== 'audit.log:read' && !s.startsWith('integration.')),
    },
  ],
  accessTokenLifetimeSeconds: 899,
  refreshTokenLifetimeSeconds: 86_400,
  codeLifetimeSeconds: 60,
  // Not used in the celonis profile, which answers no CORS.
  corsOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
  controlSurface: true,
  sendIssuer: false,
};

/** The seeded clients, users and settings, documented in the package README. */
export const DEFAULT_EMULATOR_CONFIG: Readonly<EmulatorConfig> = Object.freeze(SEED);
