import type { HttpBindings } from '@hono/node-server';
import type { EmulatorConfig } from './emulatorConfig.js';
import type { EmulatorClock } from './emulatorClock.js';
import type { FaultInjector } from './faultInjector.js';
import type { GrantStore } from './grantStore.js';
import type { RequestLog, RequestLogEntry } from './requestLog.js';
import type { TokenSigner } from './tokenSigner.js';

/** Everything the routes share: configuration, clock, keys, grants, faults and the log. */
export interface EmulatorContext {
  /** The team URL, e.g. `http://127.0.0.1:8787`. */
  teamUrl: string;
  config: EmulatorConfig;
  clock: EmulatorClock;
  signer: TokenSigner;
  grants: GrantStore;
  faults: FaultInjector;
  log: RequestLog;
}

/** What a route adds to its request's log entry. */
export type LogDetails = Partial<Omit<RequestLogEntry, 'seq' | 'at' | 'method' | 'path' | 'status'>>;

/** Hono environment of the emulator's app. */
export interface EmulatorEnv {
  Bindings: Partial<HttpBindings>;
  Variables: { logDetails: LogDetails; dropped: boolean };
}
