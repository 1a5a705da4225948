import { publisherTimingNote } from '../../publisher-timing.js';
import { decodeHistogram } from '../../../core/histogram.js';
import { formatDuration } from '../../../scenario/duration.js';
import { abortNote, calibrationNote, problems, shardNote } from '../../caveats.js';
import { proxyNotes, proxyNotesTitle } from '../../proxy-notes.js';
import { formatModelValue, runTitle } from '../../describe.js';
import { findingsByServer } from '../../findings.js';
import { formatBytes, formatFigure, formatInteger, formatTrimmed } from '../../format.js';
import {
  describeModelInputs,
  deviationText,
  MODEL_NOTATION,
  modelChecks,
  predictedText,
  toleranceText,
} from '../../model.js';
import type { RunResult, TransportResult } from '../../../document/result.js';
import { KEY_FIGURES, kibibytes, NOTHING, rowsFor, spread, type KeyFigure } from '../../rows.js';
import { barChart } from '../../svg/bar-chart.js';
import { escapeXml as esc } from '../../svg/escape.js';
import { lineChart, type LinePoint, type LineSeries } from '../../svg/line-chart.js';
import type { Tick } from '../../svg/ticks.js';
import type { ModelCheck } from '../../../transports/model.js';
import {
  banner,
  caveatList,
  environmentFacts,
  figure,
  findingsSection,
  footer,
  noteOf,
  page,
  scenarioFacts,
  summary,
  swatch,
} from './page.js';
import { thresholdsSection } from './thresholds-section.js';
import { crossServerTables, namesServers, runOnServer, serverHeading, serversOf } from '../../servers.js';

// ─── a run ────────────────────────────────────────────────────────────────────

/** The key figure (rows.ts) a row of the side-by-side table shows, whose range over repetitions goes under the cell. */
function keyFigureOf(label: string): KeyFigure | undefined {
  return KEY_FIGURES.find((figure) => label === figure.label || label.startsWith(`${figure.label} (`));
}

/** Min and max over the repetitions, when there are two or more to compare. */
function range(t: TransportResult, figure: KeyFigure | undefined): [number, number] | undefined {
  const found = figure === undefined ? null : spread(t, figure);
  return found === null || found.count < 2 ? undefined : [found.min, found.max];
}

function rangeText([low, high]: [number, number], format: (value: number) => string): string {
  return format(low) === format(high) ? `all ${format(low)}` : `${format(low)}–${format(high)}`;
}

function runTable(result: RunResult): string {
  const head = `<tr><th></th>${result.transports.map((t) => `<th scope="col">${swatch(t.transport)}</th>`).join('')}</tr>`;
  const body = rowsFor(result.transports).map(([label, cell]) => {
    const figure = keyFigureOf(label);
    const cells = result.transports.map((t) => {
      const span = range(t, figure);
      const under = span === undefined ? '' : `<span class="range">${esc(rangeText(span, figure!.format))}</span>`;
      return `<td>${esc(cell(t))}${under}</td>`;
    });
    return `<tr><th scope="row">${esc(label)}</th>${cells.join('')}</tr>`;
  });
  const note =
    result.repeat > 1
      ? `<p class="note">Each technique ran ${formatInteger(result.repeat)} times; each figure is from the repetition with the median p99 latency, with the range (min–max) of the key figures over all repetitions beneath it.</p>`
      : '';
  return `<h2>Side by side</h2>${note}<div class="scroll"><table><thead>${head}</thead><tbody>${body.join('')}</tbody></table></div>`;
}

const NINES_MAX = 4;
const NINES_STEP = 0.05;
const PERCENTILE_TICKS: readonly Tick[] = [
  { value: 0, label: '0' },
  { value: Math.log10(2), label: '50' },
  { value: 1, label: '90' },
  { value: 2, label: '99' },
  { value: 3, label: '99.9' },
  { value: 4, label: '99.99' },
];

/** A percentile is drawn only while at least this many samples lie beyond it. */
const SAMPLES_BEYOND = 10;

/** The last percentile, in nines, with SAMPLES_BEYOND samples beyond it among `count` (0 when there are fewer). */
export function supportedNines(count: number): number {
  return Math.min(NINES_MAX, Math.max(0, Math.log10(count / SAMPLES_BEYOND)));
}

/**
 * Latency (ms) against −log10(1 − p/100), so each tick to the right is one more nine. The curve
 * stops where fewer than SAMPLES_BEYOND samples lie beyond the percentile: past it, one sample
 * more or less would move the line. Its last point says so when it stops short of p99.99.
 */
export function percentileCurve(t: TransportResult): LineSeries {
  if (t.latency.count === 0) return { name: t.transport, points: [] };
  const histogram = decodeHistogram(t.latencyHistogram);
  const last = supportedNines(t.latency.count);
  const at = (nines: number): LinePoint => ({
    x: nines,
    y: histogram.getValueAtPercentile(100 * (1 - 10 ** -nines)) / 1000,
  });
  const points: LinePoint[] = [];
  for (let step = 0; step * NINES_STEP < last - 1e-9; step++) points.push(at(step * NINES_STEP));
  points.push(at(last));
  if (last < NINES_MAX) {
    const percentile = formatTrimmed(100 * (1 - 10 ** -last));
    points[points.length - 1] = {
      ...points.at(-1)!,
      note: `${t.transport}: the curve stops at p${percentile}: beyond it lie fewer than ${SAMPLES_BEYOND} of its ${formatInteger(t.latency.count)} samples`,
    };
  }
  return { name: t.transport, points };
}

function latencySection(result: RunResult): string {
  const chart = lineChart({
    title: 'Delivery latency by percentile',
    description: `For each technique, the delivery latency in milliseconds at percentiles from 0 to 99.99, on a log scale, as far as ${SAMPLES_BEYOND} samples lie beyond the percentile.`,
    x: { title: 'percentile (each step one more nine)', ticks: PERCENTILE_TICKS },
    y: { title: 'latency (ms, log scale)', log: true },
    series: result.transports.map(percentileCurve),
    width: 1040,
    height: 440,
  });
  const repeated =
    result.repeat > 1 ? ' With repetitions, the curve is that of the repetition with the median p99.' : '';
  const timing = publisherTimingNote(result.transports);
  const note = timing === null ? '' : `<p class="note">${esc(timing)}</p>`;
  const tail = ` A curve that ends early (its end marked) stops where fewer than ${SAMPLES_BEYOND} of its samples lie beyond the percentile.`;
  return `<h2>Latency</h2>${figure(chart, `Receive time minus scheduled publish time of every copy delivered in the window.${repeated}${tail}`)}${note}`;
}

/** A cost bar chart: a figure (its label the chart's title) and its axis. */
interface Cost extends KeyFigure {
  axisTitle: string;
}

const COSTS: readonly Cost[] = [
  {
    label: 'Requests per delivered message',
    axisTitle: 'requests / message',
    value: (t) => t.requests.perMessage,
    format: formatFigure,
  },
  {
    label: 'Bytes on the wire per message',
    axisTitle: 'bytes / message',
    value: (t) => t.bytes.perMessage,
    format: formatBytes,
  },
  {
    label: 'Server CPU per message',
    axisTitle: 'µs / message',
    value: (t) => t.server.cpuMicrosPerMessage,
    format: formatFigure,
  },
  {
    label: 'Server memory per connection',
    axisTitle: 'KiB of RSS / connection',
    value: (t) => kibibytes(t.server.rssPerConnectionBytes),
    format: (v) => (v === null ? NOTHING : `${formatFigure(v)} KiB`),
  },
];

function costBars(result: RunResult, cost: Cost): string {
  const bars = result.transports.map((t) => ({
    name: t.transport,
    // A figure not measured (nothing delivered): no bar, not a flattering 0.
    value: cost.value(t) ?? Number.NaN,
    range: range(t, cost),
  }));
  return figure(barChart({ title: cost.label, axisTitle: cost.axisTitle, format: cost.format, bars, width: 500 }));
}

function costSection(result: RunResult): string {
  const whiskers = result.repeat > 1 ? ' Whiskers: min–max over the repetitions.' : '';
  return (
    `<h2>Cost</h2><p class="note">What each technique costs per delivered message and per open connection; "–" where nothing was delivered.${esc(whiskers)}</p>` +
    `<div class="charts">${COSTS.map((cost) => costBars(result, cost)).join('')}</div>`
  );
}

function modelRow(check: ModelCheck): string {
  return (
    `<tr${check.flagged ? ' class="flagged"' : ''}><th scope="row">${esc(check.figure)}</th><td class="text"><code>${esc(check.formula)}</code></td>` +
    `<td>${esc(predictedText(check))}</td><td>${esc(formatModelValue(check.measured, check.unit))}</td>` +
    `<td${check.flagged ? ' class="flag"' : ''}>${esc(deviationText(check, '⚑'))}</td><td>${esc(toleranceText(check))}</td></tr>`
  );
}

function modelSection(result: RunResult): string {
  const { scenario } = result;
  const notation =
    `Here I is ${formatDuration(scenario.pollIntervalMs)}, T ${formatDuration(scenario.longPollTimeoutMs)}, ` +
    `λ (messages per second on one channel) ${formatTrimmed(scenario.rate / scenario.channels)}. ${MODEL_NOTATION}`;
  const tolerance =
    '⚑ flagged: further from the prediction than its tolerance, so either the model or the run is telling something.';
  const head =
    '<tr><th>figure</th><th class="text">formula</th><th>predicted</th><th>measured</th><th>deviation</th><th>tolerance</th></tr>';
  const groups = result.transports.map(
    (t) =>
      `<tr class="group"><th colspan="6">${swatch(t.transport)}</th></tr>${modelChecks(t, result).map(modelRow).join('')}` +
      `<tr class="inputs"><td colspan="6" class="text">Measured inputs: ${esc(describeModelInputs(t))}</td></tr>`,
  );
  return (
    `<h2>Model beside measurement</h2><p class="note">${esc(notation)}</p><p class="note">${esc(tolerance)}</p>` +
    `<div class="scroll"><table class="full"><thead>${head}</thead><tbody>${groups.join('')}</tbody></table></div>`
  );
}

/** The terminal table's caveats (caveats.ts), plus what a page has room for: failed clients, bound repetitions. */
function runCaveats(result: RunResult): string[] {
  const items: string[] = [];
  for (const t of result.transports) {
    const found = problems(t);
    const bound = (t.repetitions ?? []).filter((r) => r.generator.bound).length;
    if (!t.generator.bound && bound > 0)
      found.push(`${formatInteger(bound)} of ${formatInteger(t.repetitions!.length)} repetitions were generator-bound`);
    if (t.clients.failed > 0)
      found.push(
        `${formatInteger(t.clients.failed)} of ${formatInteger(t.clients.requested)} clients failed to connect`,
      );
    items.push(...found.map((problem) => `${t.transport}: ${problem}.`));
  }
  return items;
}

/** Each kind of server's sections under its name, then the headline figures across them. */
function byServer(result: RunResult): string[] {
  const sections = serversOf(result).flatMap((server) => {
    const part = runOnServer(result, server);
    return [
      `<h2 class="server">Server: ${esc(serverHeading(result, server))}</h2>`,
      runTable(part),
      latencySection(part),
      costSection(part),
      modelSection(part),
    ];
  });
  const cross = crossServerTables(result).map(
    (table) =>
      `<h3>${esc(table.title)}</h3><table><thead><tr>${table.head.map((cell) => `<th>${esc(cell)}</th>`).join('')}</tr></thead><tbody>${table.rows
        .map(
          (row) =>
            `<tr>${row.map((cell, i) => (i === 0 ? `<th>${esc(cell)}</th>` : `<td>${esc(cell)}</td>`)).join('')}</tr>`,
        )
        .join('')}</tbody></table>`,
  );
  return [
    ...sections,
    ...(cross.length === 0 ? [] : [`<h2>Across servers</h2>${cross.join('')}`]),
    ...thresholdsSection(result.thresholds),
    findingsSection(findingsByServer(result)),
  ];
}

/** What the proxy in front did to each technique, and the fix (`run --via`); nothing when direct. */
function proxySection(result: RunResult): string[] {
  const notes = proxyNotes(result);
  if (notes.length === 0) return [];
  return [
    `<h2>${esc(proxyNotesTitle())}</h2><ul class="findings">${notes.map((note) => `<li>${esc(note)}</li>`).join('')}</ul>`,
  ];
}

export function serialize(result: RunResult): string {
  const { scenario } = result;
  const techniques = result.transports.map((t) => t.transport).join(', ');
  const extra: Array<[string, string]> = [['techniques', techniques === '' ? NOTHING : techniques]];
  if (result.repeat > 1) extra.push(['repetitions', formatInteger(result.repeat)]);
  return page(runTitle(scenario), [
    `<header><h1>${esc(runTitle(scenario))}</h1><p class="lede">${esc(scenario.description)}</p>${noteOf(shardNote(result))}</header>`,
    banner(calibrationNote(result)) + banner(abortNote(result)),
    summary(
      scenarioFacts(scenario, extra),
      environmentFacts(result.environment, result.tool, result.startedAt, result.finishedAt),
    ),
    ...proxySection(result),
    ...(result.transports.length === 0
      ? ['<h2>Side by side</h2><p>No technique completed.</p>']
      : namesServers(result)
        ? byServer(result)
        : [
            runTable(result),
            ...thresholdsSection(result.thresholds),
            findingsSection(findingsByServer(result)),
            latencySection(result),
            costSection(result),
            modelSection(result),
          ]),
    caveatList(
      runCaveats(result),
      result.aborted
        ? 'The run did not finish: see the note at the top.'
        : 'None: every technique ran its full window with no loss, no errors and an unsaturated load generator.',
    ),
    footer(result),
  ]);
}
