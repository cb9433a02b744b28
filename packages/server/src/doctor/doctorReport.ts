import { plainText } from './doctorHttp.js';
import { doctorAdvice, doctorExitCode, judgeModes, type ModeVerdict } from './doctorModes.js';
import type { DoctorContext, DoctorResults, Mark } from './doctorTypes.js';

/** The checks' lines: label and which result, in the order they are printed. */
const CHECK_LINES: readonly (readonly [string, keyof DoctorResults])[] = [
  ['token endpoint, no secret', 'publicClient'],
  ['token endpoint, with secret', 'secret'],
  ['CORS, token endpoint', 'corsToken'],
  ['CORS, API', 'corsApi'],
  ['client credentials', 'clientCredentials'],
];

const MARKS: Record<Mark, string> = { pass: '✓', fail: '✗', unknown: '?' };

/** A finished doctor run: the text for a person and the exit code. */
export interface DoctorReport {
  text: string;
  modes: ModeVerdict[];
  exitCode: 0 | 1;
}

/**
 * Judges the modes and writes the report: a header naming what was checked, one line per check
 * (✓/✗/? and a reason), the modes with their reasons, and the one thing that helps.
 * It holds no secret and no token: the results never carry them.
 */
export function doctorReport(ctx: DoctorContext, results: DoctorResults): DoctorReport {
  const modes = judgeModes(results);
  const header = [
    `team ${ctx.endpoints.teamUrl}`,
    `client ${plainText(ctx.clientId, 80)}`,
    ctx.origin === undefined ? 'no --origin' : `origin ${ctx.origin}`,
    ctx.clientSecret === undefined ? 'no secret (CELONIS_CLIENT_SECRET not set)' : 'secret from CELONIS_CLIENT_SECRET',
    ...(ctx.scopes.length ? [`scopes ${ctx.scopes.join(' ')}`] : []),
  ].join(', ');
  const text = [
    `celonis-auth doctor: ${header}`,
    '',
    'Checks',
    ...table(CHECK_LINES.map(([label, key]) => [results[key].mark, label, results[key].reason])),
    '',
    'Modes',
    ...table(modes.map((m) => [m.mark, m.mode, m.reason])),
    '',
    doctorAdvice(results, modes),
    '',
  ].join('\n');
  return { text, modes, exitCode: doctorExitCode(results, modes) };
}

function table(rows: readonly (readonly [Mark, string, string])[]): string[] {
  const width = Math.max(...rows.map(([, label]) => label.length));
  return rows.map(([mark, label, reason]) => `  ${MARKS[mark]} ${label.padEnd(width)}  ${reason}`);
}
