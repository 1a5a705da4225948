/** Text shared by the human-readable comparison formats: values, changes, limits, the summary line, notes. */
import { formatBytes, formatFigure, formatInteger, formatMs, formatNumber, formatTrimmed } from '../format.js';
import { FIGURES } from './figures.js';
import { CALIBRATION_FIELD } from './comparability.js';
import { machineChanged } from './machine-speed.js';
import {
  type FigureComparison,
  type TechniqueComparison,
  type DocumentInfo,
  type Comparison,
  FIGURE_NAMES,
  type FigureUnit,
  type Spread,
  type Threshold,
  comparedName,
} from '../../document/comparison.js';

const NOTHING = '–';

export function formatValue(value: number | null, unit: FigureUnit): string {
  if (value === null) return NOTHING;
  switch (unit) {
    case 'ms':
      return `${formatMs(value)} ms`;
    case 'msg/s':
      return `${formatFigure(value)} msg/s`;
    case 'B':
      return formatBytes(value);
    case 'µs':
      return `${formatFigure(value)} µs`;
    case 'req':
      return formatFigure(value);
    case 'copies':
      return formatInteger(value);
  }
}

const sign = (value: number): string => (value > 0 ? '+' : value < 0 ? '-' : '');

/** `+34%`, `-8.0%`, `0%`. */
export function formatPercent(relative: number): string {
  const percent = relative * 100;
  if (percent === 0) return '0%';
  return `${sign(percent)}${formatNumber(Math.abs(percent), Math.abs(percent) < 10 ? 1 : 0)}%`;
}

/** A signed difference in the figure's unit: `+2.13 ms`, `-1.5 KiB`, `+3`. */
export function formatDelta(delta: number, unit: FigureUnit): string {
  return delta === 0 ? '0' : `${sign(delta)}${formatValue(Math.abs(delta), unit)}`;
}

/** `+34% (+2.13 ms)`; counts and changes from 0 as a difference only. */
export function formatChange(figure: FigureComparison): string {
  if (figure.delta === null) return NOTHING;
  if (figure.delta === 0) return '0';
  const delta = formatDelta(figure.delta, figure.unit);
  if (figure.relative === null || figure.unit === 'copies') return delta;
  return `${formatPercent(figure.relative)} (${delta})`;
}

/** Short change for summaries: the percentage when there is one. */
function formatChangeShort(figure: FigureComparison): string {
  if (figure.delta === null) return NOTHING;
  if (figure.relative === null || figure.unit === 'copies') return formatDelta(figure.delta, figure.unit);
  return formatPercent(figure.relative);
}

export function formatLimit(threshold: Threshold | null, unit: FigureUnit): string {
  if (threshold === null) return 'off';
  if (threshold.kind === 'percent' || unit === 'copies' || unit === 'req') return threshold.text;
  return `${threshold.text} ${unit}`;
}

export function formatSpread(spread: Spread | null, unit: FigureUnit): string {
  if (spread === null) return NOTHING;
  return `${formatValue(spread.min, unit)} – ${formatValue(spread.max, unit)}`;
}

/** `p = 0.004` as a reader can take it in: two significant digits, `< 0.0001` below that. */
export function formatP(p: number): string {
  return p < 0.0001 ? '< 0.0001' : `= ${Number(p.toPrecision(2))}`;
}

/** The corrected p-value in the direction the figure moved: `0.004`, `< 0.0001`, `–` when untested. */
export function formatTestP(figure: FigureComparison): string {
  if (figure.test === null) return NOTHING;
  const better = figure.delta !== null && (figure.worse === 'up' ? figure.delta < 0 : figure.delta > 0);
  const p = better ? figure.test.betterAdjusted : figure.test.worseAdjusted;
  return p < 0.0001 ? '< 0.0001' : String(Number(p.toPrecision(2)));
}

/** What would decide an inconclusive figure. */
function howToDecide(figure: FigureComparison): string {
  if (figure.test === null) return 'record both with --repeat 6 or more, so that their spread can be tested';
  if (figure.repeatToDecide !== null)
    return `--repeat ${figure.repeatToDecide} on both sides would decide a change this size`;
  return 'more repetitions would not settle it cheaply: a longer --duration steadies it, or its threshold can be turned off';
}

/** `the load generator took 25 % more CPU per copy in head than in base`. */
function machineShift(ratio: number): string {
  const percent = formatTrimmed(Math.abs(ratio - 1) * 100, 0);
  return `the load generator took ${percent} % ${ratio >= 1 ? 'more' : 'less'} CPU per copy in head than in base, for the same work`;
}

/** Why an `inconclusive` verdict did not fail, and what would decide it. */
export function inconclusiveReason(figure: FigureComparison): string {
  if (figure.machineRatio !== undefined)
    return `past its limit, but the machine ran at another speed (${machineShift(figure.machineRatio)}), so a change in the server cannot be told from one in the machine; record base and head on the same runner, one soon after the other`;
  const ranges =
    figure.baseSpread === null || figure.headSpread === null
      ? ''
      : ` (base ${formatSpread(figure.baseSpread, figure.unit)}, head ${formatSpread(figure.headSpread, figure.unit)})`;
  const test =
    figure.test === null
      ? 'fewer than 2 repetitions on a side, nothing to test it against'
      : `the repetitions cannot tell it from noise${ranges}, p ${formatP(figure.test.worseAdjusted)} after correction`;
  return `past its limit, but ${test}; ${howToDecide(figure)}`;
}

interface Flagged {
  transport: string;
  figure: FigureComparison;
}

export function flagged(comparison: Comparison, verdict: 'regressed' | 'inconclusive'): Flagged[] {
  return comparison.techniques.flatMap((technique: TechniqueComparison) =>
    technique.figures
      .filter((figure) => figure.verdict === verdict)
      .map((figure) => ({ transport: comparedName(technique), figure })),
  );
}

function listFlagged(items: readonly Flagged[]): string {
  return items
    .map(
      ({ transport, figure }) =>
        `${transport} ${figure.figure} ${formatChangeShort(figure)} (limit ${formatLimit(figure.threshold, figure.unit)})`,
    )
    .join(', ');
}

const plural = (n: number, one: string, many: string): string => `${formatInteger(n)} ${n === 1 ? one : many}`;

/** One line on top: the regressions, or that there are none; then the inconclusive changes, if any. */
export function summaryLine(comparison: Comparison): string {
  const regressed = flagged(comparison, 'regressed');
  const inconclusive = flagged(comparison, 'inconclusive');
  const head =
    regressed.length === 0
      ? 'No regression beyond thresholds'
      : `${plural(regressed.length, 'regression', 'regressions')} beyond thresholds: ${listFlagged(regressed)}`;
  if (inconclusive.length === 0) return `${head}.`;
  const tail = `${plural(inconclusive.length, 'change', 'changes')} past thresholds that the repetitions cannot tell from noise, not counted (inconclusive): ${listFlagged(inconclusive)}`;
  return `${head}; ${tail}.`;
}

/** One line per inconclusive figure, for stderr: CI logs show what did not fail and why. */
export function inconclusiveWarnings(comparison: Comparison): string[] {
  return flagged(comparison, 'inconclusive').map(
    ({ transport, figure }) =>
      `${transport} ${figure.figure} ${formatChangeShort(figure)} is inconclusive: ${inconclusiveReason(figure)}`,
  );
}

function describeDocument(document: DocumentInfo): string {
  const details = [
    document.gitSha === null ? null : document.gitSha.slice(0, 7),
    document.startedAt.slice(0, 16).replace('T', ' '),
  ];
  if (document.repeat > 1) details.push(`${document.repeat} repetitions`);
  if (document.aborted) details.push('aborted');
  return `${document.name} (${details.filter((detail) => detail !== null).join(', ')})`;
}

/** `Scenario notify: base.json (72e48da, 2025-06-03 09:14) → head.json (…)`. */
export function titleLine(comparison: Comparison): string {
  return `Scenario ${comparison.scenario.name}: ${describeDocument(comparison.base)} → ${describeDocument(comparison.head)}`;
}

/** Everything a reader should know besides the figures, one sentence each. */
export function notes(comparison: Comparison): string[] {
  const { base, head } = comparison;
  const lines: string[] = [];
  if (comparison.onlyInBase.length > 0)
    lines.push(`Only in ${base.name}, not compared: ${comparison.onlyInBase.join(', ')}.`);
  if (comparison.onlyInHead.length > 0)
    lines.push(`Only in ${head.name}, not compared: ${comparison.onlyInHead.join(', ')}.`);
  for (const skipped of comparison.skipped) lines.push(`${comparedName(skipped)} not compared: ${skipped.reason}.`);
  if (comparison.scenarioDifferences.length > 0) {
    const list = comparison.scenarioDifferences.map((d) => `${d.field} ${d.base} → ${d.head}`).join(', ');
    lines.push(`Scenario settings that differ without changing what the figures mean: ${list}.`);
  }
  if (machineChanged(comparison.machine))
    lines.push(
      `The machine ran at another speed: ${machineShift(comparison.machine.ratio!)}. Latency, CPU and connect figures are not judged (past ±${formatTrimmed(comparison.machine.tolerance * 100)} %, a slower machine moves them by itself).`,
    );
  const machines = comparison.environmentDifferences.filter((d) => d.field !== CALIBRATION_FIELD);
  if (machines.length > 0) {
    const list = machines.map((d) => `${d.field} ${d.base} → ${d.head}`).join(', ');
    lines.push(`The machines differ (${list}): figures may move for that reason alone.`);
  }
  for (const d of comparison.environmentDifferences.filter((d) => d.field === CALIBRATION_FIELD))
    lines.push(
      `Servers slowed on purpose to calibrate compare: ${d.base} → ${d.head}; these are not real measurements.`,
    );
  const single = (['base', 'head'] as const).filter((side) =>
    comparison.techniques.some((technique) => technique[`${side}Repetitions`] < 2),
  );
  if (single.length > 0) {
    const which = single.map((side) => comparison[side].name).join(' and ');
    lines.push(
      `${which} ${single.length > 1 ? 'have' : 'has'} a single repetition: there is no spread to test a change against, so only lost copies can fail; record both with --repeat 6 or more.`,
    );
  }
  for (const technique of comparison.techniques)
    for (const warning of technique.warnings) lines.push(`${comparedName(technique)}: ${warning}.`);
  return lines;
}

function formatResolution(value: number, unit: FigureUnit): string {
  if (unit === 'B') return value >= 1024 ? `${formatTrimmed(value / 1024)} KiB` : `${formatTrimmed(value)} B`;
  if (unit === 'req') return formatTrimmed(value);
  return `${formatTrimmed(value)} ${unit}`;
}

/** The smallest change each figure counts (its `minDelta`): `latency 0.5 ms, connect p99 1 ms, …`. */
export function resolutions(): string {
  const parts = new Map<string, string>();
  for (const name of FIGURE_NAMES) {
    const figure = FIGURES[name];
    if (figure.minDelta === 0) continue;
    const label = figure.label.startsWith('latency') ? 'latency' : figure.label;
    if (!parts.has(label)) parts.set(label, `${label} ${formatResolution(figure.minDelta, figure.unit)}`);
  }
  return [...parts.values()].join(', ');
}
