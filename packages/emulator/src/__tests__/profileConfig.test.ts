/**
 * Choosing a profile: the config field and `startEmulator({ profile })` (which wins), the typed
 * errors for a bad value and for corsOrigins with `celonis`, and the settings the banner prints.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  EMULATOR_PROFILES,
  EmulatorConfigError,
  describeEmulatorSettings,
  readEmulatorProfile,
  resolveEmulatorConfig,
  startEmulator,
  type EmulatorConfigInput,
  type EmulatorProfile,
  type RunningEmulator,
} from '@celonis-auth/emulator';
import { exchangeCode, issueCode } from './flows.js';

const CORS_WITH_CELONIS =
  'corsOrigins cannot be used with profile "celonis": Celonis documents no CORS for browser origins. ' +
  'Use profile "permissive" for cross-origin calls, or the token relay and the API proxy on your own origin.';

/** The error `run` throws, for asserting its class and message. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('the profile setting', () => {
  it('lists the profiles, the default first', () => {
    expect(EMULATOR_PROFILES).toEqual(['permissive', 'celonis']);
    expect(resolveEmulatorConfig().profile).toBe('permissive');
  });

  it.each<[string, unknown, string]>([
    ['an unknown name', 'strict', 'profile: "strict" is not one of permissive, celonis'],
    ['another case', 'Celonis', 'profile: "Celonis" is not one of permissive, celonis'],
    ['an empty string', '', 'profile: "" is not one of permissive, celonis'],
    ['a number', 1, 'profile must be one of permissive, celonis'],
    ['null', null, 'profile must be one of permissive, celonis'],
    ['a list', ['celonis'], 'profile must be one of permissive, celonis'],
    ['a boolean', true, 'profile must be one of permissive, celonis'],
  ])('refuses %s with EmulatorConfigError naming the field and the profiles', (_, profile, message) => {
    const error = thrownBy(() => resolveEmulatorConfig({ profile }));
    expect(error).toBeInstanceOf(EmulatorConfigError);
    expect((error as EmulatorConfigError).message).toBe(message);
  });

  it('names the flag when the CLI checks --profile', () => {
    expect(readEmulatorProfile('celonis', '--profile')).toBe('celonis');
    expect((thrownBy(() => readEmulatorProfile('strict', '--profile')) as Error).message).toBe('--profile: "strict" is not one of permissive, celonis');
  });

  it.each<[string, EmulatorConfigInput]>([
    ['the seeded origins', { profile: 'celonis', corsOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'] }],
    ['another origin', { profile: 'celonis', corsOrigins: ['https://portal.example.com'] }],
  ])('refuses corsOrigins with the celonis profile (%s), saying why and what to use', (_, input) => {
    const error = thrownBy(() => resolveEmulatorConfig(input));
    expect(error).toBeInstanceOf(EmulatorConfigError);
    expect((error as EmulatorConfigError).message).toBe(CORS_WITH_CELONIS);
  });

  it('accepts an empty corsOrigins with the celonis profile (it asks for nothing) and drops the seeded origins', () => {
    expect(resolveEmulatorConfig({ profile: 'celonis', corsOrigins: [] }).corsOrigins).toEqual([]);
    expect(resolveEmulatorConfig({ profile: 'celonis' }).corsOrigins).toEqual([]);
  });

  it('keeps corsOrigins in the permissive profile', () => {
    expect(resolveEmulatorConfig({ profile: 'permissive', corsOrigins: ['https://portal.example.com'] }).corsOrigins).toEqual(['https://portal.example.com']);
  });
});

describe('startEmulator({ profile })', () => {
  const started: RunningEmulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((em) => em.close()));
  });
  async function start(options: Parameters<typeof startEmulator>[0]): Promise<RunningEmulator> {
    const em = await startEmulator(options);
    started.push(em);
    return em;
  }

  it.each<{ config: EmulatorProfile | undefined; option: EmulatorProfile | undefined; runs: EmulatorProfile; dashboardExchange: number }>([
    { config: undefined, option: undefined, runs: 'permissive', dashboardExchange: 200 },
    { config: 'celonis', option: undefined, runs: 'celonis', dashboardExchange: 401 },
    { config: undefined, option: 'celonis', runs: 'celonis', dashboardExchange: 401 },
    { config: 'permissive', option: 'celonis', runs: 'celonis', dashboardExchange: 401 },
    { config: 'celonis', option: 'permissive', runs: 'permissive', dashboardExchange: 200 },
  ])('config $config, option $option: runs $runs (the option wins)', async ({ config, option, runs, dashboardExchange }) => {
    const em = await start({ config: config === undefined ? {} : { profile: config }, ...(option === undefined ? {} : { profile: option }) });
    expect(em.config.profile).toBe(runs);
    expect((await exchangeCode(em, issueCode(em, { client: 'dashboard' }))).status).toBe(dashboardExchange);
  });

  it('serves the profile in force on the control surface', async () => {
    const em = await start({ profile: 'celonis' });
    expect(await (await fetch(`${em.url}/__emulator/config`)).json()).toMatchObject({ profile: 'celonis', corsOrigins: [] });
  });

  it.each<[string, Parameters<typeof startEmulator>[0], string]>([
    ['a bad profile option', { profile: 'strict' as EmulatorProfile }, 'profile: "strict" is not one of permissive, celonis'],
    ['corsOrigins with the celonis option', { profile: 'celonis', config: { corsOrigins: ['https://portal.example.com'] } }, CORS_WITH_CELONIS],
  ])('rejects %s with EmulatorConfigError before listening', async (_, options, message) => {
    const error: unknown = await startEmulator(options).then(
      (em) => (started.push(em), undefined),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EmulatorConfigError);
    expect((error as EmulatorConfigError).message).toBe(message);
  });

  it('lets the permissive option keep corsOrigins that a celonis config could not have', async () => {
    const em = await start({ profile: 'permissive', config: { corsOrigins: ['https://portal.example.com'] } });
    expect(em.config.corsOrigins).toEqual(['https://portal.example.com']);
  });
});

describe('describeEmulatorSettings', () => {
  it('prints the permissive profile as before', () => {
    expect(describeEmulatorSettings(resolveEmulatorConfig())).toBe(
      [
        '  profile          permissive',
        '  access tokens    899 s',
        '  refresh tokens   86400 s',
        '  codes            60 s',
        '  CORS             on for http://localhost:5173 http://127.0.0.1:5173',
        '  control surface  on at /__emulator',
        '  iss (RFC 9207)   not sent (as Celonis)',
      ].join('\n'),
    );
  });

  it('prints the celonis profile: CORS off, and that the public dashboard cannot exchange codes', () => {
    expect(describeEmulatorSettings(resolveEmulatorConfig({ profile: 'celonis', accessTokenLifetimeSeconds: 60 }))).toBe(
      [
        '  profile          celonis',
        '  access tokens    60 s',
        '  refresh tokens   86400 s',
        '  codes            60 s',
        '  CORS             off (the celonis profile: Celonis documents none)',
        '  client secrets   required on every token request; dashboard has none, so it cannot exchange codes in this profile',
        '  control surface  on at /__emulator',
        '  iss (RFC 9207)   not sent (as Celonis)',
      ].join('\n'),
    );
  });

  it.each<[string, EmulatorConfigInput, string]>([
    ['no public client', { clients: [{ clientId: 'c', clientSecret: 's', grantTypes: ['client_credentials'] }] }, 'required on every token request\n'],
    [
      'two public clients',
      {
        clients: ['spa', 'mobile'].map((clientId) => ({ clientId, grantTypes: ['authorization_code' as const], redirectUris: ['http://localhost:3000/cb'] })),
      },
      'required on every token request; spa, mobile have none, so they cannot exchange codes in this profile\n',
    ],
  ])('names the public clients of a celonis config: %s', (_, input, line) => {
    expect(describeEmulatorSettings(resolveEmulatorConfig({ ...input, profile: 'celonis' }))).toContain(`  client secrets   ${line}`);
  });
});
