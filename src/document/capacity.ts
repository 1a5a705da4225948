import type { LatencySummary } from '../core/histogram.js';
import type { DocumentHeader } from './header.js';
import type { TransportName } from './scenario.js';

export const CAPACITY_SCHEMA = 'im-bench/capacity@1';

/** Which process used (nearly) a whole core while it was driven: the one that set the ceiling. */
export type Saturation = 'server' | 'generator' | 'both' | 'neither';

/** A single-threaded process at this share of one core or more has no room left: it is what limits the rate. */
export const SATURATED_CPU = 0.9;

/** One polling endpoint driven as fast as `connections` keep-alive connections can go. */
export interface CapacityMeasurement {
  /** A technique that answers requests (a polling one: the registry's capacity probe). */
  transport: TransportName;
  /** The request every connection sends, path and query: `GET /poll?ch=capacity&since=1`. */
  request: string;
  /** What the server answers it: the status, and the messages the answer carries. */
  answer: { status: number; messages: number };
  /** True when it was stopped before its duration: its figures cover a shorter time. */
  partial: boolean;
  connections: number;
  /** How long the load ran (warm-up excluded), seconds. */
  durationSeconds: number;
  requests: {
    /** Requests answered in the measured time. */
    total: number;
    /** total / durationSeconds: the ceiling. */
    perSecond: number;
    /** The same rate in 1 s samples, to judge its steadiness. */
    samples: { count: number; mean: number; stddev: number; min: number; max: number };
    /** Connection errors and timeouts (a timeout counts in both). */
    errors: number;
    timeouts: number;
    /** Answers outside 2xx. */
    non2xx: number;
  };
  /** From sending a request to its answer. */
  latency: LatencySummary;
  /** HDR histogram (microseconds), compressed base64. */
  latencyHistogram: string;
  /** CPU seconds in the measured time (the server's own count from /stats; the generator's from process.cpuUsage()), and per second of it as a share of one core. */
  server: { cpuSeconds: number; cpuUtilization: number };
  generator: { cpuSeconds: number; cpuUtilization: number };
  saturated: Saturation;
}

/** `im-bench capacity`: each polling endpoint of a fresh reference server, driven to its ceiling. */
/** `aborted`: interrupted, and the figures cover what was measured before it stopped. */
export interface CapacityResult extends DocumentHeader<typeof CAPACITY_SCHEMA> {
  settings: { connections: number; durationMs: number; warmupMs: number };
  techniques: CapacityMeasurement[];
}
