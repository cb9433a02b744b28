import type { ArgumentErrorCode, CodedTypeError } from '@celonis-auth/core';

/** The `VITE_*` variables the portal reads at build (and dev-server start) time. */
export type PortalVariable =
  'VITE_CELONIS_TEAM_URL' | 'VITE_CELONIS_CLIENT_ID' | 'VITE_CELONIS_SCOPES' | 'VITE_CELONIS_TOKEN_ENDPOINT' | 'VITE_CELONIS_API_BASE_URL';

/** A configuration the portal cannot start with: which variable, what it holds, and how to fix it. */
export interface ConfigProblem {
  /** The variable to fix, when one `VITE_*` variable is at fault. */
  variable: PortalVariable | null;
  /** What that variable holds (`undefined` when unset, so the default was used). */
  value: string | undefined;
  /** What to do, in one sentence. */
  fix: string;
  /** The core's own message and code (`createCelonisAuth` throws a `CodedTypeError`). */
  detail: string;
  code: ArgumentErrorCode;
}

const FIXES: Record<PortalVariable, string> = {
  VITE_CELONIS_TEAM_URL:
    "Set it to your Celonis team's address, such as https://acme.eu-1.celonis.cloud (https; http only for an emulator on this computer), or remove it to use the local emulator.",
  VITE_CELONIS_CLIENT_ID:
    "Set it to the OAuth client's id from Celonis (Admin & Settings → Applications), or remove it to use the emulator's dashboard client.",
  VITE_CELONIS_SCOPES:
    'List the scopes to ask for at sign-in, separated by spaces, such as "studio audit.log:read", or remove it to ask for every scope the portal\'s pages need.',
  VITE_CELONIS_TOKEN_ENDPOINT:
    "Set it to the token relay of this portal, a path such as /api/celonis/token or an https URL, or remove it to use the team's own token endpoint.",
  VITE_CELONIS_API_BASE_URL:
    'Set it to the API proxy of this portal, a path such as /celonis or an https URL without a query, or remove it to call the team directly.',
};

// Which variable feeds which option of createCelonisAuth (see auth.ts).
const VARIABLE_OF: Partial<Record<ArgumentErrorCode, PortalVariable>> = {
  invalid_team_url: 'VITE_CELONIS_TEAM_URL',
  invalid_client_id: 'VITE_CELONIS_CLIENT_ID',
  invalid_scopes: 'VITE_CELONIS_SCOPES',
  invalid_endpoint: 'VITE_CELONIS_TOKEN_ENDPOINT',
  invalid_api_base_url: 'VITE_CELONIS_API_BASE_URL',
};

/** Names the variable behind a `CodedTypeError` of `createCelonisAuth`, from its `code` (never from its message). */
export function describeConfigProblem(error: CodedTypeError, env: Partial<Record<PortalVariable, string>>): ConfigProblem {
  const variable = VARIABLE_OF[error.code] ?? null;
  return {
    variable,
    value: variable ? env[variable] : undefined,
    fix: variable ? FIXES[variable] : "Open the portal on an http or https address, and check the portal's VITE_CELONIS_* settings.",
    detail: error.message,
    code: error.code,
  };
}
