import Table from 'cli-table3';
import {
  formatBytes,
  formatFigure,
  formatInteger,
  formatMs,
  formatRatio,
  formatTrimmed,
  formatYesNo,
} from '../format.js';
import { formatDuration } from '../../scenario/duration.js';
import type { RunResult, TransportResult } from '../result.js';
import type { Scenario } from '../../scenario/types.js';

type Row = readonly [label: string, cell: (t: TransportResult) => string];

const NOTHING = '–';

/** A per-message figure means nothing when no message was delivered: shown as "–", not as a flattering 0. */
function perMessage(format: (t: TransportResult) => string): (t: TransportResult) => string {
  return (t) => (t.delivery.deliveredInWindow > 0 ? format(t) : NOTHING);
}

const ROWS: readonly Row[] = [
  ['delivered msg/s', (t) => formatFigure(t.delivery.throughputPerSecond)],
  ['latency p50 (ms)', (t) => formatMs(t.latency.p50)],
  ['latency p90 (ms)', (t) => formatMs(t.latency.p90)],
  ['latency p99 (ms)', (t) => formatMs(t.latency.p99)],
  ['latency max (ms)', (t) => formatMs(t.latency.max)],
  ['lost / dup', (t) => `${formatInteger(t.delivery.lost)} / ${formatInteger(t.delivery.duplicated)}`],
  ['requests (in window)', (t) => formatInteger(t.requests.inWindow)],
  ['requests / msg', perMessage((t) => formatFigure(t.requests.perMessage))],
  ['empty responses', (t) => formatInteger(t.requests.empty)],
  ['bytes / msg (× payload)', perMessage((t) => `${formatBytes(t.bytes.perMessage)} (${formatRatio(t.bytes.overheadRatio)})`)],
  ['server CPU µs / msg', perMessage((t) => formatFigure(t.server.cpuMicrosPerMessage))],
  ['server RSS / conn (KiB)', (t) => formatFigure(t.server.rssPerConnectionBytes / 1024)],
  ['connect p99 (ms)', (t) => formatMs(t.connect.p99)],
  ['generator-bound', (t) => formatYesNo(t.generator.bound)],
];

export function serialize(result: RunResult): string {
  const table = new Table({
    head: ['', ...result.transports.map((t) => t.transport)],
    colAligns: ['left', ...result.transports.map(() => 'right' as const)],
    style: { head: [], border: [], compact: true },
  });
  for (const [label, cell] of ROWS) table.push([label, ...result.transports.map(cell)]);

  const lines = [describeScenario(result.scenario)];
  if (result.aborted) {
    const cut = result.transports.find((t) => t.partial);
    lines.push(
      cut === undefined
        ? 'Aborted: the figures cover only the techniques completed before the interruption.'
        : `Aborted: ${cut.transport} was stopped ${formatTrimmed(cut.windowSeconds, 1)} s into its window; techniques after it did not run.`,
    );
  }
  lines.push(table.toString());
  for (const transport of result.transports) {
    const warning = describeProblems(transport);
    if (warning !== null) lines.push(warning);
  }
  return `${lines.join('\n')}\n`;
}

function describeScenario(scenario: Scenario): string {
  const rate = `${formatTrimmed(scenario.rate)} msg/s ${scenario.pattern}`;
  const settings = [
    `${formatInteger(scenario.clients)} clients`,
    scenario.pattern === 'burst' ? `${rate} (bursts of ${formatInteger(scenario.burstSize)})` : rate,
    `${formatBytes(scenario.payloadBytes)} payload`,
    `${formatDuration(scenario.durationMs)} measured`,
  ];
  if (scenario.channels > 1) settings.push(`${formatInteger(scenario.channels)} channels`);
  if (scenario.publisher === 'clients') settings.push('clients publish');
  return `Scenario ${scenario.name}: ${settings.join(', ')}`;
}

/** One line for a technique whose figures need a caveat, or null when they need none. */
function describeProblems(t: TransportResult): string | null {
  const problems: string[] = [];
  if (t.generator.bound) {
    problems.push(
      `generator-bound (event-loop delay p99 ${formatMs(t.generator.eventLoopDelayP99Ms)} ms, ` +
        `CPU ${formatTrimmed(t.generator.cpuUtilization * 100, 0)} % of a core): its latencies describe the load generator, not the server`,
    );
  }
  if (t.published.failed > 0) problems.push(`${formatInteger(t.published.failed)} publishes failed (not counted as lost)`);
  if (t.delivery.lost > 0) {
    problems.push(`${formatInteger(t.delivery.lost)} of ${formatInteger(t.delivery.expected)} copies lost`);
  }
  if (t.requests.errors > 0) {
    const sample = t.errorSamples[0];
    const errors = `${formatInteger(t.requests.errors)} ${t.requests.errors === 1 ? 'error' : 'errors'}`;
    problems.push(sample === undefined ? errors : `${errors} (first: ${sample})`);
  }
  return problems.length === 0 ? null : `${t.transport}: ${problems.join('; ')}`;
}
