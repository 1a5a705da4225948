import type { RunResult, TransportResult } from '../document/result.js';
import { formatBytes, formatFigure, formatMs } from './format.js';
import { NOTHING, serverCell } from './rows.js';

/** The kind of server a technique ran on; a document from before profiles measured the reference server. */
export function serverOf(t: TransportResult): string {
  return t.profile ?? 'reference';
}

/** The kinds of server of a run, in the order measured. */
export function serversOf(result: RunResult): string[] {
  return [...new Set(result.transports.map(serverOf))];
}

/** `nchan — nginx + nchan (memory store), one message per poll answer`: how a report introduces a server. */
export function serverHeading(result: RunResult, server: string): string {
  const description = result.servers?.find((each) => each.name === server)?.description;
  return description === undefined || description === '' ? server : `${server} — ${description}`;
}

/** Whether a report names the server of each table: it measured several, or one that is not the reference server. */
export function namesServers(result: RunResult): boolean {
  const servers = serversOf(result);
  return servers.length > 1 || (servers.length === 1 && servers[0] !== 'reference');
}

/** The run as if it had measured one kind of server: what each server's own table shows. */
export function runOnServer(result: RunResult, server: string): RunResult {
  const { thresholds: _judgedOnTheWhole, ...rest } = result;
  return { ...rest, transports: result.transports.filter((t) => serverOf(t) === server) };
}

/** A headline figure across servers: one row per technique, one column per server. */
export interface CrossServerTable {
  title: string;
  head: string[];
  rows: string[][];
}

const HEADLINES: ReadonlyArray<readonly [title: string, cell: (t: TransportResult) => string]> = [
  ['latency p50 (ms)', (t) => formatMs(t.latency.p50)],
  ['latency p99 (ms)', (t) => formatMs(t.latency.p99)],
  ['bytes / msg', (t) => formatBytes(t.bytes.perMessage)],
  ['server CPU µs / msg', (t) => serverCell(t, t.server.cpuMicrosPerMessage, formatFigure)],
];

/** The headline figures side by side across the servers of a run; none when it measured one kind. */
export function crossServerTables(result: RunResult): CrossServerTable[] {
  const servers = serversOf(result);
  if (servers.length < 2) return [];
  const techniques = [...new Set(result.transports.map((t) => t.transport))];
  return HEADLINES.map(([title, cell]) => ({
    title,
    head: ['', ...servers],
    rows: techniques.map((technique) => [
      technique,
      ...servers.map((server) => {
        const t = result.transports.find(
          (candidate) => candidate.transport === technique && serverOf(candidate) === server,
        );
        return t === undefined ? NOTHING : cell(t);
      }),
    ]),
  }));
}
