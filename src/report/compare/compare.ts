import { EXIT_CODES } from '../../core/constants.js';
import { ImBenchError } from '../../core/errors.js';
import type { TransportName } from '../../document/scenario.js';
import type { RunResult, TransportResult } from '../../document/result.js';
import {
  calibrationDifferences,
  checkDeployments,
  checkScenarios,
  environmentDifferences,
  serverDifferences,
} from './comparability.js';
import { FIGURES } from './figures.js';
import { usableRuns } from '../figure-summary.js';
import { serverOf } from '../servers.js';
import { decideFigures, measureFigure, type MeasuredFigure } from './judge.js';
import { DEFAULT_THRESHOLDS } from './thresholds.js';
import { machineSpeed, setAsideForMachine } from './machine-speed.js';
import {
  COMPARISON_SCHEMA,
  type Comparison,
  DEFAULT_ALPHA,
  type DocumentInfo,
  FIGURE_NAMES,
  type TechniqueComparison,
  type Thresholds,
  type Verdict,
  VERDICTS,
  comparedName,
} from '../../document/comparison.js';

export interface ComparisonNames {
  base: string;
  head: string;
}

/** A technique's runs on both sides, and the caveats that go with them. */
interface Sides {
  transport: TransportName;
  profile?: string;
  base: readonly TransportResult[];
  head: readonly TransportResult[];
  warnings: string[];
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
  alpha: number = DEFAULT_ALPHA,
  /** Compare across deployments (TLS or not, HTTP version, proxy), saying so, instead of refusing. */
  allowMismatch = false,
): Comparison {
  // A head that did not finish, or that lacks a technique the base has, cannot pass: what it
  // did not measure cannot have regressed, and a gate must not read that as success.
  if (head.aborted) {
    throw new ImBenchError(
      'IMB_ERR_INCOMPARABLE',
      `${names.head} is from a run that did not finish (aborted, interrupted or failed): run it again`,
    );
  }
  const headByName = new Map(head.transports.map((t) => [keyOf(t), t]));
  const baseNames = new Set(base.transports.map(keyOf));
  const missing = base.transports.filter((t) => !headByName.has(keyOf(t))).map(nameOf);
  if (missing.length > 0) {
    throw new ImBenchError(
      'IMB_ERR_INCOMPARABLE',
      `${names.head} has no ${missing.join(', ')}, which ${names.base} measured: run the same techniques`,
    );
  }
  const common = base.transports.filter((t) => headByName.has(keyOf(t)));
  if (common.length === 0) {
    const list = (result: RunResult): string => result.transports.map(nameOf).join(', ') || 'none';
    throw new ImBenchError(
      'IMB_ERR_INCOMPARABLE',
      `no technique in both: ${names.base} has ${list(base)}; ${names.head} has ${list(head)}`,
    );
  }
  const deploymentDifferences = checkDeployments(base.environment, head.environment, names, allowMismatch);
  const scenarioDifferences = checkScenarios(
    base.scenario,
    head.scenario,
    [...new Set(common.map((t) => t.transport))],
    names,
  );

  const compared: Sides[] = [];
  const skipped: Comparison['skipped'] = [];
  for (const baseResult of common) {
    const headResult = headByName.get(keyOf(baseResult))!;
    const named = { transport: baseResult.transport, ...profileOf(baseResult) };
    const sides = { base: usableRuns(baseResult), head: usableRuns(headResult) };
    const cut = (['base', 'head'] as const).filter((side) => sides[side].length === 0);
    if (cut.length > 0) {
      skipped.push({
        ...named,
        reason: `cut short by an interruption in ${cut.map((side) => names[side]).join(' and ')}`,
      });
      continue;
    }
    compared.push({
      ...named,
      ...sides,
      warnings: [...warnings(names.base, baseResult, sides.base), ...warnings(names.head, headResult, sides.head)],
    });
  }
  if (compared.length === 0) {
    throw new ImBenchError(
      'IMB_ERR_INCOMPARABLE',
      `nothing to compare: ${skipped.map((s) => `${comparedName(s)} was ${s.reason}`).join('; ')}`,
    );
  }

  const machine = machineSpeed(compared);
  const { techniques, tested } = compareTechniques(compared, thresholds, alpha);
  for (const technique of techniques)
    technique.figures = technique.figures.map((figure) => setAsideForMachine(figure, machine));
  const counts = Object.fromEntries(VERDICTS.map((verdict) => [verdict, 0])) as Record<Verdict, number>;
  for (const technique of techniques) for (const figure of technique.figures) counts[figure.verdict]++;
  return {
    schema: COMPARISON_SCHEMA,
    base: info(base, names.base),
    head: info(head, names.head),
    scenario: base.scenario,
    scenarioDifferences,
    environmentDifferences: [
      ...deploymentDifferences,
      ...environmentDifferences(base.environment, head.environment),
      ...calibrationDifferences(base, head),
      ...serverDifferences(base, head),
    ],
    thresholds,
    machine,
    alpha,
    tested,
    techniques,
    onlyInBase: base.transports.filter((t) => !headByName.has(keyOf(t))).map(nameOf),
    onlyInHead: head.transports.filter((t) => !baseNames.has(keyOf(t))).map(nameOf),
    skipped,
    counts,
    exitCode: counts.regressed > 0 ? EXIT_CODES.threshold : EXIT_CODES.ok,
  };
}

/** A technique is the same one on both sides when it ran on the same kind of server. */
function keyOf(t: TransportResult): string {
  return `${serverOf(t)}/${t.transport}`;
}

function profileOf(t: TransportResult): { profile?: string } {
  return serverOf(t) === 'reference' ? {} : { profile: serverOf(t) };
}

function nameOf(t: TransportResult): string {
  return comparedName({ transport: t.transport, ...profileOf(t) });
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

/** Every technique's figures, measured first and then decided together, so that one correction covers them all. */
function compareTechniques(
  compared: readonly Sides[],
  thresholds: Thresholds,
  alpha: number,
): { techniques: TechniqueComparison[]; tested: number } {
  const measured: MeasuredFigure[] = compared.flatMap((sides) =>
    FIGURE_NAMES.map((name) => measureFigure(FIGURES[name], sides.base, sides.head, thresholds[name])),
  );
  const { decided, tested } = decideFigures(measured, alpha);
  const techniques = compared.map((sides, index) => ({
    transport: sides.transport,
    ...(sides.profile === undefined ? {} : { profile: sides.profile }),
    baseRepetitions: sides.base.length,
    headRepetitions: sides.head.length,
    figures: decided.slice(index * FIGURE_NAMES.length, (index + 1) * FIGURE_NAMES.length),
    warnings: sides.warnings,
  }));
  return { techniques, tested };
}
