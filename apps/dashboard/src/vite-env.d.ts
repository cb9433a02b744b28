/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The Celonis team URL; default the emulator at http://127.0.0.1:8787. */
  readonly VITE_CELONIS_TEAM_URL?: string;
  /** The OAuth client id; default `dashboard`, the emulator's public PKCE client. */
  readonly VITE_CELONIS_CLIENT_ID?: string;
  /** Space-separated scopes to ask for at sign-in. */
  readonly VITE_CELONIS_SCOPES?: string;
  /** A token relay URL (e.g. `/api/token`) that adds a confidential client's secret server-side. */
  readonly VITE_CELONIS_TOKEN_ENDPOINT?: string;
  /** A same-origin API proxy (e.g. `/celonis`) that `auth.fetch` sends the API calls to, for a team without CORS. */
  readonly VITE_CELONIS_API_BASE_URL?: string;
  /** `bff`: the backend-for-frontend on this origin signs in and keeps the tokens (`pnpm dev --mode bff`). */
  readonly VITE_CELONIS_MODE?: string;
}
