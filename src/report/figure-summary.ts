import { repetitionsOf } from '../document/repetitions.js';
import type { TransportResult } from '../document/result.js';
import { type FigureDefinition, readFigure } from './compare/figures.js';

/*
 * A technique's figure over its repetitions, the one way `compare` and `run --threshold` both
 * read it: the median of the complete repetitions (the worst for loss), a latency without the
 * repetitions whose generator was the bottleneck when there are others.
 */

/** The runs a technique's figures come from: every complete repetition, or the result itself. */
export function usableRuns(result: TransportResult): TransportResult[] {
  return repetitionsOf(result).filter((run) => !run.partial);
}

/** For a latency, the runs whose generator kept up, when there are any; else all of them. */
export function trustworthyRuns(
  runs: readonly TransportResult[],
  figure: FigureDefinition,
): readonly TransportResult[] {
  if (!figure.skewedByGenerator) return runs;
  const kept = runs.filter((run) => !run.generator.bound);
  return kept.length > 0 ? kept : runs;
}

/** The figure in each run that measured it. */
export function figureValues(runs: readonly TransportResult[], figure: FigureDefinition): number[] {
  return runs.map((run) => readFigure(run, figure)).filter((value): value is number => value !== null);
}

/** The median of the values (the mean of the middle two for an even count), or their largest; null without any. */
export function aggregateValues(values: readonly number[], aggregate: FigureDefinition['aggregate']): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  if (aggregate === 'max') return sorted[sorted.length - 1]!;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The figure of a technique's result over its repetitions, in the figure's unit; null when unmeasured. */
export function summarizeFigure(result: TransportResult, figure: FigureDefinition): number | null {
  return aggregateValues(figureValues(trustworthyRuns(usableRuns(result), figure), figure), figure.aggregate);
}
