import type { TransportResult } from '../../document/result.js';
import type { FigureComparison, FigureTest, Spread, Threshold, Verdict } from '../../document/comparison.js';
import { aggregateValues, figureValues, trustworthyRuns } from '../figure-summary.js';
import type { FigureDefinition } from './figures.js';
import { holmAdjusted, repetitionsToDecide, trimmedOneSided, withoutSpread } from './significance.js';

/** A figure of one technique, measured on both sides, before the comparison-wide test decides it. */
export interface MeasuredFigure {
  definition: FigureDefinition;
  threshold: Threshold | null;
  baseValues: number[];
  headValues: number[];
  base: number | null;
  head: number | null;
  /** Past both the threshold and minDelta, in the worse or the better direction. */
  change: 'worse' | 'better' | 'none';
  /** One-sided p-values before correction; null when the figure is not tested. */
  p: { worse: number; better: number } | null;
  /** The values did not vary on either side: the p-values are 0, ½ or 1, exact, and need no correction. */
  exact: boolean;
}

export function measureFigure(
  definition: FigureDefinition,
  baseRuns: readonly TransportResult[],
  headRuns: readonly TransportResult[],
  threshold: Threshold | null,
): MeasuredFigure {
  const baseValues = figureValues(trustworthyRuns(baseRuns, definition), definition);
  const headValues = figureValues(trustworthyRuns(headRuns, definition), definition);
  const base = aggregateValues(baseValues, definition.aggregate);
  const head = aggregateValues(headValues, definition.aggregate);
  const judged = base !== null && head !== null && threshold !== null && !definition.absolute;
  const worse = trimmedOneSided(baseValues, headValues, definition.worse);
  return {
    definition,
    threshold,
    baseValues,
    headValues,
    base,
    head,
    change: judged ? materialChange(definition, base, head, threshold) : 'none',
    p: judged && worse !== null ? { worse, better: 1 - worse } : null,
    exact: withoutSpread(baseValues, headValues),
  };
}

/** Float slack, so that 220 against 200 with a +10% limit is exactly at the limit, not past it. */
const EPSILON = 1e-9;

function materialChange(
  figure: FigureDefinition,
  base: number,
  head: number,
  threshold: Threshold,
): 'worse' | 'better' | 'none' {
  const delta = head - base;
  if (Math.abs(delta) <= figure.minDelta) return 'none';
  // In the figure's unit: how much worse the head is (negative when better), and how much is allowed.
  const worseBy = figure.worse === 'up' ? delta : -delta;
  const allowed = Math.abs(threshold.limit) * (threshold.kind === 'percent' ? Math.abs(base) / 100 : 1);
  const slack = EPSILON * Math.max(1, Math.abs(base));
  if (worseBy > allowed + slack) return 'worse';
  if (-worseBy > allowed + slack) return 'better';
  return 'none';
}

/**
 * Decides every figure of a comparison at once: Holm's correction runs over all the figures
 * tested (about 30 for five techniques), so that the chance of any false alarm in the whole
 * comparison, not in each figure, stays under alpha.
 */
export function decideFigures(
  figures: readonly MeasuredFigure[],
  alpha: number,
): { decided: FigureComparison[]; tested: number } {
  // A figure without spread is decided exactly (p 0, ½ or 1): it risks no false alarm, so it stays out of the family.
  const family = (figure: MeasuredFigure): boolean => figure.p !== null && !figure.exact;
  const worse = holmAdjusted(figures.map((figure) => (family(figure) ? figure.p!.worse : null)));
  const better = holmAdjusted(figures.map((figure) => (family(figure) ? figure.p!.better : null)));
  const tested = figures.filter(family).length;
  const decided = figures.map((figure, index) => {
    const test: FigureTest | null =
      figure.p === null
        ? null
        : figure.exact
          ? { ...figure.p, worseAdjusted: figure.p.worse, betterAdjusted: figure.p.better }
          : { ...figure.p, worseAdjusted: worse[index]!, betterAdjusted: better[index]! };
    const verdict = verdictOf(figure, test, alpha);
    return describe(figure, test, verdict, verdict === 'inconclusive' ? toDecide(figure, alpha, tested) : null);
  });
  return { decided, tested };
}

function verdictOf(figure: MeasuredFigure, test: FigureTest | null, alpha: number): Verdict {
  const { base, head, threshold, definition } = figure;
  if (base === null || head === null) return 'unmeasured';
  if (threshold === null) return 'untracked';
  if (definition.absolute) return head > Math.abs(threshold.limit) ? 'regressed' : 'ok';
  if (figure.change === 'worse') return test !== null && test.worseAdjusted < alpha ? 'regressed' : 'inconclusive';
  if (figure.change === 'better' && test !== null && test.betterAdjusted < alpha) return 'improved';
  return 'ok';
}

/** More than the repetitions there are: Holm's first step (alpha over the family) is the bar to clear. */
function toDecide(figure: MeasuredFigure, alpha: number, tested: number): number | null {
  const needed = repetitionsToDecide(figure.baseValues, figure.headValues, alpha / Math.max(1, tested));
  if (needed === null) return null;
  return Math.max(needed, Math.max(figure.baseValues.length, figure.headValues.length) + 1);
}

function describe(
  figure: MeasuredFigure,
  test: FigureTest | null,
  verdict: Verdict,
  repeatToDecide: number | null,
): FigureComparison {
  const { definition, base, head } = figure;
  const delta = base === null || head === null ? null : head - base;
  const relative =
    delta === null || base === null ? null : base === 0 ? (delta === 0 ? 0 : null) : delta / Math.abs(base);
  return {
    figure: definition.name,
    label: definition.label,
    unit: definition.unit,
    worse: definition.worse,
    base,
    head,
    delta,
    relative,
    baseSpread: spread(figure.baseValues),
    headSpread: spread(figure.headValues),
    threshold: figure.threshold,
    minDelta: definition.minDelta,
    test,
    repeatToDecide,
    verdict,
  };
}

function spread(values: readonly number[]): Spread | null {
  if (values.length < 2) return null;
  return { min: Math.min(...values), max: Math.max(...values), repetitions: values.length };
}
