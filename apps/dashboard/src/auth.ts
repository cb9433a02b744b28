// Step 1 — configure. One client for the whole app, created outside React.
import { createCelonisAuth } from '@celonis-auth/core';

const env = import.meta.env;

/** The scopes this portal asks for at sign-in; panels needing more ask for them on demand. */
export const SIGN_IN_SCOPES = (env.VITE_CELONIS_SCOPES ?? 'studio intelligence.knowledge-models:read team.user-group-info:read').split(' ').filter(Boolean);

/** The app's Celonis client: against the local emulator by default, a real team by configuration. */
export const auth = createCelonisAuth({
  teamUrl: env.VITE_CELONIS_TEAM_URL ?? 'http://127.0.0.1:8787',
  clientId: env.VITE_CELONIS_CLIENT_ID ?? 'dashboard',
  redirectUri: `${window.location.origin}/callback`,
  scopes: SIGN_IN_SCOPES,
  // Shared by the tabs of this browser, so a second tab needs no second sign-in.
  storage: 'local',
  ...(env.VITE_CELONIS_TOKEN_ENDPOINT ? { endpoints: { tokenEndpoint: new URL(env.VITE_CELONIS_TOKEN_ENDPOINT, window.location.origin).href } } : {}),
});
