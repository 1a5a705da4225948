import type { FigureName, FigureUnit } from './comparison.js';
import type { TransportName } from './scenario.js';

/** How a figure is held against its limit. */
export const COMPARATORS = ['<', '<=', '>', '>=', '=='] as const;
export type Comparator = (typeof COMPARATORS)[number];

/** Where a threshold was given: `run --threshold`, or the scenario file's `thresholds:`. */
export type ThresholdSource = 'flag' | 'scenario';

/**
 * An absolute limit on a figure of the run itself (`p99<50ms`, `sse:bytes_per_msg<300`), as
 * opposed to `compare`'s limits on a change from a base.
 */
export interface AbsoluteThreshold {
  /** As written: `sse:p99<50ms`. */
  expression: string;
  figure: FigureName;
  /** The technique it names; null: every technique of the run. */
  transport: TransportName | null;
  /** The kind of server it names (`nchan/sse:p99<50ms`); absent: every server of the run. */
  profile?: string;
  comparator: Comparator;
  /** In the figure's own unit: 50 for `p99<0.05s`, 1000 for `cpu_per_msg<1ms`. */
  limit: number;
  unit: FigureUnit;
  source: ThresholdSource;
}

/** One technique's figure against the limit; an unmeasured figure (null) fails. */
export interface ThresholdOutcome {
  transport: TransportName;
  /** The kind of server, when not the reference server. */
  profile?: string;
  value: number | null;
  pass: boolean;
}

/** A threshold judged on a finished run: it passes when every technique it names does. */
export interface ThresholdCheck extends AbsoluteThreshold {
  results: ThresholdOutcome[];
  pass: boolean;
}
