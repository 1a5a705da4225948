import Table from 'cli-table3';
import { formatDuration } from '../../scenario/duration.js';
import {
  SATURATED_CPU,
  type CapacityMeasurement,
  type CapacityResult,
  type Saturation,
} from '../../document/capacity.js';
import { formatFigure, formatInteger, formatMs, formatTrimmed } from '../format.js';

type Row = readonly [label: string, cell: (m: CapacityMeasurement) => string];

const ROWS: readonly Row[] = [
  ['requests/s (ceiling)', (m) => formatInteger(m.requests.perSecond)],
  ['1 s samples min–max', (m) => `${formatInteger(m.requests.samples.min)}–${formatInteger(m.requests.samples.max)}`],
  ['1 s samples stddev', (m) => formatInteger(m.requests.samples.stddev)],
  ['latency p50 (ms)', (m) => formatMs(m.latency.p50)],
  ['latency p99 (ms)', (m) => formatMs(m.latency.p99)],
  ['errors / non-2xx', (m) => `${formatInteger(m.requests.errors)} / ${formatInteger(m.requests.non2xx)}`],
  ['server CPU (% of a core)', (m) => formatFigure(m.server.cpuUtilization * 100)],
  ['generator CPU (% of a core)', (m) => formatFigure(m.generator.cpuUtilization * 100)],
  ['saturated', (m) => m.saturated],
];

function describeAnswer(m: CapacityMeasurement): string {
  const carried =
    m.answer.messages === 0
      ? 'nothing new'
      : `${formatInteger(m.answer.messages)} ${m.answer.messages === 1 ? 'message' : 'messages'}`;
  return `${m.transport}: ${m.request} → ${m.answer.status}, ${carried}`;
}

const SATURATION_NOTES: Record<Exclude<Saturation, 'server'>, string> = {
  generator: "the generator saturated before the server did: the server's ceiling is higher than this",
  both: "the generator saturated too: the ceiling may be the generator's",
  neither:
    `neither process reached ${formatTrimmed(SATURATED_CPU * 100)} % of a core: the limit was elsewhere (the kernel's loopback work, ` +
    "other load on the machine, or too few --connections), so the server's ceiling may be higher",
};

/** What the saturation says about the figures, one line per kind: only a saturated server makes them the server's ceiling. */
export function describeSaturation(techniques: readonly CapacityMeasurement[]): string[] {
  return (Object.keys(SATURATION_NOTES) as Array<keyof typeof SATURATION_NOTES>).flatMap((kind) => {
    const which = techniques.filter((m) => m.saturated === kind).map((m) => m.transport);
    return which.length === 0 ? [] : [`${which.join(' and ')}: ${SATURATION_NOTES[kind]}`];
  });
}

function describeProblems(m: CapacityMeasurement): string | null {
  const found: string[] = [];
  if (m.partial) found.push(`stopped after ${formatTrimmed(m.durationSeconds, 1)} s`);
  if (m.requests.errors > 0 || m.requests.non2xx > 0) {
    found.push(
      `${formatInteger(m.requests.errors)} errors and ${formatInteger(m.requests.non2xx)} answers outside 2xx: not the ceiling of answered polls`,
    );
  }
  return found.length === 0 ? null : `${m.transport}: ${found.join('; ')}`;
}

export function serializeCapacityTable(result: CapacityResult): string {
  const { settings, environment } = result;
  const placement =
    environment.placement === null
      ? 'not pinned'
      : `server on CPU ${environment.placement.server}, generator on CPU ${environment.placement.generator}`;
  const warmup = settings.warmupMs > 0 ? ` after ${formatDuration(settings.warmupMs)} of warm-up` : '';
  const lines = [
    `Capacity of the reference server's polling endpoints: ${formatInteger(settings.connections)} connections, ` +
      `${formatDuration(settings.durationMs)} measured${warmup} (${placement})`,
  ];
  if (result.aborted) lines.push('Aborted: the figures cover what was measured before it stopped.');
  if (result.techniques.length === 0) return `${[...lines, 'No technique was measured.'].join('\n')}\n`;
  const table = new Table({
    head: ['', ...result.techniques.map((m) => m.transport)],
    colAligns: ['left', ...result.techniques.map(() => 'right' as const)],
    style: { head: [], border: [], compact: true },
  });
  for (const [label, cell] of ROWS) table.push([label, ...result.techniques.map(cell)]);
  lines.push(table.toString());
  lines.push(...result.techniques.map(describeAnswer));
  lines.push(...describeSaturation(result.techniques));
  for (const m of result.techniques) {
    const problems = describeProblems(m);
    if (problems !== null) lines.push(problems);
  }
  return `${lines.join('\n')}\n`;
}
