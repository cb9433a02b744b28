import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { resolveBindAddress } from './bindAddress.js';
import { createEmulatorApp } from './createEmulatorApp.js';
import { createEmulatorClock } from './emulatorClock.js';
import { resolveEmulatorConfig, type EmulatorConfigInput } from './emulatorConfig.js';
import type { EmulatorControl } from './emulatorControl.js';
import type { EmulatorProfile } from './emulatorProfile.js';
import { FaultInjector } from './faultInjector.js';
import { GrantStore } from './grantStore.js';
import { networkExposureWarning } from './networkExposureWarning.js';
import { RequestLog } from './requestLog.js';
import { createTokenSigner } from './tokenSigner.js';

/** Options of {@link startEmulator}. */
export interface StartEmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /**
   * Interface to bind. Default `127.0.0.1`: the emulator is for this machine only. An address beyond
   * loopback (e.g. `0.0.0.0`) needs `allowRemote: true`, and then logs a warning (`console.warn`).
   */
  host?: string;
  /**
   * Allows a `host` beyond loopback, where the seeded secrets and passwords are usable from the
   * network. The control surface is then off unless `config.controlSurface` is `true` explicitly.
   * Default false.
   */
  allowRemote?: boolean;
  /** Overrides of the seeded configuration (see the package README). */
  config?: EmulatorConfigInput;
  /**
   * The profile to run, over `config.profile`: `'permissive'` (the default) or `'celonis'`, what
   * Celonis documents (every token request authenticates its client with its secret; no CORS).
   * The package README's "Profiles" section lists what each one does.
   */
  profile?: EmulatorProfile;
}

/** A running emulator: its team URL, the control surface, and `close`. */
export interface RunningEmulator extends EmulatorControl {
  /** The team URL, e.g. `http://127.0.0.1:8787`; endpoints are `${url}/oauth2/authorize` and `${url}/oauth2/token`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/**
 * Starts a Celonis-compatible authorization server with sample APIs on loopback.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator();
 * const location = emulator.approve(authorizeUrl, { username: 'viewer@example.com' });
 * await emulator.close();
 * // Only what Celonis documents: a client secret on every token request, no CORS.
 * const strict = await startEmulator({ profile: 'celonis' });
 * ```
 * @throws {EmulatorConfigError} for a configuration that is not usable (a `profile` other than `permissive` or
 *   `celonis` included, or `corsOrigins` with the `celonis` profile).
 * @throws {EmulatorExposureError} for a `host` beyond loopback without `allowRemote: true`.
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const input = options.config ?? {};
  // A config that is no object is handed on as it is, for resolveEmulatorConfig to refuse by name.
  const withProfile =
    options.profile === undefined || typeof input !== 'object' || input === null || Array.isArray(input) ? input : { ...input, profile: options.profile };
  const config = resolveEmulatorConfig(withProfile);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`port must be a whole number from 0 to 65535, got ${port}`);
  const { address: host, remote } = await resolveBindAddress(options.host ?? '127.0.0.1', options.allowRemote ?? false);
  // On the network the control surface (reset, headless approval, every secret) is off unless asked for by name.
  if (remote && (options.config as { controlSurface?: unknown } | undefined)?.controlSurface !== true) config.controlSurface = false;

  // The team URL (the tokens' issuer) depends on the port, which is known only once listening.
  let handle: (request: Request, env: unknown) => Response | Promise<Response> = () => new Response('starting', { status: 503 });
  const server = createAdaptorServer({ fetch: (request, env) => handle(request, env), hostname: host }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => (server.off('error', reject), resolve()));
  });
  const address = server.address() as AddressInfo;
  const warning = networkExposureWarning(address.address, config.controlSurface);
  if (warning) console.warn(warning);
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  const { app, control } = createEmulatorApp(
    {
      teamUrl: url,
      config,
      clock: createEmulatorClock(),
      signer: await createTokenSigner(url),
      grants: new GrantStore(),
      faults: new FaultInjector(),
      log: new RequestLog(),
    },
    { remote },
  );
  handle = (request, env) => app.fetch(request, env as object);

  return {
    ...control,
    url,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
