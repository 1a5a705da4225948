import type { EXIT_CODES } from '../core/constants.js';
import type { Scenario, TransportName } from './scenario.js';

/** The figures `compare` judges, by the names `--threshold` uses. */
export const FIGURE_NAMES = [
  'p50',
  'p90',
  'p99',
  'max',
  'throughput',
  'bytes_per_msg',
  'requests_per_msg',
  'cpu_per_msg',
  'rss_per_conn',
  'lost',
  'connect_p99',
] as const;
export type FigureName = (typeof FIGURE_NAMES)[number];

export type FigureUnit = 'ms' | 'msg/s' | 'B' | 'req' | 'µs' | 'copies';

/**
 * How far a figure may move in its worse direction before it counts as a regression:
 * `percent` of the base value, or `absolute` in the figure's unit. `limit` carries the sign
 * of the worse direction: +10 for `p99=+10%`, -5 for `throughput=-5%`, +0 for `lost=+0`.
 */
export interface Threshold {
  kind: 'percent' | 'absolute';
  limit: number;
  /** As written: `+10%`, `-5%`, `+0`. */
  text: string;
  source: 'default' | 'user';
}

/** One threshold per figure; null: the figure is shown but never judged. */
export type Thresholds = Readonly<Record<FigureName, Threshold | null>>;

/** A field whose values differ, as scenario files and flags spell them (`poll-interval`, `500ms`). */
export interface Difference {
  field: string;
  base: string;
  head: string;
}

export const COMPARISON_SCHEMA = 'im-bench/compare@1';

/**
 * - `regressed`: worse by more than the threshold (and than `minDelta`) and, when the base has
 *   repetitions, outside their min–max spread. Fails the comparison.
 * - `noise`: worse by more than the threshold, but inside the base's spread: the base itself
 *   varied that much between repetitions. Reported, never fails.
 * - `improved`: better by more than the threshold (outside the base's spread, if any).
 * - `ok`: within the threshold, or better but inside the base's spread.
 * - `untracked`: the figure has no threshold (`NAME=off`); shown for information.
 * - `unmeasured`: base or head has nothing to measure it on (no copy delivered, no sample).
 */
export type Verdict = 'regressed' | 'noise' | 'improved' | 'ok' | 'untracked' | 'unmeasured';
export const VERDICTS: readonly Verdict[] = ['regressed', 'noise', 'improved', 'ok', 'untracked', 'unmeasured'];

/** A figure's range over a document's repetitions. */
export interface Spread {
  min: number;
  max: number;
  repetitions: number;
}

export interface FigureComparison {
  figure: FigureName;
  label: string;
  unit: FigureUnit;
  worse: 'up' | 'down';
  /** Median over the repetitions (the worst one for `lost`), else the document's own figure; null when unmeasured. */
  base: number | null;
  head: number | null;
  /** head − base, in `unit`. */
  delta: number | null;
  /** delta / base (0.34 for +34%); null when the base is 0 and the head is not, or either is unmeasured. */
  relative: number | null;
  /** Over the base's repetitions; null with fewer than 2. */
  baseSpread: Spread | null;
  headSpread: Spread | null;
  threshold: Threshold | null;
  /** Changes no larger than this never count (the measurement's resolution). */
  minDelta: number;
  verdict: Verdict;
}

export interface TechniqueComparison {
  transport: TransportName;
  /** Repetitions the figures were drawn from (1 without --repeat). */
  baseRepetitions: number;
  headRepetitions: number;
  /** In the order of FIGURE_NAMES. */
  figures: FigureComparison[];
  /** Caveats a reader needs: generator-bound runs, repetitions left out. */
  warnings: string[];
}

export interface DocumentInfo {
  /** The file name, or `base` / `head`. */
  name: string;
  startedAt: string;
  gitSha: string | null;
  version: string;
  repeat: number;
  aborted: boolean;
}

/** What `compare` found: the JSON format writes it as is (`schema` names this shape's version). */
export interface Comparison {
  schema: typeof COMPARISON_SCHEMA;
  base: DocumentInfo;
  head: DocumentInfo;
  /** The base's scenario (the head's matches it where it matters). */
  scenario: Scenario;
  /** Scenario fields that differ without changing what the figures mean. */
  scenarioDifferences: Difference[];
  /** Machine differences: the figures may move for that reason alone. */
  environmentDifferences: Difference[];
  thresholds: Thresholds;
  /** Techniques present in both, in the base's order. */
  techniques: TechniqueComparison[];
  onlyInBase: TransportName[];
  onlyInHead: TransportName[];
  /** Techniques in both that could not be compared (cut short by an interruption). */
  skipped: Array<{ transport: TransportName; reason: string }>;
  /** Figures per verdict, over all techniques. */
  counts: Record<Verdict, number>;
  /** 1 when any figure regressed, else 0. */
  exitCode: typeof EXIT_CODES.ok | typeof EXIT_CODES.threshold;
}
