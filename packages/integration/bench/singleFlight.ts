import type { RunningEmulator } from '@celonis-auth/emulator';
import { createBenchClient, loginAndApprove } from './benchClient.js';

/** The outcome of the single-flight check. */
export interface SingleFlightFigure {
  concurrentCalls: number;
  /** `refresh_token` grants the emulator saw; single-flight means exactly one. */
  refreshTokenGrants: number;
  /** Distinct access tokens the concurrent calls resolved to. */
  distinctTokens: number;
  pass: boolean;
}

/**
 * Signs in, expires the token for the core (its clock moves past `expires_in`), fires
 * `concurrentCalls` getAccessToken() at once and counts the refresh grants the emulator logged.
 *
 * @example
 * ```ts
 * const { pass } = await measureSingleFlight(emulator, 100);
 * ```
 */
export async function measureSingleFlight(emulator: RunningEmulator, concurrentCalls = 100): Promise<SingleFlightFigure> {
  emulator.reset();
  const client = createBenchClient(emulator);
  await loginAndApprove(client, emulator);
  await client.auth.handleRedirectCallback();
  client.advance(900_000);
  const tokens = await Promise.all(Array.from({ length: concurrentCalls }, () => client.auth.getAccessToken()));
  const grants = emulator.requests('token').filter((r) => r.grantType === 'refresh_token');
  const distinctTokens = new Set(tokens).size;
  return {
    concurrentCalls,
    refreshTokenGrants: grants.length,
    distinctTokens,
    pass: grants.length === 1 && grants[0]!.status === 200 && distinctTokens === 1,
  };
}
