import type { EXIT_CODES } from '../core/constants.js';
import type { Scenario, TransportName } from './scenario.js';

/** The figures `compare` judges, by the names `--threshold` uses. */
export const FIGURE_NAMES = [
  'min',
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

/**
 * @2: verdicts by a test over the repetitions (`inconclusive` replaced @1's `noise`), with their
 * p-values. @3: a technique measured on another server than the reference one carries `profile`
 * (in `techniques` and `skipped`), and `onlyInBase`/`onlyInHead` name it `SERVER/TECHNIQUE`.
 */
export const COMPARISON_SCHEMA = 'im-bench/compare@3';

/** The family-wise false-alarm rate `compare` holds its regressions to, unless `--alpha` says otherwise. */
export const DEFAULT_ALPHA = 0.05;

/**
 * A change is *material* when it passes the figure's threshold and its `minDelta` both, and
 * *significant* when its test, corrected for every figure tested in the comparison, is below alpha.
 * - `regressed`: worse, material and significant. Fails the comparison. (`lost` and other
 *   absolute figures: the head's value alone is past its limit.)
 * - `inconclusive`: worse and material, but the repetitions cannot tell it from noise (or there
 *   are fewer than 2 on a side). Reported with the repetitions that would decide; never fails.
 * - `improved`: better, material and significant.
 * - `ok`: not a material change, or a material improvement the test cannot confirm.
 * - `untracked`: the figure has no threshold (`NAME=off`); shown for information.
 * - `unmeasured`: base or head has nothing to measure it on (no copy delivered, no sample).
 */
export type Verdict = 'regressed' | 'inconclusive' | 'improved' | 'ok' | 'untracked' | 'unmeasured';
export const VERDICTS: readonly Verdict[] = ['regressed', 'inconclusive', 'improved', 'ok', 'untracked', 'unmeasured'];

/**
 * Yuen's test over the repetitions' values (Welch's t-test on 20 % trimmed means; with 5
 * repetitions or fewer a side, nothing is trimmed and it is Welch's), one-sided each way, and
 * Holm's correction of each across the comparison's tested figures (the `worse` ones form one
 * family, the `better` ones another).
 */
export interface FigureTest {
  worse: number;
  better: number;
  worseAdjusted: number;
  betterAdjusted: number;
}

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
  /** null when a side has fewer than 2 values, or the figure is judged on the head alone (`lost`). */
  test: FigureTest | null;
  /**
   * For an `inconclusive` figure: the repetitions per side with which a change of this size
   * and spread would be decided; null when even 30 would not, or when there is no spread to go by.
   */
  repeatToDecide: number | null;
  verdict: Verdict;
  /**
   * Set when the figure was left inconclusive because the machine's speed changed between the
   * documents (Comparison.machine): the generator's head ÷ base cost per copy.
   */
  machineRatio?: number;
}

/** How the machine's speed compared between the documents, read from the load generator's own cost. */
export interface MachineSpeed {
  /**
   * Head ÷ base of the generator's CPU per delivered copy (spin-waits left out), the median over
   * the techniques compared: 1.3 means the same client work took 30 % more CPU in the head.
   * null when a side did not record it.
   */
  ratio: number | null;
  /** Beyond 1 ± this, latency, CPU and connect figures are not judged: a slower machine moves them by itself. */
  tolerance: number;
}

export interface TechniqueComparison {
  transport: TransportName;
  /** The kind of server, when not the reference server (`run --server`, `--profile`). */
  profile?: string;
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
  machine: MachineSpeed;
  /** The family-wise false-alarm rate: a regression's Holm-adjusted p-value is below it. */
  alpha: number;
  /**
   * Figures in the test's family: measured on both sides with 2 repetitions or more, with a
   * relative threshold, and varying between repetitions (one that takes the same value in every
   * repetition of both is decided by its values, with no chance of a false alarm to correct for).
   */
  tested: number;
  /** Techniques present in both, in the base's order. */
  techniques: TechniqueComparison[];
  /** Techniques measured on one side only, as comparedName() names them. */
  onlyInBase: string[];
  onlyInHead: string[];
  /** Techniques in both that could not be compared (cut short by an interruption). */
  skipped: Array<{ transport: TransportName; profile?: string; reason: string }>;
  /** Figures per verdict, over all techniques. */
  counts: Record<Verdict, number>;
  /** 1 when any figure regressed, else 0 (an inconclusive figure is a warning, not a failure). */
  exitCode: typeof EXIT_CODES.ok | typeof EXIT_CODES.threshold;
}

/** A technique as a comparison names it: `sse`, or `nchan/sse` on another server than the reference one. */
export function comparedName(technique: { transport: string; profile?: string }): string {
  return technique.profile === undefined ? technique.transport : `${technique.profile}/${technique.transport}`;
}
