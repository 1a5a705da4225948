import { createRequire } from 'node:module';
import {
  createHistogram,
  encodeHistogram,
  type LatencySummary,
  recordMicros,
  summarize,
} from '../../core/histogram.js';

/*
 * A typed wrapper over the part of autocannon's programmatic API im-bench uses (it ships no
 * types). autocannon is loaded on first use, so a `run` that never measures capacity never
 * loads it.
 */

/** A closed-loop load: `connections` keep-alive connections, each sending its next request as soon as the last is answered. */
export interface LoadOptions {
  url: string;
  connections: number;
  durationMs: number;
  /** Aborting stops the load within a second (autocannon ends at its next 1 s sample) and still returns what it counted. */
  signal?: AbortSignal;
}

export interface LoadResult {
  /** Answered requests; their rate per 1 s sample (the last sample may be shorter). */
  requests: { total: number; mean: number; stddev: number; min: number; max: number; samples: number };
  /**
   * Time from sending a request to its answer, per answer, in im-bench's HDR histogram (µs,
   * 3 digits) rather than autocannon's own, whose whole milliseconds read 0 on a fast loopback.
   */
  latency: LatencySummary;
  latencyHistogram: string;
  /** Connection errors and timeouts (timeouts are counted in errors too). */
  errors: number;
  timeouts: number;
  /** Answers outside 2xx. */
  non2xx: number;
  durationSeconds: number;
  /** True when the signal stopped the load before its duration. */
  stopped: boolean;
}

interface AutocannonResult {
  /** Per-second samples of answered requests, and their total. */
  requests: { mean: number; stddev: number; min: number; max: number; total: number };
  samples: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}

interface AutocannonInstance {
  stop(): void;
  on(
    event: 'response',
    listener: (client: unknown, statusCode: number, bytes: number, milliseconds: number) => void,
  ): void;
}

type Autocannon = (
  options: { url: string; connections: number; duration: number; pipelining: number },
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

let autocannon: Autocannon | undefined;

function load(): Autocannon {
  autocannon ??= createRequire(import.meta.url)('autocannon') as Autocannon;
  return autocannon;
}

/** Drives `url` with autocannon for `durationMs` (one request in flight per connection) and returns its counts. */
export function generateLoad(options: LoadOptions): Promise<LoadResult> {
  const { signal } = options;
  const latency = createHistogram();
  return new Promise((resolve, reject) => {
    let stopped = false;
    const instance = load()(
      { url: options.url, connections: options.connections, duration: options.durationMs / 1000, pipelining: 1 },
      (error, result) => {
        signal?.removeEventListener('abort', stop);
        if (error !== null) {
          reject(error);
          return;
        }
        resolve({
          requests: {
            total: result.requests.total,
            mean: result.requests.mean,
            stddev: result.requests.stddev,
            min: result.requests.min,
            max: result.requests.max,
            samples: result.samples,
          },
          latency: summarize(latency),
          latencyHistogram: encodeHistogram(latency),
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          durationSeconds: result.duration,
          stopped,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, milliseconds) => recordMicros(latency, milliseconds * 1000));
    function stop(): void {
      stopped = true;
      instance.stop();
    }
    if (signal?.aborted === true) stop();
    else signal?.addEventListener('abort', stop, { once: true });
  });
}
