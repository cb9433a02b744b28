// Step 1 — configure. One client for the whole app, created outside React.
import { CodedTypeError, createCelonisAuth, type CelonisAuth } from '@celonis-auth/core';
import { createCelonisBffAuth } from '@celonis-auth/core/bff';
import { describeConfigProblem, type ConfigProblem } from './configProblem.js';
import { PANELS } from './panels.js';
import { checkTeamBeforeLogin } from './teamReachability.js';

const env = import.meta.env;

/** Every scope the portal uses: the overview's, and the one of each panel, so one sign-in shows everything the user may see. */
export const PORTAL_SCOPES: readonly string[] = [...new Set(['studio', 'team.user-group-info:read', ...PANELS.map((panel) => panel.scope)])];

/** The scopes asked for at sign-in: `VITE_CELONIS_SCOPES` (space-separated) when set, else {@link PORTAL_SCOPES}. */
export const SIGN_IN_SCOPES: readonly string[] = env.VITE_CELONIS_SCOPES === undefined ? PORTAL_SCOPES : env.VITE_CELONIS_SCOPES.split(/\s+/).filter(Boolean);

/** The app's client, or why the configuration cannot make one (shown as a page instead of a blank screen). */
export type PortalSetup = { auth: CelonisAuth; problem?: undefined } | { auth?: undefined; problem: ConfigProblem };

function createPortalAuth(): PortalSetup {
  try {
    // Backend-for-frontend mode: the server signs in and keeps the tokens; the same React code runs on it.
    if (env.VITE_CELONIS_MODE === 'bff') {
      return { auth: createCelonisBffAuth({ basePath: '/auth', apiBasePath: '/celonis', teamUrl: env.VITE_CELONIS_TEAM_URL, scopes: SIGN_IN_SCOPES }) };
    }
    // Unset means the default; set but empty ('VITE_CELONIS_CLIENT_ID=') is kept, so the check below names it.
    const auth = createCelonisAuth({
      teamUrl: env.VITE_CELONIS_TEAM_URL ?? 'http://127.0.0.1:8787',
      clientId: env.VITE_CELONIS_CLIENT_ID ?? 'dashboard',
      redirectUri: `${window.location.origin}/callback`,
      scopes: SIGN_IN_SCOPES,
      // Shared by the tabs of this browser, so a second tab needs no second sign-in.
      storage: 'local',
      // Relay mode: a token relay and an API proxy on this origin (paths are resolved against it).
      ...(env.VITE_CELONIS_TOKEN_ENDPOINT ? { endpoints: { tokenEndpoint: env.VITE_CELONIS_TOKEN_ENDPOINT } } : {}),
      ...(env.VITE_CELONIS_API_BASE_URL ? { apiBaseUrl: env.VITE_CELONIS_API_BASE_URL } : {}),
    });
    // Before leaving for the Celonis login, make sure the team answers (see teamReachability.ts).
    return { auth: checkTeamBeforeLogin(auth) };
  } catch (error) {
    if (error instanceof CodedTypeError) return { problem: describeConfigProblem(error, env) };
    throw error;
  }
}

/** The app's Celonis client: against the local emulator by default, a real team by configuration. */
export const portal: PortalSetup = createPortalAuth();
