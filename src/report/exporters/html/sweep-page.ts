import { describeSweepValue } from '../../describe.js';
import { sweepFindings } from '../../findings.js';
import { formatBytes, formatFigure, formatInteger, formatMs, formatTrimmed, formatYesNo } from '../../format.js';
import { kibibytes, NOTHING } from '../../rows.js';
import type { SweepPoint, SweepResult } from '../../../document/sweep.js';
import { RSS_NOISE_NOTE, rssCell, rssNoiseExplained, rssPerConnectionIsNoise } from '../../rss-noise.js';
import { escapeXml as esc } from '../../svg/escape.js';
import { lineChart } from '../../svg/line-chart.js';
import {
  banner,
  caveatList,
  environmentFacts,
  figure,
  findingsSection,
  footer,
  page,
  scenarioFacts,
  summary,
  swatch,
} from './page.js';

// ─── a sweep ──────────────────────────────────────────────────────────────────

const PARAMETER_NAMES: Record<SweepResult['parameter'], string> = { clients: 'clients', rate: 'publish rate' };
const PARAMETER_AXES: Record<SweepResult['parameter'], string> = { clients: 'clients', rate: 'publish rate (msg/s)' };
const MAX_VALUE_TICKS = 8;

/** Every technique's series, in the order the sweep ran them. */
function sweepSeries(sweep: SweepResult): Array<[string, SweepPoint[]]> {
  return Object.entries(sweep.series).filter((entry): entry is [string, SweepPoint[]] => entry[1] !== undefined);
}

/** A log axis once the values span 10× or more: a doubling then looks the same anywhere on it. */
function spansDecade(values: ReadonlyArray<number | null>): boolean {
  const positive = values.filter((v): v is number => v !== null && v > 0);
  return (
    positive.length === values.length && positive.length > 1 && Math.max(...positive) / Math.min(...positive) >= 10
  );
}

function sweepChart(
  sweep: SweepResult,
  title: string,
  yTitle: string,
  value: (p: SweepPoint) => number | null,
  format: (v: number | null) => string,
  logY = false,
  noise: (p: SweepPoint) => boolean = () => false,
): string {
  const xTitle = PARAMETER_AXES[sweep.parameter];
  const values = [...new Set(sweepSeries(sweep).flatMap(([, points]) => points.map((p) => p.value)))];
  const series = sweepSeries(sweep).map(([name, points]) => ({
    name,
    // A value that was not measured (null) leaves no point, never one at 0.
    points: points.map((p) => {
      const noisy = noise(p);
      return {
        x: p.value,
        y: value(p) ?? Number.NaN,
        open: p.generatorBound || noisy,
        detached: noisy,
        note: `${name} at ${describeSweepValue(sweep.parameter, p.value)}: ${format(value(p))}${p.generatorBound ? ' (generator-bound)' : ''}${noisy ? ` (${RSS_NOISE_NOTE})` : ''}`,
      };
    }),
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
      (v) => (v === null ? NOTHING : `${formatMs(v)} ms`),
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
      (p) => kibibytes(p.rssPerConnectionBytes),
      (v) => (v === null ? NOTHING : `${formatFigure(v)} KiB`),
      false,
      (p) => rssPerConnectionIsNoise(sweep, p),
    ),
    sweepChart(sweep, `Requests per second by ${by}`, 'requests / s', (p) => p.requestsPerSecond, formatFigure),
  ];
  const bound = sweepSeries(sweep).some(([, points]) => points.some((p) => p.generatorBound));
  const noise = rssNoiseExplained(sweep);
  const notes = [
    bound ? 'Hollow markers: points measured while the load generator was saturated.' : '',
    noise === null ? '' : `Hollow markers off the memory line: ${noise}`,
  ].filter((text) => text !== '');
  const note = notes.map((text) => `<p class="note">${esc(text)}</p>`).join('');
  return `<h2>Curves</h2>${note}<div class="charts">${charts.join('')}</div>`;
}

const SWEEP_COLUMNS: ReadonlyArray<readonly [string, (p: SweepPoint, sweep: SweepResult) => string]> = [
  ['delivered msg/s', (p) => formatFigure(p.throughputPerSecond)],
  ['p50 (ms)', (p) => formatMs(p.latencyP50Ms)],
  ['p99 (ms)', (p) => formatMs(p.latencyP99Ms)],
  ['lost', (p) => formatInteger(p.lost)],
  ['requests / s', (p) => formatFigure(p.requestsPerSecond)],
  ['bytes / msg', (p) => formatBytes(p.bytesPerMessage)],
  ['server CPU %', (p) => formatFigure(p.serverCpuPercent)],
  ['CPU µs / msg', (p) => formatFigure(p.serverCpuMicrosPerMessage)],
  ['RSS / conn (KiB)', (p, sweep) => rssCell(p, sweep)],
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
      return `<tr>${technique}<td>${esc(formatTrimmed(point.value))}</td>${SWEEP_COLUMNS.map(([, cell]) => `<td>${esc(cell(point, sweep))}</td>`).join('')}</tr>`;
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
