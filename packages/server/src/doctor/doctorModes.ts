import type { DoctorResults, Mark } from './doctorTypes.js';

/** The deployment modes of DESIGN §8, and machine-to-machine. */
export type ModeName = 'direct' | 'relay' | 'bff' | 'machine-to-machine';

/** Whether a mode will work, with the reason in one line. */
export interface ModeVerdict {
  mode: ModeName;
  mark: Mark;
  reason: string;
}

/** The guide every piece of advice points to. */
export const DEPLOYING_GUIDE = 'docs/deploying.md';

/**
 * Judges each mode from the checks: direct needs a public client accepted and CORS for the origin
 * on the token endpoint and the APIs; relay and bff need a secret that authenticates a code
 * exchange; machine-to-machine needs a client-credentials grant.
 */
export function judgeModes(results: DoctorResults): ModeVerdict[] {
  return [
    { mode: 'direct', ...judgeDirect(results) },
    { mode: 'relay', ...judgeConfidential(results, 'the token relay adds it, and the same-origin API proxy carries the API calls') },
    { mode: 'bff', ...judgeConfidential(results, 'createCelonisBff keeps the tokens on your server') },
    { mode: 'machine-to-machine', ...judgeMachine(results) },
  ];
}

function judgeDirect({ publicClient, corsToken, corsApi }: DoctorResults): Omit<ModeVerdict, 'mode'> {
  if (publicClient.mark === 'fail' && publicClient.outcome !== 'confidential') return { mark: 'fail', reason: 'the token endpoint gave no OAuth answer' };
  // Every unmet need at once, so one change does not just reveal the next.
  const unmet = [
    ...(publicClient.outcome === 'confidential' ? ['the client must authenticate with a secret, which must never ship to a browser'] : []),
    ...(corsToken.mark === 'fail' ? ['no CORS for the origin on the token endpoint'] : []),
    ...(corsApi.mark === 'fail' ? ['no CORS for the origin on the APIs'] : []),
  ];
  if (unmet.length) return { mark: 'fail', reason: unmet.join('; ') };
  if (corsToken.outcome === 'not-checked' || corsApi.outcome === 'not-checked') return { mark: 'unknown', reason: 'not checked: give --origin' };
  if (publicClient.mark === 'unknown') return { mark: 'unknown', reason: `not known: ${publicClient.reason}` };
  if (corsToken.mark === 'unknown' || corsApi.mark === 'unknown') return { mark: 'unknown', reason: 'not known: the CORS checks were inconclusive' };
  return { mark: 'pass', reason: 'a public client is accepted, and CORS allows the origin on the token endpoint and the APIs' };
}

function judgeConfidential({ publicClient, secret }: DoctorResults, how: string): Omit<ModeVerdict, 'mode'> {
  if (secret.outcome === 'authenticates') return { mark: 'pass', reason: `the secret authenticates (${secret.method ?? 'client_secret_basic'}); ${how}` };
  if (secret.outcome === 'no-code-grant') return { mark: 'fail', reason: 'the client may not use the authorization_code grant, so no one can sign in with it' };
  if (secret.outcome === 'refused' && publicClient.outcome === 'public')
    return { mark: 'fail', reason: 'the client is public: it has no secret to authenticate with' };
  if (secret.outcome === 'refused') return { mark: 'fail', reason: 'the client id or the secret is wrong (invalid_client)' };
  if (secret.outcome === 'not-checked') return { mark: 'unknown', reason: secret.reason };
  return { mark: secret.mark === 'fail' ? 'fail' : 'unknown', reason: secret.reason };
}

function judgeMachine({ clientCredentials: cc }: DoctorResults): Omit<ModeVerdict, 'mode'> {
  if (cc.outcome === 'granted') return { mark: 'pass', reason: `client credentials work: ${cc.reason}` };
  return { mark: cc.mark, reason: cc.reason };
}

/**
 * The exit code: 0 when a browser mode (direct, relay or bff) will work and every check that ran
 * got an answer; 1 otherwise (2, for the command line, is the CLI's).
 */
export function doctorExitCode(results: DoctorResults, modes: readonly ModeVerdict[]): 0 | 1 {
  const { publicClient, secret, corsToken, corsApi, clientCredentials } = results;
  const unanswered = [publicClient, secret, corsToken, corsApi, clientCredentials].some((r) => r.outcome === 'unreachable' || r.outcome === 'not-oauth');
  const browserMode = modes.some((m) => m.mode !== 'machine-to-machine' && m.mark === 'pass');
  return browserMode && !unanswered ? 0 : 1;
}

/** The one thing that helps most, for the last line of the report. */
export function doctorAdvice(results: DoctorResults, modes: readonly ModeVerdict[]): string {
  const { publicClient, secret, clientCredentials } = results;
  const works = (mode: ModeName) => modes.some((m) => m.mode === mode && m.mark === 'pass');
  if (publicClient.outcome === 'unreachable' || publicClient.outcome === 'not-oauth') {
    return 'Check --team: it must be the team URL, https://<team>.<cluster>.celonis.cloud, reachable from this machine.';
  }
  if (works('direct')) return `Use the direct mode (createCelonisAuth with this team URL): see ${DEPLOYING_GUIDE}.`;
  if (works('relay')) return `Use the relay or bff mode with ${secret.method ?? 'client_secret_basic'}: see ${DEPLOYING_GUIDE}.`;
  if (secret.outcome === 'refused' && publicClient.outcome === 'public') {
    return 'This client is public and needs no secret: give --origin to check the direct mode, or use a confidential client for relay and bff.';
  }
  if (secret.outcome === 'refused') {
    return 'Check the client id and CELONIS_CLIENT_SECRET in Admin & Settings > Applications (Regenerate Secret issues a new secret).';
  }
  if (secret.outcome === 'no-code-grant') {
    const m2m = clientCredentials.outcome === 'granted' ? 'This client works machine-to-machine only. ' : '';
    return `${m2m}For sign-in, register an OAuth client with grant type Authorization Code in Admin & Settings > Applications: see ${DEPLOYING_GUIDE}.`;
  }
  if (secret.outcome === 'not-checked' && publicClient.outcome === 'confidential') {
    return 'Set CELONIS_CLIENT_SECRET to the client secret and run again: the relay and bff modes need it.';
  }
  if (works('machine-to-machine')) return `This client works machine-to-machine (createClientCredentialsTokenSource): see ${DEPLOYING_GUIDE}.`;
  return `See ${DEPLOYING_GUIDE} for what each mode needs from Celonis.`;
}
