import type { ClientAuthentication, TeamEndpoints } from '@celonis-auth/core/protocol';
import type { DoctorHttp } from './doctorHttp.js';

/** How a check or a mode came out: `pass` (✓), `fail` (✗), `unknown` (?: not checked, or an answer that says neither). */
export type Mark = 'pass' | 'fail' | 'unknown';

/**
 * Outcomes every check can have: `not-checked` (an input is missing, or an earlier check showed it
 * would be pointless), `unreachable` (no HTTP answer), `not-oauth` (an answer, but no OAuth JSON),
 * `unexpected` (an OAuth answer that says neither yes nor no, e.g. `server_error`).
 */
export type CommonOutcome = 'not-checked' | 'unreachable' | 'not-oauth' | 'unexpected';

/** One check's result. */
export interface CheckResult<Outcome extends string> {
  outcome: Outcome | CommonOutcome;
  mark: Mark;
  /** One line for a person: what happened and what it means. Never a secret or a token. */
  reason: string;
  /** The OAuth `error` the server answered, if any. */
  oauthError?: string;
}

/** Check 1: a made-up code exchanged without a secret: `public` (invalid_grant) or `confidential` (invalid_client). */
export type PublicClientResult = CheckResult<'public' | 'confidential'>;

/**
 * Check 2: the same with the secret: `authenticates` (invalid_grant), `no-code-grant` (it
 * authenticates, but the client may not use the authorization_code grant), `refused` (invalid_client).
 */
export interface SecretResult extends CheckResult<'authenticates' | 'no-code-grant' | 'refused'> {
  /** The client authentication that worked. */
  method?: ClientAuthentication;
}

/** Check 3: whether a browser on `--origin` may call the token endpoint or an API. */
export type CorsResult = CheckResult<'allowed' | 'refused'>;

/** Check 4: a client-credentials grant: `granted` or `refused`. */
export interface ClientCredentialsResult extends CheckResult<'granted' | 'refused'> {
  /** The granted scopes (the token itself is never kept). */
  scopes?: string[];
  expiresInSeconds?: number;
}

/** Every check's result. */
export interface DoctorResults {
  publicClient: PublicClientResult;
  secret: SecretResult;
  corsToken: CorsResult;
  corsApi: CorsResult;
  clientCredentials: ClientCredentialsResult;
}

/** What the checks need: the team, the client, the optional secret, origin and scopes, and HTTP. */
export interface DoctorContext {
  endpoints: TeamEndpoints;
  clientId: string;
  /** From `CELONIS_CLIENT_SECRET`; absent when not set. */
  clientSecret: string | undefined;
  /** The app's origin, e.g. `https://portal.example.com`; absent when not given. */
  origin: string | undefined;
  /** Scopes for the client-credentials grant; none means the client's default. */
  scopes: readonly string[];
  http: DoctorHttp;
}

/** A check that could not run, with why. */
export function notChecked(reason: string): CheckResult<never> {
  return { outcome: 'not-checked', mark: 'unknown', reason: `not checked: ${reason}` };
}
