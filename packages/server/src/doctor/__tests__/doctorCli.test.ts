import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { freePort } from '../../__tests__/testSupport.js';
import { DOCTOR_USAGE } from '../doctorArgs.js';
import { runDoctorCli } from '../doctorCli.js';
import { expectNothingLeaked, startEchoServer, startHtmlServer, tokenRecordingFetch, type TinyServer } from './doctorSupport.js';

const TEAM = 'https://acme.eu-1.celonis.cloud';
const FLAG_SECRET = 'typed-on-the-command-line-5f2c';
const ECHOED_SECRET = 'echoed-back-by-a-hostile-server-9d1e';

/** One in-process run: its exit code, what it wrote, and the access tokens its requests received. */
async function runCli(argv: readonly string[], env: Record<string, string> = {}) {
  const { fetch, tokens } = tokenRecordingFetch();
  let stdout = '';
  let stderr = '';
  const code = await runDoctorCli(argv, { env, fetch, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr, output: stdout + stderr, tokens };
}

let permissive: RunningEmulator;
let celonis: RunningEmulator;
let html: TinyServer;
let echo: TinyServer;

beforeAll(async () => {
  [permissive, celonis, html] = await Promise.all([startEmulator(), startEmulator({ profile: 'celonis' }), startHtmlServer()]);
  echo = await startEchoServer();
});
afterAll(() => Promise.all([permissive?.close(), celonis?.close(), html?.close(), echo?.close()]));

describe('usage errors exit 2 and say what to fix', () => {
  const doctor = (...args: string[]) => ['doctor', ...args];
  it.each([
    { name: 'no command', argv: [], message: /which command\? The only one is doctor/ },
    { name: 'an unknown command', argv: ['check'], message: /unknown command "check"/ },
    { name: 'no --team', argv: doctor('--client-id', 'portal'), message: /--team is required/ },
    { name: 'no --client-id', argv: doctor('--team', TEAM), message: /--client-id is required/ },
    {
      name: '--client-secret with a value',
      argv: doctor('--team', TEAM, '--client-id', 'p', '--client-secret', FLAG_SECRET),
      message: /--client-secret is not accepted/,
    },
    {
      name: '--client-secret=value',
      argv: doctor('--team', TEAM, `--client-secret=${FLAG_SECRET}`),
      message: /--client-secret is not accepted.*CELONIS_CLIENT_SECRET/,
    },
    { name: '--secret', argv: doctor(`--secret=${FLAG_SECRET}`), message: /--secret is not accepted/ },
    { name: 'an http team off loopback', argv: doctor('--team', 'http://acme.eu-1.celonis.cloud', '--client-id', 'p'), message: /--team: .*must use https/ },
    { name: 'a team URL with a path', argv: doctor('--team', `${TEAM}/oauth2/token`, '--client-id', 'p'), message: /--team: .*origin only/ },
    {
      name: 'an origin with a path',
      argv: doctor('--team', TEAM, '--client-id', 'p', '--origin', 'https://portal.example.com/app'),
      message: /--origin must be a web origin/,
    },
    { name: 'a zero timeout', argv: doctor('--team', TEAM, '--client-id', 'p', '--timeout', '0'), message: /--timeout must be a number of seconds/ },
    { name: 'a malformed scope', argv: doctor('--team', TEAM, '--client-id', 'p', '--scopes', 'a "b'), message: /--scopes: .*not a valid OAuth scope/ },
    { name: 'an unknown flag', argv: doctor('--team', TEAM, '--client-id', 'p', '--verbose'), message: /unknown flag --verbose/ },
    { name: 'a flag given twice', argv: doctor('--team', TEAM, '--team', TEAM, '--client-id', 'p'), message: /--team is given twice/ },
    { name: 'a flag without its value', argv: doctor('--client-id', 'p', '--team'), message: /--team needs a value/ },
    { name: 'a value missing before the next flag', argv: doctor('--team', '--client-id', 'p'), message: /--team needs a value/ },
    { name: 'a stray argument', argv: doctor('--team', TEAM, '--client-id', 'p', 'extra'), message: /unexpected argument "extra"/ },
  ])('$name', async ({ argv, message }) => {
    const run = await runCli(argv);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('Usage: celonis-auth doctor --team URL --client-id ID');
    expectNothingLeaked(run.output, 'p', FLAG_SECRET, []);
  });

  it.each([['--help'], ['-h'], ['doctor', '--help'], ['doctor', '--team', TEAM, '-h']])('%s prints the usage and exits 0', async (...argv) => {
    const run = await runCli(argv);
    expect(run).toMatchObject({ code: 0, stdout: DOCTOR_USAGE, stderr: '' });
  });
});

describe('runs against emulators: the exit code, the verdict lines, nothing leaked', () => {
  const dev = 'http://localhost:5173';
  it.each([
    {
      name: 'permissive, dashboard, dev origin: direct works (exit 0)',
      team: () => permissive.url,
      args: ['--client-id', 'dashboard', '--origin', dev],
      code: 0,
      lines: ['✓ direct  ', '? relay   ', 'not checked: set CELONIS_CLIENT_SECRET', 'Use the direct mode'],
    },
    {
      name: 'celonis, portal with its secret: relay and bff work (exit 0)',
      team: () => celonis.url,
      args: ['--client-id', 'portal', '--origin', dev],
      secret: 'portal-secret',
      code: 0,
      lines: ['✗ direct  ', '✓ relay   ', '✓ bff     ', 'Use the relay or bff mode with client_secret_basic'],
    },
    {
      name: 'celonis, dashboard, dev origin: no mode works (exit 1)',
      team: () => celonis.url,
      args: ['--client-id', 'dashboard', '--origin', dev],
      code: 1,
      lines: ['invalid_client', 'no CORS for the origin on the token endpoint; no CORS for the origin on the APIs', 'Set CELONIS_CLIENT_SECRET'],
    },
    {
      name: 'permissive, m2m with its secret: machine-to-machine only (exit 1)',
      team: () => permissive.url,
      args: ['--client-id', 'm2m', '--scopes', 'intelligence.knowledge-models:read'],
      secret: 'm2m-secret',
      code: 1,
      lines: ['✓ machine-to-machine  client credentials work: a token was issued for scopes intelligence.knowledge-models:read, valid 899 s'],
    },
    {
      name: 'permissive, portal with a wrong secret (exit 1)',
      team: () => permissive.url,
      args: ['--client-id', 'portal'],
      secret: 'not-the-portal-secret',
      code: 1,
      lines: ['the client id or the secret is wrong', 'Check the client id and CELONIS_CLIENT_SECRET'],
    },
    {
      name: 'a web server answering HTML 404 (exit 1)',
      team: () => html.url,
      args: ['--client-id', 'portal'],
      code: 1,
      lines: ['/oauth2/token answered HTTP 404 (text/html; charset=utf-8), not an OAuth error', 'Check --team'],
    },
    {
      name: 'a token endpoint quoting the secret back: redacted, escapes removed (exit 1)',
      team: () => echo.url,
      args: ['--client-id', 'portal'],
      secret: ECHOED_SECRET,
      code: 1,
      lines: ['[redacted]'],
    },
  ])('$name', async ({ team, args, secret, code, lines }) => {
    const run = await runCli(['doctor', '--team', team(), ...args], secret === undefined ? {} : { CELONIS_CLIENT_SECRET: secret });
    expect(run.code, run.output).toBe(code);
    expect(run.stderr).toBe('');
    for (const line of lines) expect(run.stdout).toContain(line);
    expect(run.output).not.toContain('\u001b');
    expectNothingLeaked(run.output, args[1]!, secret, run.tokens);
  });

  it('reports a closed port plainly, with the URL tried (exit 1)', async () => {
    const team = `http://127.0.0.1:${await freePort()}`;
    const run = await runCli(['doctor', '--team', team, '--client-id', 'portal', '--timeout', '2'], { CELONIS_CLIENT_SECRET: 'portal-secret' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`✗ token endpoint, no secret    no answer from ${team}/oauth2/token: the connection was refused: nothing listens there`);
    expectNothingLeaked(run.output, 'portal', 'portal-secret', run.tokens);
  });

  it('says so when CELONIS_CLIENT_SECRET is set but empty, and skips what needs it', async () => {
    const run = await runCli(['doctor', '--team', permissive.url, '--client-id', 'portal'], { CELONIS_CLIENT_SECRET: '' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('CELONIS_CLIENT_SECRET is set but empty: the checks that need the secret are skipped.\n');
    expect(run.stdout).toContain('? token endpoint, with secret  not checked: set CELONIS_CLIENT_SECRET');
  });
});
