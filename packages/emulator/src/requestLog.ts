/** Which part of the emulator a request reached. */
export type LoggedEndpoint = 'authorize' | 'token' | 'api' | 'jwks' | 'other';

/** Every {@link LoggedEndpoint}, to check a filter that comes from outside. */
export const LOGGED_ENDPOINTS: readonly LoggedEndpoint[] = ['authorize', 'token', 'api', 'jwks', 'other'];

/** How a token request carried its parameters. */
export type BodyEncoding = 'multipart' | 'urlencoded' | 'none' | 'other';

/** One request as it arrived, for tests to assert on. Secrets and tokens are never recorded. */
export interface RequestLogEntry {
  /** Position in the log, from 1. */
  seq: number;
  /** Emulator time of arrival, ms since the epoch. */
  at: number;
  method: string;
  /** Path without the query. */
  path: string;
  endpoint: LoggedEndpoint;
  /** The response status; 0 when the connection was dropped. */
  status: number;
  origin?: string;
  grantType?: string;
  bodyEncoding?: BodyEncoding;
  clientAuth?: 'client_secret_basic' | 'client_secret_post' | 'none';
  clientId?: string;
  /** The OAuth `error` code of a failed request. */
  error?: string;
  /** The injected fault that shaped the response. */
  fault?: string;
}

/** An append-only, bounded log of requests. */
export class RequestLog {
  #entries: RequestLogEntry[] = [];
  #seq = 0;
  // Bounded so a long-running dev emulator does not grow without end.
  static readonly LIMIT = 10_000;

  /** Appends an entry, numbering it. */
  add(entry: Omit<RequestLogEntry, 'seq'>): void {
    this.#entries.push({ ...entry, seq: ++this.#seq });
    if (this.#entries.length > RequestLog.LIMIT) this.#entries.shift();
  }

  /** A copy of the entries, optionally for one endpoint. */
  entries(endpoint?: LoggedEndpoint): RequestLogEntry[] {
    return this.#entries.filter((e) => endpoint === undefined || e.endpoint === endpoint).map((e) => ({ ...e }));
  }

  /** Empties the log. */
  clear(): void {
    this.#entries = [];
  }
}
