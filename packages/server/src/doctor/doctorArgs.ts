import { parseArgs } from 'node:util';
import { checkScopeList, splitScopeString, teamEndpoints, type TeamEndpoints } from '@celonis-auth/core/protocol';

/** The usage text of `celonis-auth doctor`. */
export const DOCTOR_USAGE = `Usage: celonis-auth doctor --team URL --client-id ID [--origin ORIGIN] [--scopes "A B"] [--timeout SECONDS]

Checks, without signing anyone in, which deployment modes a Celonis OAuth client supports:
it sends the token endpoint a made-up authorization code (without and with the client secret),
CORS preflights from your app's origin, and a client-credentials grant. Nothing is changed.

  --team URL          the team URL, e.g. https://acme.eu-1.celonis.cloud (http only on this machine)
  --client-id ID      the OAuth client's id (Admin & Settings > Applications)
  --origin ORIGIN     your app's origin, e.g. https://portal.example.com, for the CORS checks
  --scopes "A B"      scopes for the client-credentials check, separated by spaces
  --timeout SECONDS   how long each request may take (default 10, at most 120)
  -h, --help          show this text

The client secret is read from the environment variable CELONIS_CLIENT_SECRET, never from a
flag; without it the checks that need it are skipped. No secret or token is ever printed.

Exit status: 0 when a browser mode (direct, relay or bff) will work, 1 when none will or the
team gave no OAuth answer, 2 when the command line is wrong.
`;

/** The doctor's options, checked. */
export interface DoctorOptions {
  endpoints: TeamEndpoints;
  clientId: string;
  origin: string | undefined;
  scopes: readonly string[];
  timeoutMs: number;
}

/** What the command line asks for: the usage text, a run, or nothing valid (with what to fix). */
export type DoctorArgs = { kind: 'help' } | { kind: 'run'; options: DoctorOptions } | { kind: 'usage-error'; message: string };

const STRING_OPTIONS = ['team', 'client-id', 'origin', 'scopes', 'timeout'] as const;
type StringOption = (typeof STRING_OPTIONS)[number];
const PARSE_OPTIONS: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
  ...Object.fromEntries(STRING_OPTIONS.map((name) => [name, { type: 'string' as const }])),
  help: { type: 'boolean', short: 'h' },
};
// Each spelling someone might try: none is accepted, and its value is never repeated.
const SECRET_FLAGS = new Set(['client-secret', 'secret', 'client_secret', 'clientSecret', 'clientsecret']);
const DEFAULT_TIMEOUT_SECONDS = 10;
const MAX_TIMEOUT_SECONDS = 120;

/**
 * Reads `celonis-auth doctor ...` (the arguments after the executable). Messages say what to fix
 * and never repeat the value of a secret flag.
 */
export function parseDoctorArgs(argv: readonly string[]): DoctorArgs {
  // Not strict: unknown flags come back as tokens, so the messages are ours and repeat no value.
  const { tokens } = parseArgs({ args: [...argv], options: PARSE_OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const secretFlag = tokens.find((t) => t.kind === 'option' && SECRET_FLAGS.has(t.name));
  if (secretFlag?.kind === 'option') {
    return usageError(
      `${secretFlag.rawName} is not accepted: a secret on the command line stays in shell history and is visible to other processes. Set CELONIS_CLIENT_SECRET instead.`,
    );
  }
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { kind: 'help' };
  const [command, ...extra] = tokens.filter((t) => t.kind === 'positional');
  if (command === undefined) return usageError('which command? The only one is doctor: celonis-auth doctor --team URL --client-id ID');
  if (command.value !== 'doctor') return usageError(`unknown command "${command.value}": the only one is doctor (celonis-auth doctor --help)`);

  const given = new Map<StringOption, string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const name = STRING_OPTIONS.find((o) => o === token.name);
    if (name === undefined) return usageError(`unknown flag ${token.rawName} (celonis-auth doctor --help lists them)`);
    if (given.has(name)) return usageError(`--${name} is given twice: give it once`);
    // Not inline and starting with '-': the value is missing and the next flag was taken for it.
    if (token.value === undefined || token.value === '' || (!token.inlineValue && token.value.startsWith('-'))) return usageError(`--${name} needs a value`);
    given.set(name, token.value);
  }
  if (extra[0] !== undefined) return usageError(`unexpected argument "${extra[0].value}": every value follows its flag, e.g. --client-id ID`);
  try {
    return { kind: 'run', options: checkOptions(given) };
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
}

function checkOptions(given: ReadonlyMap<StringOption, string>): DoctorOptions {
  const team = given.get('team');
  const clientId = given.get('client-id');
  if (team === undefined) throw new Error('--team is required: the team URL, e.g. --team https://acme.eu-1.celonis.cloud');
  if (clientId === undefined) throw new Error("--client-id is required: the OAuth client's id from Admin & Settings > Applications");
  let endpoints: TeamEndpoints;
  try {
    endpoints = teamEndpoints(team);
  } catch (error) {
    throw new Error(`--team: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const origin = given.get('origin');
  const scopes = given.get('scopes');
  return {
    endpoints,
    clientId,
    origin: origin === undefined ? undefined : checkOrigin(origin),
    scopes: scopes === undefined ? [] : checkScopes(scopes),
    timeoutMs: checkTimeout(given.get('timeout')),
  };
}

function checkOrigin(value: string): string {
  const hint = `--origin must be a web origin such as https://portal.example.com (scheme, host and port, no path); got "${value}"`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(hint);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== value.replace(/\/$/, '')) throw new Error(hint);
  return url.origin;
}

function checkScopes(value: string): readonly string[] {
  const scopes = splitScopeString(value);
  if (scopes.length === 0) throw new Error('--scopes needs at least one scope, e.g. --scopes "intelligence.knowledge-models:read"');
  checkScopeList(scopes, '--scopes');
  return scopes;
}

function checkTimeout(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(seconds >= 0.1 && seconds <= MAX_TIMEOUT_SECONDS))
    throw new Error(`--timeout must be a number of seconds from 0.1 to ${MAX_TIMEOUT_SECONDS}; got "${value}"`);
  return Math.round(seconds * 1000);
}

function usageError(message: string): DoctorArgs {
  return { kind: 'usage-error', message };
}
