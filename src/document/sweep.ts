import type { Scenario, TransportName } from './scenario.js';
import { worstLost } from './repetitions.js';
import type { DocumentHeader } from './header.js';
import type { RunResult, TransportResult } from './result.js';

/**
 * Written; @1 (its runs result@1) is still read, its series made again from its upgraded runs,
 * and @2 as it is. @3, with its runs result@3: a point's server figures may be null.
 */
export const SWEEP_SCHEMA = 'im-bench/sweep@3';
export const SWEEP_SCHEMA_V1 = 'im-bench/sweep@1';
export const SWEEP_SCHEMAS: readonly string[] = [SWEEP_SCHEMA_V1, 'im-bench/sweep@2', SWEEP_SCHEMA];

/** The scenario field a sweep varies. */
export const SWEEP_PARAMETERS = ['clients', 'rate'] as const;
export type SweepParameter = (typeof SWEEP_PARAMETERS)[number];

/** One technique at one value of the swept parameter: the figures the curves plot. */
export interface SweepPoint {
  /** The swept parameter's value (clients, or messages per second). */
  value: number;
  throughputPerSecond: number;
  /** null where no copy arrived (as the per-message figures below). */
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  lost: number;
  /** Requests sent per second of the window. */
  requestsPerSecond: number;
  bytesPerMessage: number | null;
  serverCpuMicrosPerMessage: number | null;
  /** Server CPU per second of the window, in % of one core. */
  /** null: not measured (as every server figure of a profile's server im-bench cannot see). */
  serverCpuPercent: number | null;
  peakRssBytes: number | null;
  rssPerConnectionBytes: number | null;
  generatorBound: boolean;
  /** The run was stopped during this technique's window: a point from a shortened window. */
  partial: boolean;
}

/** `im-bench sweep`: the same scenario at several values of one parameter. */
/** `aborted`: interrupted, and the series cover the values completed so far. */
export interface SweepResult extends DocumentHeader<typeof SWEEP_SCHEMA> {
  /** The scenario every point shares; its swept field holds the first value. */
  scenario: Scenario;
  parameter: SweepParameter;
  values: number[];
  /** One point per completed value, per technique, in the order of `values`. */
  series: Partial<Record<TransportName, SweepPoint[]>>;
  /** The full result of each completed value, for drill-down and exact comparison. */
  runs: RunResult[];
}

export function sweepPoint(value: number, result: TransportResult): SweepPoint {
  const seconds = result.windowSeconds > 0 ? result.windowSeconds : Number.NaN;
  return {
    value,
    throughputPerSecond: result.delivery.throughputPerSecond,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    lost: worstLost(result),
    requestsPerSecond: result.requests.inWindow / seconds || 0,
    bytesPerMessage: result.bytes.perMessage,
    serverCpuMicrosPerMessage: result.server.cpuMicrosPerMessage,
    serverCpuPercent: result.server.cpuSeconds === null ? null : (result.server.cpuSeconds / seconds) * 100 || 0,
    peakRssBytes: result.server.peakRssBytes,
    rssPerConnectionBytes: result.server.rssPerConnectionBytes,
    generatorBound: result.generator.bound,
    partial: result.partial,
  };
}

/** Adds one run (the scenario at `value`) to the sweep's series; a run that measured nothing adds nothing. */
export function addSweepRun(sweep: SweepResult, value: number, run: RunResult): void {
  if (run.transports.length === 0) return;
  sweep.runs.push(run);
  for (const transport of run.transports) {
    const points = (sweep.series[transport.transport] ??= []);
    points.push(sweepPoint(value, transport));
  }
}
