import { redactSecret, secretForms } from '../secretRedaction.js';
import type { FetchFunction } from '../serverDeps.js';
import { DOCTOR_USAGE, parseDoctorArgs } from './doctorArgs.js';
import { runDoctorChecks } from './doctorChecks.js';
import { doctorReport } from './doctorReport.js';
import type { DoctorContext } from './doctorTypes.js';

/** The environment variable the client secret is read from (never a flag). */
export const CLIENT_SECRET_VARIABLE = 'CELONIS_CLIENT_SECRET';

/** What the CLI touches, injected so tests run it in-process. */
export interface DoctorCliDeps {
  /** The environment, for `CELONIS_CLIENT_SECRET`. */
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Default `globalThis.fetch`. */
  fetch?: FetchFunction;
  /** Default `Date.now`. */
  now?: () => number;
}

/**
 * `celonis-auth doctor`: parses `argv` (the arguments after the executable), runs the checks and
 * writes the report to `stdout`; usage errors go to `stderr`. Nothing written holds the secret: every
 * line is also passed through the secret's redaction, whatever produced it.
 *
 * @example
 * ```ts
 * const code = await runDoctorCli(['doctor', '--team', url, '--client-id', 'portal'], { env: process.env, stdout, stderr });
 * ```
 * @returns the exit code: 0 a browser mode will work, 1 none will (or no OAuth answer), 2 a usage error.
 */
export async function runDoctorCli(argv: readonly string[], deps: DoctorCliDeps): Promise<0 | 1 | 2> {
  const given = deps.env[CLIENT_SECRET_VARIABLE];
  const clientSecret = given === undefined || given === '' ? undefined : given;
  const args = parseDoctorArgs(argv);
  // The id is only known after parsing; until then the secret's own forms suffice for the usage lines.
  const forms = clientSecret === undefined ? [] : secretForms(args.kind === 'run' ? args.options.clientId : '', clientSecret);
  const out = (text: string) => deps.stdout(redactSecret(text, forms));
  const err = (text: string) => deps.stderr(redactSecret(text, forms));
  if (args.kind === 'help') {
    out(DOCTOR_USAGE);
    return 0;
  }
  if (args.kind === 'usage-error') {
    err(`celonis-auth: ${args.message}\n\n${DOCTOR_USAGE}`);
    return 2;
  }
  if (given === '') err(`${CLIENT_SECRET_VARIABLE} is set but empty: the checks that need the secret are skipped.\n`);
  const { endpoints, clientId, origin, scopes, timeoutMs } = args.options;
  const fetch = deps.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const ctx: DoctorContext = {
    endpoints,
    clientId,
    clientSecret,
    origin,
    scopes,
    http: { fetch, timeoutMs, secretForms: forms, now: deps.now ?? Date.now },
  };
  const report = doctorReport(ctx, await runDoctorChecks(ctx));
  out(report.text);
  return report.exitCode;
}
