import { publisherTimingNote } from '../publisher-timing.js';
import { abortNote, calibrationNote, problems, shardNote } from '../caveats.js';
import { proxyNotes, proxyNotesTitle } from '../proxy-notes.js';
import { environmentItems, formatModelValue, runTitle, scenarioItems } from '../describe.js';
import { findingsByServer, sweepFindings } from '../findings.js';
import { formatBytes, formatFigure, formatInteger, formatMs, formatTrimmed } from '../format.js';
import {
  describeModelInputs,
  deviationText,
  MODEL_NOTATION,
  modelChecks,
  predictedText,
  toleranceText,
} from '../model.js';
import type { RunResult, TransportResult } from '../../document/result.js';
import { KEY_FIGURES, NOTHING, rowsFor, spread } from '../rows.js';
import type { SweepPoint, SweepResult } from '../../document/sweep.js';
import { bullets, escapeText, table, type Align } from './gfm.js';
import { FAIL_MARK, PASS_MARK, thresholdRows, thresholdSummary } from '../thresholds/describe.js';
import type { ThresholdCheck } from '../../document/threshold-check.js';
import { rssCell, rssNoiseExplained } from '../rss-noise.js';
import { crossServerTables, namesServers, runOnServer, serverHeading, serversOf } from '../servers.js';

const WARNING = '⚠';

function columns(count: number): Align[] {
  return ['left', ...Array.from({ length: count }, () => 'right' as const)];
}

function labelled(label: string, items: readonly string[]): string {
  return `**${label}:** ${items.map(escapeText).join(' · ')}`;
}

function resultsTable(transports: readonly TransportResult[]): string {
  const rows = rowsFor(transports).map(([label, cell]) => [label, ...transports.map(cell)]);
  return table(['', ...transports.map((t) => t.transport)], rows, columns(transports.length));
}

function repetitionsSection(transports: readonly TransportResult[]): string | null {
  const repeated = transports.filter((t) => (t.repetitions?.length ?? 0) > 0);
  if (repeated.length === 0) return null;
  const rows = KEY_FIGURES.map((figure) => [
    figure.label,
    ...repeated.map((t) => {
      const s = spread(t, figure);
      if (s === null || s.count === 0) return NOTHING;
      const range = s.min === s.max ? 'all equal' : `${figure.format(s.min)}–${figure.format(s.max)}`;
      return `${figure.format(s.median)} (${range})`;
    }),
  ]);
  const count = Math.max(...repeated.map((t) => t.repetitions!.length));
  return [
    `## Across ${formatInteger(count)} repetitions`,
    'Median (min–max) of each figure over the repetitions. The results table above shows, for each technique, the repetition with the median p99.',
    table(['', ...repeated.map((t) => t.transport)], rows, columns(repeated.length)),
  ].join('\n\n');
}

function modelSection(result: RunResult): string {
  const notation =
    `What simple arithmetic predicts, beside what was measured. ${MODEL_NOTATION} ` +
    `${WARNING} marks a figure further off its prediction than its tolerance.`;
  const parts = ['## Model beside measurement', escapeText(notation)];
  for (const t of result.transports) {
    const rows = modelChecks(t, result).map((check) => [
      check.figure,
      check.formula,
      predictedText(check),
      formatModelValue(check.measured, check.unit),
      deviationText(check, WARNING),
      toleranceText(check),
    ]);
    parts.push(
      `### ${escapeText(t.transport)}`,
      table(['figure', 'formula', 'predicted', 'measured', 'deviation', 'tolerance'], rows, [
        'left',
        'left',
        'right',
        'right',
        'right',
        'right',
      ]),
      escapeText(`Measured inputs: ${describeModelInputs(t)}.`),
    );
  }
  return parts.join('\n\n');
}

function thresholdsSection(checks: readonly ThresholdCheck[] | undefined): string | null {
  if (checks === undefined || checks.length === 0) return null;
  const rows = thresholdRows(checks).map((row) => [
    row.expression,
    row.transport,
    row.measured,
    row.pass ? `${PASS_MARK} pass` : `${FAIL_MARK} fail`,
  ]);
  return [
    '## Thresholds',
    `${escapeText(thresholdSummary(checks))}.`,
    table(['threshold', 'technique', 'measured', ''], rows, ['left', 'left', 'right', 'left']),
  ].join('\n\n');
}

function caveats(transports: readonly TransportResult[]): string | null {
  const lines = transports.flatMap((t) => {
    const found = problems(t);
    return found.length === 0 ? [] : [`${WARNING} ${t.transport}: ${found.join('; ')}`];
  });
  return lines.length === 0 ? null : bullets(lines);
}

function throughProxy(result: RunResult): string[] {
  const notes = proxyNotes(result);
  return notes.length === 0 ? [] : [`## ${proxyNotesTitle()}`, bullets(notes)];
}

function whatThisShows(findings: readonly string[]): string[] {
  return findings.length === 0 ? [] : ['## What this shows', bullets(findings)];
}

function document(sections: ReadonlyArray<string | null>): string {
  return `${sections.filter((section): section is string => section !== null).join('\n\n')}\n`;
}

function timingNote(transports: readonly TransportResult[]): string | null {
  const note = publisherTimingNote(transports);
  return note === null ? null : escapeText(note);
}

export function serialize(result: RunResult): string {
  const aborted = abortNote(result);
  const shard = shardNote(result);
  const calibration = calibrationNote(result);
  return document([
    `# ${escapeText(runTitle(result.scenario))}`,
    calibration === null ? null : `> ${WARNING} ${escapeText(calibration)}`,
    shard === null ? null : `> ${escapeText(shard)}`,
    aborted === null ? null : `> ${WARNING} ${escapeText(aborted)}`,
    labelled('Environment', environmentItems(result.environment, result)),
    labelled('Scenario', scenarioItems(result.scenario, { repeat: result.repeat })),
    ...(namesServers(result) ? byServer(result) : resultSections(result, '## Results')),
    ...throughProxy(result),
    ...whatThisShows(findingsByServer(result)),
  ]);
}

function resultSections(result: RunResult, heading: string): Array<string | null> {
  return [
    heading,
    result.transports.length === 0 ? 'No technique completed.' : resultsTable(result.transports),
    timingNote(result.transports),
    caveats(result.transports),
    thresholdsSection(result.thresholds),
    repetitionsSection(result.transports),
    result.transports.length === 0 ? null : modelSection(result),
  ];
}

/** Each kind of server's results, then the headline figures across them, then the thresholds (judged on the whole run). */
function byServer(result: RunResult): Array<string | null> {
  return [
    ...serversOf(result).flatMap((server) =>
      resultSections(runOnServer(result, server), `## Results: ${escapeText(serverHeading(result, server))}`),
    ),
    ...crossServerTables(result).flatMap((cross, i) => [
      i === 0 ? '## Across servers' : null,
      `**${escapeText(cross.title)}**`,
      table(cross.head, cross.rows, columns(cross.head.length)),
    ]),
    thresholdsSection(result.thresholds),
  ];
}

interface Curve {
  title: string;
  cell: (point: SweepPoint, sweep: SweepResult) => string;
  /** A line under the table, when the sweep needs one. */
  note?: (sweep: SweepResult) => string | null;
}

function rssNoiseNote(sweep: SweepResult): string | null {
  const explained = rssNoiseExplained(sweep);
  return explained === null ? null : `(noise): ${explained}`;
}

const CURVES: readonly Curve[] = [
  { title: 'p99 latency (ms)', cell: (p) => formatMs(p.latencyP99Ms) },
  { title: 'Throughput (delivered msg/s)', cell: (p) => formatFigure(p.throughputPerSecond) },
  { title: 'Server CPU (% of a core)', cell: (p) => formatFigure(p.serverCpuPercent) },
  { title: 'Server RSS per connection (KiB)', cell: rssCell, note: rssNoiseNote },
  { title: 'Requests / s', cell: (p) => formatFigure(p.requestsPerSecond) },
  { title: 'Bytes / msg', cell: (p) => formatBytes(p.bytesPerMessage) },
];

function sweptValue(sweep: SweepResult, value: number): string {
  return sweep.parameter === 'clients' ? formatInteger(value) : formatTrimmed(value);
}

function curveTable(sweep: SweepResult, curve: Curve): string {
  const series = Object.entries(sweep.series).map(([name, points]) => [name, points ?? []] as const);
  const rows = sweep.values.map((value) => [
    sweptValue(sweep, value),
    ...series.map(([, points]) => {
      const point = points.find((candidate) => candidate.value === value);
      if (point === undefined) return NOTHING;
      const marks = `${point.generatorBound ? ` ${WARNING}` : ''}${point.partial ? ' (partial)' : ''}`;
      return `${curve.cell(point, sweep)}${marks}`;
    }),
  ]);
  const head = sweep.parameter === 'clients' ? 'clients' : 'rate (msg/s)';
  return table([head, ...series.map(([name]) => name)], rows, ['right', ...columns(series.length).slice(1)]);
}

export function serializeSweep(sweep: SweepResult): string {
  const completed = Math.max(0, ...Object.values(sweep.series).map((points) => points?.length ?? 0));
  const anyBound = Object.values(sweep.series).some((points) => points?.some((point) => point.generatorBound));
  const values = sweep.values.map((value) => sweptValue(sweep, value));
  const unit = sweep.parameter === 'clients' ? '' : ' msg/s';
  return document([
    `# im-bench sweep: ${escapeText(sweep.scenario.name)} over ${sweep.parameter}`,
    sweep.aborted
      ? `> ${WARNING} Aborted: the series cover ${formatInteger(completed)} of ${formatInteger(sweep.values.length)} values.`
      : null,
    labelled('Environment', environmentItems(sweep.environment, sweep)),
    labelled('Base scenario', scenarioItems(sweep.scenario, { swept: sweep.parameter })),
    labelled('Swept', [`${sweep.parameter}: ${values.join(', ')}${unit}`]),
    ...CURVES.flatMap((curve) => [
      `## ${escapeText(curve.title)}\n\n${curveTable(sweep, curve)}`,
      curve.note?.(sweep) ?? null,
    ]),
    anyBound
      ? `${WARNING} generator-bound at that value: the latencies there describe the load generator, not the server.`
      : null,
    ...whatThisShows(sweepFindings(sweep)),
  ]);
}
