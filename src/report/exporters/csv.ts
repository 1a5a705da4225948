/*
 * CSV in long form: one row per technique per figure, so a spreadsheet or a data frame can
 * pivot it any way. Values are written at full precision; booleans as 1 / 0. Units are
 * ASCII (`us`, not `µs`) so spreadsheets that assume a legacy code page read them intact.
 */
import type { RunResult, TransportResult } from '../../document/result.js';
import { serverOf, serversOf } from '../servers.js';
import type { SweepPoint, SweepResult } from '../../document/sweep.js';

/** Not figures: names, encoded histograms, free text, nested results. */
const LEFT_OUT = new Set(['transport', 'latencyHistogram', 'connectHistogram', 'errorSamples', 'repetitions']);

const UNITS: Record<string, string> = {
  partial: 'bool',
  'clients.requested': 'clients',
  'clients.connected': 'clients',
  'clients.failed': 'clients',
  windowSeconds: 's',
  'published.total': 'messages',
  'published.inWindow': 'messages',
  'published.failed': 'messages',
  'delivery.throughputPerSecond': 'msg/s',
  'requests.perMessage': 'requests/msg',
  'bytes.inWindow': 'B',
  'bytes.perMessage': 'B/msg',
  'bytes.payloadPerMessage': 'B/msg',
  'bytes.overheadRatio': 'x',
  'bytes.wire.messageExchanges': 'exchanges',
  'bytes.wire.messageHeadBytes': 'B',
  'bytes.wire.emptyExchanges': 'exchanges',
  'bytes.wire.emptyHeadBytes': 'B',
  'bytes.wire.envelopes': 'envelopes',
  'bytes.wire.envelopeBytes': 'B',
  'bytes.wire.otherBytes': 'B',
  'bytes.wire.h200': 'B',
  'bytes.wire.h204': 'B',
  'bytes.wire.e': 'B',
  'server.cpuSeconds': 's',
  'server.cpuMicrosPerMessage': 'us/msg',
  'server.idleRssBytes': 'B',
  'server.connectedRssBytes': 'B',
  'server.peakRssBytes': 'B',
  'server.rssPerConnectionBytes': 'B/conn',
  'generator.eventLoopDelayP99Ms': 'ms',
  'generator.eventLoopDelayMaxMs': 'ms',
  'generator.stalledShare': 'fraction',
  'generator.cpuUtilization': 'cores',
  'generator.bound': 'bool',
  'headroom.ceilingPerSecond': 'requests/s',
  'headroom.requestsPerSecond': 'requests/s',
  'headroom.ratio': 'fraction',
};

/** By the group a figure sits in, when the figure itself is not in UNITS. */
const GROUP_UNITS: Record<string, string> = { delivery: 'copies', requests: 'requests', latency: 'ms', connect: 'ms' };

function unitOf(figure: string): string {
  if (figure === 'latency.count') return 'copies';
  if (figure === 'connect.count') return 'clients';
  return UNITS[figure] ?? GROUP_UNITS[figure.split('.')[0]!] ?? '';
}

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** A figure as a cell: booleans as 1/0, a figure not measured (null) as an empty cell. */
function csvValue(value: number | boolean | null): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  return value !== null && Number.isFinite(value) ? String(value) : '';
}

/** Every numeric (and boolean) figure of one technique's result, by dotted name, in document order. */
export function flattenFigures(result: TransportResult): Array<[figure: string, value: number | boolean | null]> {
  const figures: Array<[string, number | boolean | null]> = [];
  const walk = (node: object, prefix: string): void => {
    for (const [key, value] of Object.entries(node)) {
      const name = `${prefix}${key}`;
      if (prefix === '' && LEFT_OUT.has(key)) continue;
      if (value === null || typeof value === 'number' || typeof value === 'boolean') figures.push([name, value]);
      else if (value !== null && typeof value === 'object' && !Array.isArray(value)) walk(value as object, `${name}.`);
    }
  };
  walk(result, '');
  return figures;
}

/** A `server` column leads when the run measured another server than the reference one. */
export function serialize(result: RunResult): string {
  const repeated = result.transports.some((t) => (t.repetitions?.length ?? 0) > 0);
  const servers = serversOf(result);
  const named = servers.length > 1 || servers.some((server) => server !== 'reference');
  const rows = (t: TransportResult, technique: string, repetition: string): string[] =>
    flattenFigures(t).map(([figure, value]) => {
      const fields = [...(named ? [serverOf(t)] : []), technique, figure, csvValue(value), unitOf(figure)];
      return csvLine(repeated ? [...fields, repetition] : fields);
    });
  const header = [
    ...(named ? ['server'] : []),
    'technique',
    'figure',
    'value',
    'unit',
    ...(repeated ? ['repetition'] : []),
  ];
  const lines = [csvLine(header)];
  for (const t of result.transports) {
    lines.push(...rows(t, t.transport, ''));
    (t.repetitions ?? []).forEach((repetition, i) => {
      lines.push(...rows(repetition, t.transport, String(i + 1)));
    });
  }
  return lines.join('');
}

const SWEEP_UNITS: Record<Exclude<keyof SweepPoint, 'value'>, string> = {
  throughputPerSecond: 'msg/s',
  latencyP50Ms: 'ms',
  latencyP99Ms: 'ms',
  lost: 'copies',
  partial: 'bool',
  requestsPerSecond: 'requests/s',
  bytesPerMessage: 'B/msg',
  serverCpuMicrosPerMessage: 'us/msg',
  serverCpuPercent: '% of a core',
  peakRssBytes: 'B',
  rssPerConnectionBytes: 'B/conn',
  generatorBound: 'bool',
};

export function serializeSweep(sweep: SweepResult): string {
  const lines = [csvLine(['technique', 'parameter', 'value', 'figure', 'result', 'unit'])];
  const figures = Object.keys(SWEEP_UNITS) as Array<keyof typeof SWEEP_UNITS>;
  for (const [technique, points] of Object.entries(sweep.series)) {
    for (const point of points ?? []) {
      for (const figure of figures) {
        lines.push(
          csvLine([
            technique,
            sweep.parameter,
            String(point.value),
            figure,
            csvValue(point[figure]),
            SWEEP_UNITS[figure],
          ]),
        );
      }
    }
  }
  return lines.join('');
}
