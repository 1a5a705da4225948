import {
  formatBytes,
  formatFigure,
  formatInteger,
  formatMs,
  formatPercent,
  formatRatio,
  formatYesNo,
} from './format.js';
import { worstDuplicated, worstLost } from '../document/repetitions.js';
import type { TransportResult } from '../document/result.js';

/** One row of a side-by-side table: its label and how one technique's cell reads. */
export type Row = readonly [label: string, cell: (t: TransportResult) => string];

export const NOTHING = '–';

/** A server figure im-bench could not read (a profile's server whose processes it cannot see). */
export const NOT_MEASURED = 'not measured';

/** A server figure's cell: "not measured" when its source gave none, else as `format` reads it. */
export function serverCell(
  t: TransportResult,
  figure: number | null,
  format: (value: number | null) => string,
): string {
  return t.server.cpuSeconds === null && t.server.idleRssBytes === null ? NOT_MEASURED : format(figure);
}

/** Bytes with their multiple of the payload: `412 B (4.1×)`; "–" when not measured. */
function bytesWithRatio(t: TransportResult): string {
  if (t.bytes.perMessage === null) return NOTHING;
  return t.bytes.overheadRatio === null
    ? formatBytes(t.bytes.perMessage)
    : `${formatBytes(t.bytes.perMessage)} (${formatRatio(t.bytes.overheadRatio)})`;
}

/** Bytes in KiB, null (not measured) staying null. */
export function kibibytes(bytes: number | null): number | null {
  return bytes === null ? null : bytes / 1024;
}

function mebibytes(bytes: number | null): number | null {
  return bytes === null ? null : bytes / 1024 / 1024;
}

/** The rows of the side-by-side table, shared by the terminal table and the Markdown report. */
export const ROWS: readonly Row[] = [
  ['delivered msg/s', (t) => formatFigure(t.delivery.throughputPerSecond)],
  ['latency p50 (ms)', (t) => formatMs(t.latency.p50)],
  ['latency p90 (ms)', (t) => formatMs(t.latency.p90)],
  ['latency p99 (ms)', (t) => formatMs(t.latency.p99)],
  ['latency max (ms)', (t) => formatMs(t.latency.max)],
  // With repetitions, the worst one: a loss in any repetition is a bug.
  ['lost / dup', (t) => `${formatInteger(worstLost(t))} / ${formatInteger(worstDuplicated(t))}`],
  ['requests (in window)', (t) => formatInteger(t.requests.inWindow)],
  ['requests / msg', (t) => formatFigure(t.requests.perMessage)],
  ['empty responses', (t) => formatInteger(t.requests.empty)],
  ['bytes / msg (× payload)', (t) => bytesWithRatio(t)],
  ['server CPU µs / msg', (t) => serverCell(t, t.server.cpuMicrosPerMessage, formatFigure)],
  ['server RSS / conn (KiB)', (t) => serverCell(t, kibibytes(t.server.rssPerConnectionBytes), formatFigure)],
  ['connect p99 (ms)', (t) => formatMs(t.connect.p99)],
  ['generator-bound', (t) => formatYesNo(t.generator.bound)],
];

/** What a fault did, when the scenario struck one (`--fault`). */
export const FAULT_ROWS: readonly Row[] = [
  ['fault', (t) => (t.fault === undefined ? NOTHING : `${t.fault.kind} at ${formatFigure(t.fault.atSeconds)} s`)],
  [
    'clients hit / heard again',
    (t) =>
      t.fault === undefined
        ? NOTHING
        : t.fault.kind === 'slow'
          ? `${formatInteger(t.fault.affectedClients)} / –`
          : `${formatInteger(t.fault.affectedClients)} / ${formatInteger(t.fault.recoveredClients)}`,
  ],
  [
    'recovery p50 / p99 (ms)',
    (t) =>
      t.fault === undefined || t.fault.recovery.count === 0
        ? NOTHING
        : `${formatMs(t.fault.recovery.p50)} / ${formatMs(t.fault.recovery.p99)}`,
  ],
  ['reconnects', (t) => formatInteger(t.requests.reconnects)],
  ['shed by the server', (t) => (t.fault === undefined ? NOTHING : formatInteger(t.fault.shed))],
  ['server peak RSS (MiB)', (t) => serverCell(t, mebibytes(t.server.peakRssBytes), formatFigure)],
];

/** A polling technique's requests per second as a share of the server's ceiling for them (`run --capacity`). */
export const HEADROOM_ROW: Row = [
  'share of poll ceiling',
  (t) =>
    t.headroom === undefined
      ? NOTHING
      : `${formatPercent(t.headroom.ratio)} of ${formatInteger(t.headroom.ceilingPerSecond)}/s`,
];

/** With clients sharing HTTP/2 connections: the window's bytes per connection, and how many. */
export const PER_CONNECTION_ROW: Row = [
  'bytes / connection',
  (t) =>
    t.bytes.connections === undefined
      ? NOTHING
      : `${formatBytes(t.bytes.perConnection ?? null)} (${formatInteger(t.bytes.connections)} conn)`,
];

/** Over TLS, one handshake's bytes: a cost per connection, apart from the bytes per message. */
export const HANDSHAKE_ROW: Row = [
  'TLS handshake (B)',
  (t) => (t.connect.handshakeBytes === undefined ? NOTHING : formatInteger(t.connect.handshakeBytes)),
];

/** The reverse proxy's own figures (`run --via`), apart from the server's. */
export const PROXY_ROWS: readonly Row[] = [
  ['proxy CPU µs / msg', (t) => (t.proxy === undefined ? NOTHING : formatFigure(t.proxy.cpuMicrosPerMessage))],
  ['proxy memory (MiB)', (t) => (t.proxy === undefined ? NOTHING : formatFigure(mebibytes(t.proxy.rssBytes)))],
];

/**
 * The rows of a result's table: headroom after the requests when a ceiling was given, the
 * proxy's after the server's when one was in front, the fault's rows when one was struck.
 */
export function rowsFor(transports: readonly TransportResult[]): readonly Row[] {
  const rows = [...ROWS];
  if (transports.some((t) => t.bytes.connections !== undefined))
    rows.splice(rows.findIndex(([label]) => label === 'bytes / msg (× payload)') + 1, 0, PER_CONNECTION_ROW);
  if (transports.some((t) => t.connect.handshakeBytes !== undefined))
    rows.splice(rows.findIndex(([label]) => label === 'connect p99 (ms)') + 1, 0, HANDSHAKE_ROW);
  if (transports.some((t) => t.proxy !== undefined))
    rows.splice(rows.findIndex(([label]) => label === 'server RSS / conn (KiB)') + 1, 0, ...PROXY_ROWS);
  if (transports.some((t) => t.headroom !== undefined))
    rows.splice(rows.findIndex(([label]) => label === 'empty responses') + 1, 0, HEADROOM_ROW);
  return transports.some((t) => t.fault !== undefined) ? [...rows, ...FAULT_ROWS] : rows;
}

/** A figure whose spread over `--repeat` repetitions a report shows; null where a repetition did not measure it. */
export interface KeyFigure {
  label: string;
  value: (t: TransportResult) => number | null;
  format: (value: number | null) => string;
}

export const KEY_FIGURES: readonly KeyFigure[] = [
  { label: 'delivered msg/s', value: (t) => t.delivery.throughputPerSecond, format: formatFigure },
  { label: 'latency p50 (ms)', value: (t) => t.latency.p50, format: formatMs },
  { label: 'latency p99 (ms)', value: (t) => t.latency.p99, format: formatMs },
  { label: 'bytes / msg', value: (t) => t.bytes.perMessage, format: formatBytes },
  { label: 'server CPU µs / msg', value: (t) => t.server.cpuMicrosPerMessage, format: formatFigure },
];

export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Repetitions the figure means something for. */
  count: number;
}

/** Median, min and max of a key figure over a technique's repetitions; null without repetitions. */
export function spread(t: TransportResult, figure: KeyFigure): Spread | null {
  const repetitions = t.repetitions ?? [];
  if (repetitions.length === 0) return null;
  // A repetition cut short by an interruption speaks for a shorter window: left out when others are whole.
  const complete = repetitions.filter((r) => !r.partial);
  const values = (complete.length > 0 ? complete : repetitions)
    .map(figure.value)
    .filter((value): value is number => value !== null)
    .sort((a, b) => a - b);
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, count: 0 };
  const middle = values.length >> 1;
  const median = values.length % 2 === 1 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2;
  return { median, min: values[0]!, max: values.at(-1)!, count: values.length };
}
