import type { TransportResult } from '../../document/result.js';
import type { FigureName, FigureUnit } from '../../document/comparison.js';

export interface FigureDefinition {
  name: FigureName;
  /** As reports print it: `latency p99`. */
  label: string;
  unit: FigureUnit;
  /** The direction in which the figure gets worse. */
  worse: 'up' | 'down';
  /**
   * Changes no larger than this, in the figure's unit, are neither a regression nor an
   * improvement whatever their share: they are below what the measurement can resolve.
   */
  minDelta: number;
  /** Where the value sits in a TransportResult. */
  path: readonly [string, string];
  /** A count that must be above 0 for the value to mean anything (a p99 of no sample is not 0 ms). */
  measuredWhen: readonly [string, string] | null;
  /**
   * How repetitions are summed up: the median for performance figures; the worst repetition
   * for loss, which is a correctness figure — one repetition in three losing copies is a bug,
   * not noise for a median to hide.
   */
  aggregate: 'median' | 'max';
  /** Latencies: a generator-bound repetition measured the generator, so it is left out when others are not. */
  skewedByGenerator: boolean;
  /**
   * Judged on the head's value alone against an absolute limit, never as a change from the
   * base: a loss is a bug whether or not the base had one too.
   */
  absolute: boolean;
}

const LATENCY: Pick<
  FigureDefinition,
  'unit' | 'worse' | 'minDelta' | 'measuredWhen' | 'aggregate' | 'skewedByGenerator' | 'absolute'
> = {
  skewedByGenerator: true,
  absolute: false,
  unit: 'ms',
  worse: 'up',
  // The publisher fires on setTimeout (1 ms granularity) and delivery waits on an event loop:
  // moves under half a millisecond are scheduling jitter, whatever share of a 2 ms p99 they are.
  minDelta: 0.5,
  measuredWhen: ['latency', 'count'],
  aggregate: 'median',
};

const DELIVERED = ['delivery', 'deliveredInWindow'] as const;

export const FIGURES: Readonly<Record<FigureName, FigureDefinition>> = {
  min: { name: 'min', label: 'latency min', path: ['latency', 'min'], ...LATENCY },
  p50: { name: 'p50', label: 'latency p50', path: ['latency', 'p50'], ...LATENCY },
  p90: { name: 'p90', label: 'latency p90', path: ['latency', 'p90'], ...LATENCY },
  p99: { name: 'p99', label: 'latency p99', path: ['latency', 'p99'], ...LATENCY },
  max: { name: 'max', label: 'latency max', path: ['latency', 'max'], ...LATENCY },
  throughput: {
    name: 'throughput',
    label: 'delivered msg/s',
    unit: 'msg/s',
    worse: 'down',
    minDelta: 0,
    path: ['delivery', 'throughputPerSecond'],
    measuredWhen: null,
    aggregate: 'median',
    skewedByGenerator: false,
    absolute: false,
  },
  bytes_per_msg: {
    name: 'bytes_per_msg',
    label: 'bytes / msg',
    unit: 'B',
    worse: 'up',
    minDelta: 1,
    path: ['bytes', 'perMessage'],
    measuredWhen: DELIVERED,
    aggregate: 'median',
    skewedByGenerator: false,
    absolute: false,
  },
  requests_per_msg: {
    name: 'requests_per_msg',
    label: 'requests / msg',
    unit: 'req',
    worse: 'up',
    // One request per hundred messages: a stream's rare reconnect (0 → 0.0006) is not a regression.
    minDelta: 0.01,
    path: ['requests', 'perMessage'],
    measuredWhen: DELIVERED,
    aggregate: 'median',
    skewedByGenerator: false,
    absolute: false,
  },
  cpu_per_msg: {
    name: 'cpu_per_msg',
    label: 'server CPU / msg',
    unit: 'µs',
    worse: 'up',
    minDelta: 1,
    path: ['server', 'cpuMicrosPerMessage'],
    measuredWhen: DELIVERED,
    aggregate: 'median',
    skewedByGenerator: false,
    absolute: false,
  },
  rss_per_conn: {
    name: 'rss_per_conn',
    label: 'server RSS / conn',
    unit: 'B',
    worse: 'up',
    // RSS moves in 4 KiB pages and with the collector's timing.
    minDelta: 1024,
    path: ['server', 'rssPerConnectionBytes'],
    measuredWhen: ['clients', 'connected'],
    aggregate: 'median',
    skewedByGenerator: false,
    absolute: false,
  },
  lost: {
    name: 'lost',
    label: 'lost copies',
    unit: 'copies',
    worse: 'up',
    minDelta: 0,
    path: ['delivery', 'lost'],
    measuredWhen: null,
    aggregate: 'max',
    skewedByGenerator: false,
    absolute: true,
  },
  connect_p99: {
    name: 'connect_p99',
    label: 'connect p99',
    unit: 'ms',
    worse: 'up',
    minDelta: 1,
    path: ['connect', 'p99'],
    measuredWhen: ['connect', 'count'],
    aggregate: 'median',
    skewedByGenerator: false,
    absolute: false,
  },
};

function at(result: TransportResult, [group, key]: readonly [string, string]): unknown {
  return (result as unknown as Record<string, Record<string, unknown> | undefined>)[group]?.[key];
}

/** The figure's value in one result, or null when nothing was measured for it. */
export function readFigure(result: TransportResult, figure: FigureDefinition): number | null {
  if (figure.measuredWhen !== null && !((at(result, figure.measuredWhen) as number) > 0)) return null;
  const value = at(result, figure.path);
  return typeof value === 'number' ? value : null;
}
