import { EXIT_CODES } from '../../core/constants.js';
import { ImBenchError } from '../../core/errors.js';
import type { TransportName } from '../../document/scenario.js';
import type { RunResult, TransportResult } from '../../document/result.js';
import { checkScenarios, environmentDifferences } from './comparability.js';
import { FIGURES, readFigure, type FigureDefinition } from './figures.js';
import { DEFAULT_THRESHOLDS } from './thresholds.js';
import {
  COMPARISON_SCHEMA,
  type Comparison,
  type DocumentInfo,
  FIGURE_NAMES,
  type FigureComparison,
  type Spread,
  type TechniqueComparison,
  type Threshold,
  type Thresholds,
  type Verdict,
  VERDICTS,
} from '../../document/comparison.js';

export interface ComparisonNames {
  base: string;
  head: string;
}

/**
 * Judges `head` against `base`, per technique in both and per figure. Pure. Throws
 * IMB_ERR_INCOMPARABLE (exit code 2) when the scenarios differ in a way that changes what the
 * figures mean, or when no technique can be compared.
 */
export function compare(
  base: RunResult,
  head: RunResult,
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
  names: ComparisonNames = { base: 'base', head: 'head' },
): Comparison {
  // A head that did not finish, or that lacks a technique the base has, cannot pass: what it
  // did not measure cannot have regressed, and a gate must not read that as success.
  if (head.aborted) {
    throw new ImBenchError(
      'IMB_ERR_INCOMPARABLE',
      `${names.head} is from a run that did not finish (aborted, interrupted or failed): run it again`,
    );
  }
  const headByName = new Map(head.transports.map((t) => [t.transport, t]));
  const baseNames = new Set(base.transports.map((t) => t.transport));
  const missing = base.transports.map((t) => t.transport).filter((name) => !headByName.has(name));
  if (missing.length > 0) {
    throw new ImBenchError(
      'IMB_ERR_INCOMPARABLE',
      `${names.head} has no ${missing.join(', ')}, which ${names.base} measured: run the same techniques`,
    );
  }
  const common = base.transports.filter((t) => headByName.has(t.transport));
  if (common.length === 0) {
    const list = (result: RunResult): string => result.transports.map((t) => t.transport).join(', ') || 'none';
    throw new ImBenchError(
      'IMB_ERR_INCOMPARABLE',
      `no technique in both: ${names.base} has ${list(base)}; ${names.head} has ${list(head)}`,
    );
  }
  const scenarioDifferences = checkScenarios(
    base.scenario,
    head.scenario,
    common.map((t) => t.transport),
    names,
  );

  const techniques: TechniqueComparison[] = [];
  const skipped: Comparison['skipped'] = [];
  for (const baseResult of common) {
    const headResult = headByName.get(baseResult.transport)!;
    const sides = { base: usable(baseResult), head: usable(headResult) };
    const cut = (['base', 'head'] as const).filter((side) => sides[side].length === 0);
    if (cut.length > 0) {
      skipped.push({
        transport: baseResult.transport,
        reason: `cut short by an interruption in ${cut.map((side) => names[side]).join(' and ')}`,
      });
      continue;
    }
    techniques.push(
      compareTechnique(baseResult.transport, sides.base, sides.head, thresholds, [
        ...warnings(names.base, baseResult, sides.base),
        ...warnings(names.head, headResult, sides.head),
      ]),
    );
  }
  if (techniques.length === 0) {
    throw new ImBenchError(
      'IMB_ERR_INCOMPARABLE',
      `nothing to compare: ${skipped.map((s) => `${s.transport} was ${s.reason}`).join('; ')}`,
    );
  }

  const counts = Object.fromEntries(VERDICTS.map((verdict) => [verdict, 0])) as Record<Verdict, number>;
  for (const technique of techniques) for (const figure of technique.figures) counts[figure.verdict]++;
  return {
    schema: COMPARISON_SCHEMA,
    base: info(base, names.base),
    head: info(head, names.head),
    scenario: base.scenario,
    scenarioDifferences,
    environmentDifferences: environmentDifferences(base.environment, head.environment),
    thresholds,
    techniques,
    onlyInBase: base.transports.map((t) => t.transport).filter((name) => !headByName.has(name)),
    onlyInHead: head.transports.map((t) => t.transport).filter((name) => !baseNames.has(name)),
    skipped,
    counts,
    exitCode: counts.regressed > 0 ? EXIT_CODES.threshold : EXIT_CODES.ok,
  };
}

function info(result: RunResult, name: string): DocumentInfo {
  return {
    name,
    startedAt: result.startedAt,
    gitSha: result.environment.gitSha,
    version: result.tool.version,
    repeat: result.repeat,
    aborted: result.aborted,
  };
}

/** The runs a technique's figures come from: every complete repetition, or the result itself. */
function usable(result: TransportResult): TransportResult[] {
  const runs = result.repetitions !== undefined && result.repetitions.length > 0 ? result.repetitions : [result];
  return runs.filter((run) => !run.partial);
}

function warnings(name: string, result: TransportResult, runs: readonly TransportResult[]): string[] {
  const all = result.repetitions !== undefined && result.repetitions.length > 0 ? result.repetitions.length : 1;
  const lines: string[] = [];
  if (runs.length < all) {
    lines.push(`${name}: ${all - runs.length} of ${all} repetitions cut short by an interruption, left out`);
  }
  const bound = runs.filter((run) => run.generator.bound).length;
  if (bound > 0) {
    const share = runs.length > 1 ? ` in ${bound} of ${runs.length} repetitions` : '';
    lines.push(`${name}: generator-bound${share}: its latencies describe the load generator, not the server`);
  }
  return lines;
}

function compareTechnique(
  transport: TransportName,
  baseRuns: readonly TransportResult[],
  headRuns: readonly TransportResult[],
  thresholds: Thresholds,
  notes: string[],
): TechniqueComparison {
  return {
    transport,
    baseRepetitions: baseRuns.length,
    headRepetitions: headRuns.length,
    figures: FIGURE_NAMES.map((name) => compareFigure(FIGURES[name], baseRuns, headRuns, thresholds[name])),
    warnings: notes,
  };
}

function compareFigure(
  figure: FigureDefinition,
  baseRuns: readonly TransportResult[],
  headRuns: readonly TransportResult[],
  threshold: Threshold | null,
): FigureComparison {
  const baseValues = values(trustworthy(baseRuns, figure), figure);
  const headValues = values(trustworthy(headRuns, figure), figure);
  const base = summarize(baseValues, figure.aggregate);
  const head = summarize(headValues, figure.aggregate);
  const baseSpread = spread(baseValues);
  const delta = base === null || head === null ? null : head - base;
  const relative =
    delta === null || base === null ? null : base === 0 ? (delta === 0 ? 0 : null) : delta / Math.abs(base);
  return {
    figure: figure.name,
    label: figure.label,
    unit: figure.unit,
    worse: figure.worse,
    base,
    head,
    delta,
    relative,
    baseSpread,
    headSpread: spread(headValues),
    threshold,
    minDelta: figure.minDelta,
    verdict: judge(figure, base, head, baseSpread, threshold),
  };
}

/** For a latency, the repetitions whose generator kept up, when there are any; else all of them (with a warning). */
function trustworthy(runs: readonly TransportResult[], figure: FigureDefinition): readonly TransportResult[] {
  if (!figure.skewedByGenerator) return runs;
  const kept = runs.filter((run) => !run.generator.bound);
  return kept.length > 0 ? kept : runs;
}

function values(runs: readonly TransportResult[], figure: FigureDefinition): number[] {
  return runs.map((run) => readFigure(run, figure)).filter((value): value is number => value !== null);
}

function summarize(values: readonly number[], aggregate: FigureDefinition['aggregate']): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  if (aggregate === 'max') return sorted[sorted.length - 1]!;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function spread(values: readonly number[]): Spread | null {
  if (values.length < 2) return null;
  return { min: Math.min(...values), max: Math.max(...values), repetitions: values.length };
}

/** Float slack, so that 220 against 200 with a +10% limit is exactly at the limit, not past it. */
const EPSILON = 1e-9;

function judge(
  figure: FigureDefinition,
  base: number | null,
  head: number | null,
  baseSpread: Spread | null,
  threshold: Threshold | null,
): Verdict {
  if (base === null || head === null) return 'unmeasured';
  if (threshold === null) return 'untracked';
  if (figure.absolute) return head > Math.abs(threshold.limit) ? 'regressed' : 'ok';
  const delta = head - base;
  if (Math.abs(delta) <= figure.minDelta) return 'ok';
  // In the figure's unit: how much worse the head is (negative when better), and how much is allowed.
  const worseBy = figure.worse === 'up' ? delta : -delta;
  const allowed = Math.abs(threshold.limit) * (threshold.kind === 'percent' ? Math.abs(base) / 100 : 1);
  const slack = EPSILON * Math.max(1, Math.abs(base));
  const inSpread = baseSpread !== null && head >= baseSpread.min && head <= baseSpread.max;
  if (worseBy > allowed + slack) return inSpread ? 'noise' : 'regressed';
  if (-worseBy > allowed + slack && !inSpread) return 'improved';
  return 'ok';
}
