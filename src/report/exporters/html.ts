import { decodeHistogram } from '../../core/histogram.js';
import { formatDuration } from '../../scenario/duration.js';
import type { Scenario } from '../../document/scenario.js';
import { abortNote, problems, shardNote } from '../caveats.js';
import { describeDate, describeSweepValue, formatDeviation, formatModelValue } from '../describe.js';
import { runFindings, sweepFindings } from '../findings.js';
import { formatBytes, formatFigure, formatInteger, formatMs, formatTrimmed, formatYesNo } from '../format.js';
import { modelChecks } from '../model.js';
import type { Environment, RunResult, TransportResult } from '../../document/result.js';
import { KEY_FIGURES, NOTHING, rowsFor, spread, type KeyFigure } from '../rows.js';
import type { SweepPoint, SweepResult } from '../../document/sweep.js';
import { barChart } from '../svg/bar-chart.js';
import { escapeXml as esc } from '../svg/escape.js';
import { lineChart, type LineSeries } from '../svg/line-chart.js';
import { seriesStyle } from '../svg/palette.js';
import type { Tick } from '../svg/ticks.js';
import { envelopeBytes, HTTP_EXCHANGE_BYTES, MODEL_TOLERANCE, type ModelCheck } from '../../transports/model.js';

/*
 * One self-contained page per run or sweep: inline CSS and SVG, no script, no URL to fetch.
 * Every text that comes from the document passes through `esc`.
 */

const CSS = `
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;background:#f5f6f8;color:#1f2328;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
main{max-width:1140px;margin:0 auto;padding:28px 24px 48px}
h1{font-size:26px;line-height:1.25;margin:0 0 4px}
h2{font-size:19px;margin:36px 0 12px;padding-bottom:4px;border-bottom:1px solid #d8dce1}
h3{font-size:15px;margin:18px 0 6px}
p{margin:6px 0}
.lede{color:#3d434a;margin:0}
.meta,.note,figcaption{color:#59616b;font-size:13px}
.banner{background:#fff4e0;border:1px solid #e8a33d;border-radius:6px;padding:10px 14px;margin:18px 0 0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(340px,100%),1fr));gap:16px}
.card,figure{background:#fff;border:1px solid #e0e3e8;border-radius:8px;padding:14px 16px;margin:0}
.card h3{margin-top:0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px;margin:0;font-size:14px}
dt{color:#59616b}
dd{margin:0}
.scroll{overflow-x:auto}
table{border-collapse:collapse;background:#fff;font-size:14px;font-variant-numeric:tabular-nums;border:1px solid #e0e3e8}
th,td{padding:5px 12px;text-align:right;vertical-align:top;border-bottom:1px solid #eceef1}
th:first-child,td:first-child{text-align:left}
thead th{background:#f0f2f5;border-bottom:1px solid #cfd4da;white-space:nowrap}
tbody tr:nth-child(even){background:#fafbfc}
th.text,td.text{text-align:left}
tr.group th{background:#f3f5f7;text-align:left;font-weight:600;border-top:1px solid #cfd4da}
tbody.group{border-top:1px solid #cfd4da}
tbody.group tr{background:#fff}
table.full{width:100%}
.swatch-name{white-space:nowrap}
table.dense{font-size:13px}
table.dense th,table.dense td{padding:4px 8px}
table.dense td{text-align:right}
table.dense thead th{white-space:normal;vertical-align:bottom}
footer{margin-top:40px;color:#59616b;font-size:12px}
.range{display:block;color:#6a727c;font-size:12px;white-space:nowrap}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:baseline}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(460px,100%),1fr));gap:16px}
svg.chart{display:block;max-width:100%;height:auto}
figcaption{margin-top:8px}
.flag{color:#b3261e;font-weight:600}
.caveats li{margin:4px 0}
.findings li{margin:4px 0}
code{font-size:13px}
`;

function footer(document: { schema: string; tool: { version: string } }): string {
  return `<footer>Rendered by im-bench ${esc(document.tool.version)} from a <code>${esc(document.schema)}</code> document; the JSON holds every figure and the HDR histograms.</footer>`;
}

function page(title: string, body: string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body><main>',
    ...body,
    '</main></body>',
    '</html>',
    '',
  ].join('\n');
}

// ─── shared pieces ────────────────────────────────────────────────────────────

function swatch(technique: string): string {
  return `<span class="swatch-name"><span class="swatch" style="background:${seriesStyle(technique).colour}"></span>${esc(technique)}</span>`;
}

function definitions(entries: ReadonlyArray<readonly [string, string]>): string {
  return `<dl>${entries.map(([term, value]) => `<dt>${esc(term)}</dt><dd>${esc(value)}</dd>`).join('')}</dl>`;
}

function figure(chart: string, caption = ''): string {
  return `<figure>${chart}${caption === '' ? '' : `<figcaption>${esc(caption)}</figcaption>`}</figure>`;
}

function environmentFacts(
  environment: Environment,
  tool: { version: string },
  startedAt: string,
  finishedAt: string,
): string {
  const { placement } = environment;
  return definitions([
    ['started', describeDate(startedAt, finishedAt)],
    ['im-bench', tool.version],
    ['Node.js', environment.node],
    ['OS', `${environment.os} (${environment.platform} ${environment.arch})`],
    [
      'CPU',
      `${environment.cpuModel}, ${formatInteger(environment.cores)} ${environment.cores === 1 ? 'core' : 'cores'}`,
    ],
    ['memory', `${formatFigure(environment.totalMemoryBytes / 2 ** 30)} GiB`],
    [
      'placement',
      placement === null ? 'not pinned' : `server on CPU ${placement.server}, generator on CPU ${placement.generator}`,
    ],
    ['git', environment.gitSha === null ? NOTHING : environment.gitSha.slice(0, 12)],
  ]);
}

/** The scenario's settings; `swept` replaces the varied field's single value by the sweep's list. */
function scenarioFacts(
  scenario: Scenario,
  extra: ReadonlyArray<readonly [string, string]>,
  swept?: { parameter: string; values: string },
): string {
  const value = (field: string, single: string, unit = ''): string =>
    `${swept?.parameter === field ? swept.values : single}${unit}${swept?.parameter === field ? ' (swept)' : ''}`;
  const publishing =
    `${value('rate', formatTrimmed(scenario.rate), ' msg/s')}, ${scenario.pattern}` +
    (scenario.pattern === 'burst' ? ` (bursts of ${formatInteger(scenario.burstSize)})` : '');
  return definitions([
    ['scenario', scenario.name],
    ['clients', value('clients', formatInteger(scenario.clients))],
    ['publishing', `${publishing}, ${scenario.publisher === 'clients' ? 'clients publish (chat)' : 'server fan-out'}`],
    ['payload', formatBytes(scenario.payloadBytes)],
    ['channels', formatInteger(scenario.channels)],
    [
      'timing',
      `ramp-up ${formatDuration(scenario.rampUpMs)}, warm-up ${formatDuration(scenario.warmupMs)}, measured ${formatDuration(scenario.durationMs)}, drain ${formatDuration(scenario.drainMs)}`,
    ],
    [
      'polling',
      `interval ${formatDuration(scenario.pollIntervalMs)}, long-poll timeout ${formatDuration(scenario.longPollTimeoutMs)}`,
    ],
    ['SSE', `retry ${formatDuration(scenario.sseRetryMs)}, ${scenario.sseClient} client`],
    ...extra,
  ]);
}

function summary(scenarioCard: string, environmentCard: string): string {
  return `<h2>Scenario and environment</h2><div class="cards"><section class="card"><h3>Scenario</h3>${scenarioCard}</section><section class="card"><h3>Environment</h3>${environmentCard}</section></div>`;
}

function caveatList(items: readonly string[], clean: string): string {
  return `<h2>Caveats</h2>${items.length === 0 ? `<p>${esc(clean)}</p>` : `<ul class="caveats">${items.map((item) => `<li>${esc(item)}</li>`).join('')}</ul>`}`;
}

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

/** Latency (ms) against −log10(1 − p/100), so each tick to the right is one more nine. */
function percentileCurve(t: TransportResult): LineSeries {
  if (t.latency.count === 0) return { name: t.transport, points: [] };
  const histogram = decodeHistogram(t.latencyHistogram);
  const points = [];
  for (let step = 0; step * NINES_STEP <= NINES_MAX + 1e-9; step++) {
    const nines = step * NINES_STEP;
    const percentile = 100 * (1 - 10 ** -nines);
    points.push({ x: nines, y: histogram.getValueAtPercentile(percentile) / 1000 });
  }
  return { name: t.transport, points };
}

function latencySection(result: RunResult): string {
  const chart = lineChart({
    title: 'Delivery latency by percentile',
    description:
      'For each technique, the delivery latency in milliseconds at percentiles from 0 to 99.99, on a log scale.',
    x: { title: 'percentile (each step one more nine)', ticks: PERCENTILE_TICKS },
    y: { title: 'latency (ms, log scale)', log: true },
    series: result.transports.map(percentileCurve),
    width: 1040,
    height: 440,
  });
  const repeated =
    result.repeat > 1 ? ' With repetitions, the curve is that of the repetition with the median p99.' : '';
  return `<h2>Latency</h2>${figure(chart, `Receive time minus scheduled publish time of every copy delivered in the window.${repeated}`)}`;
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
    perMessage: true,
  },
  {
    label: 'Bytes on the wire per message',
    axisTitle: 'bytes / message',
    value: (t) => t.bytes.perMessage,
    format: formatBytes,
    perMessage: true,
  },
  {
    label: 'Server CPU per message',
    axisTitle: 'µs / message',
    value: (t) => t.server.cpuMicrosPerMessage,
    format: formatFigure,
    perMessage: true,
  },
  {
    label: 'Server memory per connection',
    axisTitle: 'KiB of RSS / connection',
    value: (t) => t.server.rssPerConnectionBytes / 1024,
    format: (v) => `${formatFigure(v)} KiB`,
    perMessage: false,
  },
];

function costBars(result: RunResult, cost: Cost): string {
  const bars = result.transports.map((t) => ({
    name: t.transport,
    // A per-message figure means nothing when no message was delivered: no bar, not a flattering 0.
    value: cost.perMessage && t.delivery.deliveredInWindow === 0 ? Number.NaN : cost.value(t),
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

function deviation(check: ModelCheck): string {
  if (check.flagged) return `${formatDeviation(check.deviation)} ⚑`;
  return Math.abs(check.deviation) > MODEL_TOLERANCE
    ? `${formatDeviation(check.deviation)} (too small to judge)`
    : formatDeviation(check.deviation);
}

function modelRow(check: ModelCheck): string {
  return (
    `<tr${check.flagged ? ' class="flagged"' : ''}><th scope="row">${esc(check.figure)}</th><td class="text"><code>${esc(check.formula)}</code></td>` +
    `<td>${esc(formatModelValue(check.predicted, check.unit))}</td><td>${esc(formatModelValue(check.measured, check.unit))}</td>` +
    `<td${check.flagged ? ' class="flag"' : ''}>${esc(deviation(check))}</td></tr>`
  );
}

function modelSection(result: RunResult): string {
  const { scenario } = result;
  const notation =
    `C clients connected, W the window, I the poll interval (${formatDuration(scenario.pollIntervalMs)} here), ` +
    `T the long-poll timeout (${formatDuration(scenario.longPollTimeoutMs)}), λ messages per second on one channel (${formatTrimmed(scenario.rate / scenario.channels)}), ` +
    `E the bytes of one envelope (${formatBytes(envelopeBytes(scenario.payloadBytes))}), H the bytes of one HTTP exchange without its body (${formatBytes(HTTP_EXCHANGE_BYTES)}).`;
  const tolerance = `⚑ flagged: more than ${formatTrimmed(MODEL_TOLERANCE * 100, 0)} % from the prediction, so either the model or the run is telling something.`;
  const head =
    '<tr><th>figure</th><th class="text">formula</th><th>predicted</th><th>measured</th><th>deviation</th></tr>';
  const groups = result.transports.map(
    (t) =>
      `<tr class="group"><th colspan="5">${swatch(t.transport)}</th></tr>${modelChecks(t, scenario).map(modelRow).join('')}`,
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

function findingsSection(findings: readonly string[]): string {
  if (findings.length === 0) return '';
  return `<h2>What this shows</h2><ul class="findings">${findings.map((line) => `<li>${esc(line)}</li>`).join('')}</ul>`;
}

function noteOf(text: string | null): string {
  return text === null ? '' : `<p class="note">${esc(text)}</p>`;
}

function banner(text: string | null): string {
  return text === null ? '' : `<p class="banner">${esc(text)}</p>`;
}

export function serialize(result: RunResult): string {
  const { scenario } = result;
  const techniques = result.transports.map((t) => t.transport).join(', ');
  const extra: Array<[string, string]> = [['techniques', techniques === '' ? NOTHING : techniques]];
  if (result.repeat > 1) extra.push(['repetitions', formatInteger(result.repeat)]);
  return page(`im-bench: ${scenario.name}`, [
    `<header><h1>im-bench: ${esc(scenario.name)}</h1><p class="lede">${esc(scenario.description)}</p>${noteOf(shardNote(result))}</header>`,
    banner(abortNote(result)),
    summary(
      scenarioFacts(scenario, extra),
      environmentFacts(result.environment, result.tool, result.startedAt, result.finishedAt),
    ),
    ...(result.transports.length === 0
      ? ['<h2>Side by side</h2><p>No technique completed.</p>']
      : [
          runTable(result),
          findingsSection(runFindings(result)),
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

// ─── a sweep ──────────────────────────────────────────────────────────────────

const PARAMETER_NAMES: Record<SweepResult['parameter'], string> = { clients: 'clients', rate: 'publish rate' };
const PARAMETER_AXES: Record<SweepResult['parameter'], string> = { clients: 'clients', rate: 'publish rate (msg/s)' };
const MAX_VALUE_TICKS = 8;

/** Every technique's series, in the order the sweep ran them. */
function sweepSeries(sweep: SweepResult): Array<[string, SweepPoint[]]> {
  return Object.entries(sweep.series).filter((entry): entry is [string, SweepPoint[]] => entry[1] !== undefined);
}

/** A log axis once the values span 10× or more: a doubling then looks the same anywhere on it. */
function spansDecade(values: readonly number[]): boolean {
  const positive = values.filter((v) => v > 0);
  return (
    positive.length === values.length && positive.length > 1 && Math.max(...positive) / Math.min(...positive) >= 10
  );
}

function sweepChart(
  sweep: SweepResult,
  title: string,
  yTitle: string,
  value: (p: SweepPoint) => number,
  format: (v: number) => string,
  logY = false,
): string {
  const xTitle = PARAMETER_AXES[sweep.parameter];
  const values = [...new Set(sweepSeries(sweep).flatMap(([, points]) => points.map((p) => p.value)))];
  const series = sweepSeries(sweep).map(([name, points]) => ({
    name,
    points: points.map((p) => ({
      x: p.value,
      y: value(p),
      open: p.generatorBound,
      note: `${name} at ${describeSweepValue(sweep.parameter, p.value)}: ${format(value(p))}${p.generatorBound ? ' (generator-bound)' : ''}`,
    })),
  }));
  const ticks =
    values.length <= MAX_VALUE_TICKS ? values.map((v) => ({ value: v, label: formatTrimmed(v) })) : undefined;
  const chart = lineChart({
    title,
    description: `${title}: one line per technique, ${yTitle} against ${xTitle}.`,
    x: { title: `${xTitle}${spansDecade(values) ? ', log scale' : ''}`, log: spansDecade(values), ticks },
    y: { title: `${yTitle}${logY ? ', log scale' : ''}`, log: logY },
    series,
    markers: true,
    width: 500,
    height: 330,
  });
  return figure(chart);
}

function sweepCharts(sweep: SweepResult): string {
  const p99 = sweepSeries(sweep).flatMap(([, points]) => points.map((p) => p.latencyP99Ms));
  const by = PARAMETER_NAMES[sweep.parameter];
  const charts = [
    sweepChart(
      sweep,
      `p99 latency by ${by}`,
      'ms',
      (p) => p.latencyP99Ms,
      (v) => `${formatMs(v)} ms`,
      spansDecade(p99),
    ),
    sweepChart(
      sweep,
      `Server CPU by ${by}`,
      '% of one core',
      (p) => p.serverCpuPercent,
      (v) => `${formatFigure(v)} %`,
    ),
    sweepChart(
      sweep,
      `Server memory per connection by ${by}`,
      'KiB of RSS / connection',
      (p) => p.rssPerConnectionBytes / 1024,
      (v) => `${formatFigure(v)} KiB`,
    ),
    sweepChart(sweep, `Requests per second by ${by}`, 'requests / s', (p) => p.requestsPerSecond, formatFigure),
  ];
  const bound = sweepSeries(sweep).some(([, points]) => points.some((p) => p.generatorBound));
  const note = bound
    ? '<p class="note">Hollow markers: points measured while the load generator was saturated.</p>'
    : '';
  return `<h2>Curves</h2>${note}<div class="charts">${charts.join('')}</div>`;
}

const SWEEP_COLUMNS: ReadonlyArray<readonly [string, (p: SweepPoint) => string]> = [
  ['delivered msg/s', (p) => formatFigure(p.throughputPerSecond)],
  ['p50 (ms)', (p) => formatMs(p.latencyP50Ms)],
  ['p99 (ms)', (p) => formatMs(p.latencyP99Ms)],
  ['lost', (p) => formatInteger(p.lost)],
  ['requests / s', (p) => formatFigure(p.requestsPerSecond)],
  ['bytes / msg', (p) => formatBytes(p.bytesPerMessage)],
  ['server CPU %', (p) => formatFigure(p.serverCpuPercent)],
  ['CPU µs / msg', (p) => formatFigure(p.serverCpuMicrosPerMessage)],
  ['RSS / conn (KiB)', (p) => formatFigure(p.rssPerConnectionBytes / 1024)],
  ['generator-bound', (p) => formatYesNo(p.generatorBound)],
];

/** Keeps a unit with its number or its slash when a narrow header wraps: `requests / s` never ends a line with `/`. */
function unbroken(label: string): string {
  return label.replace(/ ([/%])/g, '\u00a0$1').replace(/\/ /g, '/\u00a0');
}

/** One row per point, grouped by technique. */
function sweepTable(sweep: SweepResult): string {
  const head = `<tr><th class="text">technique</th><th>${esc(PARAMETER_AXES[sweep.parameter])}</th>${SWEEP_COLUMNS.map(([label]) => `<th>${esc(unbroken(label))}</th>`).join('')}</tr>`;
  const groups = sweepSeries(sweep).map(([name, points]) => {
    const rows = points.map((point, i) => {
      const technique = i === 0 ? `<th scope="rowgroup" rowspan="${points.length}">${swatch(name)}</th>` : '';
      return `<tr>${technique}<td>${esc(formatTrimmed(point.value))}</td>${SWEEP_COLUMNS.map(([, cell]) => `<td>${esc(cell(point))}</td>`).join('')}</tr>`;
    });
    return `<tbody class="group">${rows.join('')}</tbody>`;
  });
  return `<h2>Figures at each value</h2><div class="scroll"><table class="full dense"><thead>${head}</thead>${groups.join('')}</table></div>`;
}

function sweepCaveats(sweep: SweepResult): string[] {
  const items: string[] = [];
  for (const [name, points] of sweepSeries(sweep)) {
    const at = (point: SweepPoint): string => describeSweepValue(sweep.parameter, point.value);
    const bound = points.filter((p) => p.generatorBound);
    if (bound.length > 0)
      items.push(
        `${name}: generator-bound at ${bound.map(at).join(', ')}; its latencies there describe the load generator, not the server.`,
      );
    const lossy = points.filter((p) => p.lost > 0);
    if (lossy.length > 0)
      items.push(`${name}: ${lossy.map((p) => `${formatInteger(p.lost)} copies lost at ${at(p)}`).join(', ')}.`);
  }
  return items;
}

export function serializeSweep(sweep: SweepResult): string {
  const { scenario } = sweep;
  const values = sweep.values.map((v) => formatTrimmed(v)).join(', ');
  const by = PARAMETER_NAMES[sweep.parameter];
  return page(`im-bench sweep: ${scenario.name} by ${by}`, [
    `<header><h1>im-bench sweep: ${esc(scenario.name)} by ${esc(by)}</h1><p class="lede">${esc(scenario.description)}</p>` +
      `<p class="meta">${esc(`${PARAMETER_AXES[sweep.parameter]}: ${values}`)}</p></header>`,
    banner(
      sweep.aborted
        ? `Aborted: the curves cover ${formatInteger(sweep.runs.length)} of ${formatInteger(sweep.values.length)} values; points from a shortened window are marked partial in the table.`
        : null,
    ),
    summary(
      scenarioFacts(
        scenario,
        [
          [
            'techniques',
            sweepSeries(sweep)
              .map(([name]) => name)
              .join(', ') || NOTHING,
          ],
        ],
        { parameter: sweep.parameter, values },
      ),
      environmentFacts(sweep.environment, sweep.tool, sweep.startedAt, sweep.finishedAt),
    ),
    findingsSection(sweepFindings(sweep)),
    sweepCharts(sweep),
    sweepTable(sweep),
    caveatList(sweepCaveats(sweep), 'None: no point lost a copy or saturated the load generator.'),
    footer(sweep),
  ]);
}
