// autocannon 8 ships no type declarations; this covers the part of its programmatic API the
// token-endpoint benchmark uses (see its README, "API" and "Results").
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    interface Options {
      url: string;
      method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';
      headers?: Record<string, string>;
      body?: string | Buffer;
      /** Concurrent connections. Default 10. */
      connections?: number;
      /** Seconds to run. Default 10. */
      duration?: number;
      /** Requests in flight per connection. Default 1. */
      pipelining?: number;
      /** Seconds to wait for a response. Default 10. */
      timeout?: number;
      title?: string;
      /** A falsy return counts the response in `mismatches`. */
      verifyBody?: (body: string) => boolean;
    }

    /** An hdr-histogram-percentiles-obj summary. */
    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total: number;
      p2_5: number;
      p50: number;
      p75: number;
      p90: number;
      p97_5: number;
      p99: number;
      p99_9: number;
      p99_99: number;
      p99_999: number;
    }

    interface Result {
      title?: string;
      url: string;
      connections: number;
      pipelining: number;
      /** Seconds the run took. */
      duration: number;
      start: Date;
      finish: Date;
      /** Connection errors, timeouts included. */
      errors: number;
      timeouts: number;
      mismatches: number;
      non2xx: number;
      resets: number;
      '1xx': number;
      '2xx': number;
      '3xx': number;
      '4xx': number;
      '5xx': number;
      statusCodeStats: Record<string, { count: number }>;
      /** Milliseconds, recorded for 2xx responses only. */
      latency: Histogram & { totalCount: number };
      /** Completed requests per one-second sample; `total` is all completed requests. */
      requests: Histogram & { sent: number };
      throughput: Histogram;
    }

    interface Client extends EventEmitter {
      setHeaders(headers: Record<string, string>): void;
      setBody(body: string | Buffer): void;
    }

    /** A running benchmark: an event emitter that is also a promise of its result. */
    interface Instance extends EventEmitter, PromiseLike<Result> {
      on(event: 'response', listener: (client: Client, statusCode: number, resBytes: number, responseTimeMs: number) => void): this;
      on(event: 'reqError', listener: (error: Error) => void): this;
      on(event: string, listener: (...args: unknown[]) => void): this;
      stop(): void;
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;

  export = autocannon;
}
