/*
 * "What this shows": plain-text sentences derived from a result's own figures, for any report
 * to render. Each states only what the numbers in the document show.
 */
import { describeSweepValue, formatDeviation, formatModelValue } from './describe.js';
import {
  formatBytes,
  formatFigure,
  formatInteger,
  formatMs,
  formatPercent,
  formatRatio,
  formatTrimmed,
} from './format.js';
import { modelChecks, predictedText, toleranceText } from './model.js';
import type { RunResult, TransportResult } from '../document/result.js';
import { spread, type KeyFigure } from './rows.js';
import type { SweepPoint, SweepResult } from '../document/sweep.js';
import { runOnServer, serversOf } from './servers.js';
import { worstDuplicated, worstLost } from '../document/repetitions.js';

const P99: KeyFigure = { label: 'latency p99 (ms)', value: (t) => t.latency.p99, format: formatMs };

function percent(part: number, whole: number): string {
  return `${formatTrimmed((part / whole) * 100, 1)} %`;
}

function names(list: readonly { transport: string }[]): string {
  const all = list.map((t) => t.transport);
  return all.length < 2 ? all.join('') : `${all.slice(0, -1).join(', ')} and ${all.at(-1)!}`;
}

/** A figure for arithmetic: a null (not measured) sorts last and compares as nothing. */
function measured(value: number | null): number {
  return value ?? Number.POSITIVE_INFINITY;
}

function byFigure(list: readonly TransportResult[], value: (t: TransportResult) => number | null): TransportResult[] {
  return [...list].sort((a, b) => measured(value(a)) - measured(value(b)));
}

/** Which technique had the lowest p99, how the others compare, and whether repetitions agree. */
function latencyFinding(transports: readonly TransportResult[]): string | null {
  const delivered = transports.filter((t) => t.latency.count > 0);
  const fair = delivered.filter((t) => !t.generator.bound);
  if (fair.length < 2) return null;
  const [best, ...others] = byFigure(fair, P99.value) as [TransportResult, ...TransportResult[]];
  const lowest = measured(best.latency.p99);
  let text = `${best.transport} had the lowest p99 latency, ${formatMs(lowest)} ms`;
  if (lowest > 0) {
    const compared = others.map((t, i) => {
      const ratio = formatRatio(measured(t.latency.p99) / lowest);
      return `${t.transport}'s ${i === 0 ? `was ${ratio} that` : ratio} (${formatMs(t.latency.p99)} ms)`;
    });
    text += `; ${compared.join(', ')}`;
  }
  const bound = delivered.filter((t) => t.generator.bound);
  if (bound.length > 0) text += ` (${names(bound)} left out: generator-bound)`;
  text += '.';
  const second = others[0]!;
  const [a, b] = [spread(best, P99), spread(second, P99)];
  if (a !== null && b !== null && a.count > 1 && b.count > 1) {
    const range = (s: { min: number; max: number }): string => `${formatMs(s.min)}–${formatMs(s.max)} ms`;
    text +=
      a.max < b.min
        ? ` Over every repetition its p99 (${range(a)}) stayed below ${second.transport}'s (${range(b)}).`
        : ` Over the repetitions their p99 ranges overlap (${best.transport} ${range(a)}, ${second.transport} ${range(b)}): the order between them may be noise.`;
  }
  return text;
}

function shortPollingFinding(transports: readonly TransportResult[]): string | null {
  const t = transports.find((candidate) => candidate.transport === 'short-polling');
  if (t === undefined || t.delivery.deliveredInWindow === 0 || t.requests.inWindow === 0) return null;
  const { perMessage, inWindow, empty } = t.requests;
  return (
    `short-polling sent ${formatFigure(perMessage)} requests per delivered message (${formatInteger(inWindow)} in the window); ` +
    `${formatInteger(empty)} of them (${percent(empty, inWindow)}) came back empty.`
  );
}

/** How much of the server's request ceiling each polling technique used (`run --capacity`). */
function headroomFindings(transports: readonly TransportResult[]): string[] {
  return transports.flatMap((t) => {
    const h = t.headroom;
    if (h === undefined || h.requestsPerSecond <= 0) return [];
    const used = `${t.transport} sent ${formatFigure(h.requestsPerSecond)} requests/s, ${formatPercent(h.ratio)} of the server's ceiling for its polls (${formatInteger(h.ceilingPerSecond)}/s)`;
    return [
      h.ratio < 1
        ? `${used}: by request rate alone, this configuration could grow about ${formatRatio(1 / h.ratio)} before reaching it.`
        : `${used}: at or past it, unless the ceiling was measured on another machine or at fewer connections.`,
    ];
  });
}

/** The cheapest and the dearest technique by a per-message figure. */
function rangeFinding(
  transports: readonly TransportResult[],
  what: string,
  value: (t: TransportResult) => number | null,
  describe: (t: TransportResult) => string,
): string | null {
  const known = transports.filter((t) => value(t) !== null);
  if (known.length < 2) return null;
  const ranked = byFigure(known, value);
  const [cheap, dear] = [measured(value(ranked[0]!)), measured(value(ranked.at(-1)!))];
  const ratio = cheap > 0 ? `: ${formatRatio(dear / cheap)} as much` : '';
  return `${what} ranged from ${describe(ranked[0]!)} to ${describe(ranked.at(-1)!)}${ratio}.`;
}

function lossFindings(transports: readonly TransportResult[]): string[] {
  const lines: string[] = [];
  for (const t of transports) {
    const { expected } = t.delivery;
    const lost = worstLost(t);
    const duplicated = worstDuplicated(t);
    const where = t.repetitions !== undefined && lost !== t.delivery.lost ? ' in its worst repetition' : '';
    if (lost > 0)
      lines.push(
        `${t.transport} lost ${formatInteger(lost)} of ${formatInteger(expected)} copies${where} (${percent(lost, expected)}).`,
      );
    if (duplicated > 0)
      lines.push(
        `${t.transport} received ${formatInteger(duplicated)} duplicate ${duplicated === 1 ? 'copy' : 'copies'}.`,
      );
  }
  if (lines.length === 0 && transports.length > 0) lines.push('No technique lost or duplicated a message.');
  return lines;
}

/** The figures that strayed from their model, or one line saying none did; checks with no prediction (older documents) are passed over. */
export function modelFindings(result: RunResult): string[] {
  const lines: string[] = [];
  let unjudged = 0;
  let checked = 0;
  let unmeasured = 0;
  for (const t of result.transports) {
    for (const check of modelChecks(t, result)) {
      if (check.deviation === null) {
        unmeasured += 1;
        continue;
      }
      checked += 1;
      if (check.flagged) {
        lines.push(
          `${t.transport}'s ${check.figure} strayed from its model (${check.formula}): ` +
            `${formatModelValue(check.measured, check.unit)} measured, ${predictedText(check)} predicted ` +
            `(${formatDeviation(check.deviation)}, tolerance ${toleranceText(check)}).`,
        );
      } else if (Math.abs(check.deviation) > check.tolerance) {
        unjudged += 1;
      }
    }
  }
  if (lines.length > 0) return lines;
  if (checked === 0)
    return unmeasured === 0
      ? []
      : [`${formatInteger(unmeasured)} figures the model predicts unchecked: their inputs were not measured.`];
  const tooSmall = unjudged === 0 ? '' : `, except ${formatInteger(unjudged)} too small to judge`;
  const unchecked = unmeasured === 0 ? '' : `; ${formatInteger(unmeasured)} unchecked, their inputs not measured`;
  return [`Every figure the model predicts was within its tolerance of its prediction${tooSmall}${unchecked}.`];
}

/** "What this shows" for one run. */
export function runFindings(result: RunResult): string[] {
  const { transports } = result;
  const lines = [
    latencyFinding(transports),
    shortPollingFinding(transports),
    rangeFinding(
      transports,
      'Bytes on the wire per delivered message',
      (t) => t.bytes.perMessage,
      (t) => `${formatBytes(t.bytes.perMessage)} (${t.transport}, ${formatRatio(t.bytes.overheadRatio)} the payload)`,
    ),
    rangeFinding(
      transports,
      'Server CPU per delivered message',
      (t) => t.server.cpuMicrosPerMessage,
      (t) => `${formatFigure(t.server.cpuMicrosPerMessage)} µs (${t.transport})`,
    ),
  ].filter((line): line is string => line !== null);
  lines.push(...headroomFindings(transports));
  lines.push(...lossFindings(transports));
  for (const t of transports) {
    if (t.generator.bound)
      lines.push(`${t.transport} was generator-bound: its latencies describe the load generator, not the server.`);
  }
  lines.push(...modelFindings(result));
  return lines;
}

/** Points in the order of the sweep's values. */
function seriesOf(sweep: SweepResult): Array<[string, SweepPoint[]]> {
  return Object.entries(sweep.series).map(([name, points]) => [name, points ?? []]);
}

function p99Growth(sweep: SweepResult, name: string, points: readonly SweepPoint[]): string | null {
  // Only the points that measured a latency (a value where nothing arrived has none).
  const known = points.filter((point) => point.latencyP99Ms !== null);
  if (known.length < 2) return null;
  const [first, last] = [known[0]!, known.at(-1)!];
  const at = (point: SweepPoint): string =>
    `${formatMs(point.latencyP99Ms)} ms at ${describeSweepValue(sweep.parameter, point.value)}`;
  const [from, to] = [measured(first.latencyP99Ms), measured(last.latencyP99Ms)];
  const ratio = from > 0 ? to / from : Number.NaN;
  // "Stayed within" is a claim about every point, not just the two ends.
  const p99s = known.map((point) => measured(point.latencyP99Ms));
  const lowest = Math.min(...p99s);
  if (lowest > 0 && Math.max(...p99s) / lowest <= 1.1)
    return `${name}: p99 stayed within 10 % (${at(first)}, ${at(last)}).`;
  const verb = to > from ? 'grew' : 'fell';
  const factor = Number.isFinite(ratio) ? ` (${formatRatio(ratio)})` : '';
  return `${name}: p99 ${verb} from ${at(first)} to ${at(last)}${factor}.`;
}

function listValues(sweep: SweepResult, points: readonly SweepPoint[], detail?: (point: SweepPoint) => string): string {
  const items = points.map(
    (point) =>
      `${describeSweepValue(sweep.parameter, point.value)}${detail === undefined ? '' : ` (${detail(point)})`}`,
  );
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

/** "What this shows" for a sweep. */
export function sweepFindings(sweep: SweepResult): string[] {
  const series = seriesOf(sweep);
  const lines: string[] = [];
  for (const [name, points] of series) {
    const growth = p99Growth(sweep, name, points);
    if (growth !== null) lines.push(growth);
  }
  const largest = Math.max(...series.flatMap(([, points]) => points.map((point) => point.value)));
  const atLargest = series
    .map(([name, points]) => [name, points.find((point) => point.value === largest)] as const)
    .filter(
      (entry): entry is readonly [string, SweepPoint] =>
        entry[1] !== undefined && !entry[1].generatorBound && entry[1].latencyP99Ms !== null,
    )
    .sort((a, b) => measured(a[1].latencyP99Ms) - measured(b[1].latencyP99Ms));
  if (atLargest.length >= 2) {
    const [best, worst] = [atLargest[0]!, atLargest.at(-1)!];
    lines.push(
      `At ${describeSweepValue(sweep.parameter, largest)}, ${best[0]} had the lowest p99 (${formatMs(best[1].latencyP99Ms)} ms), ` +
        `${worst[0]} the highest (${formatMs(worst[1].latencyP99Ms)} ms).`,
    );
  }
  let trouble = false;
  for (const [name, points] of series) {
    const bound = points.filter((point) => point.generatorBound);
    const lossy = points.filter((point) => point.lost > 0);
    if (bound.length > 0)
      lines.push(
        `${name} was generator-bound at ${listValues(sweep, bound)}: its latencies there describe the load generator, not the server.`,
      );
    if (lossy.length > 0)
      lines.push(
        `${name} lost messages at ${listValues(sweep, lossy, (point) => `${formatInteger(point.lost)} copies`)}.`,
      );
    trouble ||= bound.length > 0 || lossy.length > 0;
  }
  if (!trouble && series.length > 0) lines.push('No technique lost a message or went generator-bound at any value.');
  return lines;
}

/** "What this shows" for a run; with several kinds of server, each one's own, every line naming its server. */
export function findingsByServer(result: RunResult): string[] {
  const servers = serversOf(result);
  if (servers.length <= 1) return runFindings(result);
  return servers.flatMap((server) => runFindings(runOnServer(result, server)).map((line) => `${server}: ${line}`));
}
