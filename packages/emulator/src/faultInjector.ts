import { CodedTypeError } from '@celonis-auth/core/protocol';

/** The endpoints a fault can be injected into. */
export type FaultEndpoint = 'authorize' | 'token' | 'api';

/** What goes wrong. */
export type EmulatorFault =
  /** Answer with this status (and body, headers, `Retry-After`) instead of doing the work. */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string>; retryAfterSeconds?: number }
  /** Answer 200 with a body that is not JSON, without doing the work. */
  | { kind: 'malformed-json' }
  /** Wait, then do the work as usual. */
  | { kind: 'delay'; ms: number }
  /**
   * Drop the connection with no response. With `afterCommit`, the grant is carried out first
   * (the code is spent, the refresh token rotated), as when a response is lost on the way back.
   */
  | { kind: 'drop'; afterCommit?: boolean };

/** A fault and how many of the next requests to an endpoint it applies to. */
export interface FaultInjection {
  endpoint: FaultEndpoint;
  fault: EmulatorFault;
  /** How many requests it applies to. Default 1. */
  count?: number;
}

const ENDPOINTS: readonly FaultEndpoint[] = ['authorize', 'token', 'api'];
const MAX_DELAY_MS = 60_000;
// Framing and connection headers are the server's: a fault setting them would corrupt the response on the wire.
const RESERVED_HEADERS = ['content-length', 'transfer-encoding', 'connection'];

/** Queues faults per endpoint; each request takes at most one. */
export class FaultInjector {
  #queues = new Map<FaultEndpoint, { fault: EmulatorFault; remaining: number }[]>();
  // Bounded so a runaway test loop cannot grow the queues without end.
  static readonly LIMIT = 1_000;

  /**
   * Adds a fault for the next `count` requests to `endpoint`, after any already queued.
   *
   * @throws {TypeError} for a malformed injection, or when {@link FaultInjector.LIMIT} injections are queued already.
   */
  inject(injection: FaultInjection): void {
    checkInjection(injection);
    const queued = [...this.#queues.values()].reduce((sum, queue) => sum + queue.length, 0);
    if (queued >= FaultInjector.LIMIT)
      throw new CodedTypeError(`at most ${FaultInjector.LIMIT} fault injections can be queued; clear the faults first`, 'invalid_fault');
    const queue = this.#queues.get(injection.endpoint) ?? [];
    queue.push({ fault: injection.fault, remaining: injection.count ?? 1 });
    this.#queues.set(injection.endpoint, queue);
  }

  /** The fault for this request to `endpoint`, if one is queued. */
  take(endpoint: FaultEndpoint): EmulatorFault | undefined {
    const queue = this.#queues.get(endpoint);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.fault;
  }

  /** Drops every queued fault. */
  clear(): void {
    this.#queues.clear();
  }
}

/** Checks an injection from untrusted JSON; throws a `TypeError` that says what is wrong. */
function checkInjection(injection: FaultInjection): void {
  if (!ENDPOINTS.includes(injection.endpoint)) throw new CodedTypeError(`fault endpoint must be one of ${ENDPOINTS.join(', ')}`, 'invalid_fault');
  const count = injection.count ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new CodedTypeError('fault count must be a whole number from 1 to 10000', 'invalid_fault');
  const fault = injection.fault as Partial<Record<string, unknown>> | undefined;
  switch (fault?.kind) {
    case 'status':
      if (!Number.isInteger(fault.status) || (fault.status as number) < 200 || (fault.status as number) > 599)
        throw new CodedTypeError('fault status must be an HTTP status from 200 to 599', 'invalid_fault');
      if (fault.retryAfterSeconds !== undefined && !(Number.isInteger(fault.retryAfterSeconds) && (fault.retryAfterSeconds as number) >= 0)) {
        throw new CodedTypeError('fault retryAfterSeconds must be a whole number of seconds', 'invalid_fault');
      }
      if (
        fault.headers !== undefined &&
        (typeof fault.headers !== 'object' || fault.headers === null || Object.values(fault.headers).some((v) => typeof v !== 'string'))
      ) {
        throw new CodedTypeError('fault headers must be an object of strings', 'invalid_fault');
      }
      // Checked here, or a bad name or value would surface later as a 500 on the request the fault was meant for.
      if (fault.headers !== undefined && !validHeaders(fault.headers as Record<string, string>)) {
        throw new CodedTypeError('fault headers must have valid HTTP header names and values (no line breaks)', 'invalid_fault');
      }
      if (fault.headers !== undefined && Object.keys(fault.headers).some((name) => RESERVED_HEADERS.includes(name.toLowerCase()))) {
        throw new CodedTypeError('fault headers may not set Content-Length, Transfer-Encoding or Connection', 'invalid_fault');
      }
      return;
    case 'delay':
      if (typeof fault.ms !== 'number' || !(fault.ms >= 0 && fault.ms <= MAX_DELAY_MS))
        throw new CodedTypeError(`fault delay ms must be from 0 to ${MAX_DELAY_MS}`, 'invalid_fault');
      return;
    case 'malformed-json':
    case 'drop':
      return;
    default:
      throw new CodedTypeError('fault kind must be one of status, malformed-json, delay, drop', 'invalid_fault');
  }
}

function validHeaders(headers: Record<string, string>): boolean {
  try {
    new Headers(headers);
    return true;
  } catch {
    return false;
  }
}
