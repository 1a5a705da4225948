import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nothingDelivered } from '../helpers/exporters.js';
import { serialize as toJson } from '../../src/report/exporters/json.js';
import { serialize as toTable } from '../../src/report/exporters/table.js';
import { formatBytes, formatFigure, formatInteger, formatRatio, formatTrimmed } from '../../src/report/format.js';
import type { RunResult } from '../../src/document/result.js';

const FIXTURE_TEXT = readFileSync(new URL('../fixtures/result-notify.json', import.meta.url), 'utf8');

function fixture(): RunResult {
  return JSON.parse(FIXTURE_TEXT) as RunResult;
}

/** Cells of the table body, by row label, then by column header; a table split to fit 80 columns is read whole. */
function cells(table: string): Map<string, Map<string, string>> {
  const byRow = new Map<string, Map<string, string>>();
  let head: string[] | undefined;
  for (const line of table.split('\n')) {
    if (line.startsWith('┌')) head = undefined;
    if (!line.startsWith('│')) continue;
    const row = line
      .split('│')
      .slice(1, -1)
      .map((cell) => cell.trim());
    if (head === undefined) {
      head = row;
      continue;
    }
    const label = row[0] ?? '';
    const known = byRow.get(label) ?? new Map<string, string>();
    for (const [i, name] of head.slice(1).entries()) known.set(name, row[i + 1] ?? '');
    byRow.set(label, known);
  }
  return byRow;
}

function cell(table: string, row: string, column: string): string | undefined {
  return cells(table).get(row)?.get(column);
}

/** The lines between the table's bottom border and the model's lines: the caveats. */
function caveatLines(text: string): string[] {
  const lines = text.trimEnd().split('\n');
  return lines.slice(lines.findLastIndex((line) => line.startsWith('└')) + 1, lines.indexOf(MODEL_HEADING));
}

const MODEL_HEADING = 'Model inputs measured (--format md or html shows each check):';

describe('json exporter', () => {
  it('writes the document with 2-space indent and a trailing newline', () => {
    expect(toJson(fixture())).toBe(FIXTURE_TEXT);
    expect(FIXTURE_TEXT.endsWith('}\n')).toBe(true);
  });
});

describe('table exporter', () => {
  it('renders the fixture', () => {
    expect(toTable(fixture())).toMatchSnapshot();
  });

  it('names the scenario and its key settings above the table', () => {
    expect(toTable(fixture()).split('\n')[0]).toBe(
      'Scenario notify: 100 clients, 2 msg/s constant, 100 B payload, 8s measured',
    );
  });

  it('has one column per technique and the figures in their rows', () => {
    const table = toTable(fixture());
    expect([...(cells(table).get('delivered msg/s')?.keys() ?? [])]).toEqual([
      'short-polling',
      'long-polling',
      'sse',
      'websocket',
    ]);
    expect(cell(table, 'latency p50 (ms)', 'short-polling')).toBe('481');
    expect(cell(table, 'latency p50 (ms)', 'long-polling')).toBe('1.14');
    expect(cell(table, 'latency max (ms)', 'short-polling')).toBe('1,000');
    expect(cell(table, 'requests (in window)', 'long-polling')).toBe('1,601');
    expect(cell(table, 'requests / msg', 'short-polling')).toBe('0.50');
    expect(cell(table, 'bytes / msg (× payload)', 'short-polling')).toBe('314 B (3.1×)');
    expect(cell(table, 'server RSS / conn (KiB)', 'websocket')).toBe('17.0');
    expect(cell(table, 'generator-bound', 'sse')).toBe('no');
  });

  it('uses no colours', () => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what a colour code starts with
    expect(toTable(fixture())).not.toMatch(/\x1b\[/);
  });

  it('adds a line under the table for each technique that needs a caveat', () => {
    const result = fixture();
    const sse = result.transports[2]!;
    sse.generator = {
      eventLoopDelayP99Ms: 48.3,
      eventLoopDelayMaxMs: 120,
      stalledShare: 0.05,
      cpuUtilization: 0.93,
      bound: true,
    };
    sse.delivery.lost = 5;
    result.aborted = true;
    const lines = toTable(result).trimEnd().split('\n');
    expect(lines[1]).toMatch(/^Aborted/);
    expect(caveatLines(toTable(result))).toEqual([
      'long-polling: 1 error (first: socket hang up)',
      'sse: generator-bound (event-loop delay p99 48.3 ms, CPU 93 % of a core): its latencies describe the load generator, not the server; ' +
        '5 of 1,800 copies lost',
    ]);
    expect(cell(lines.join('\n'), 'generator-bound', 'sse')).toBe('yes');
    expect(cell(lines.join('\n'), 'lost / dup', 'sse')).toBe('5 / 0');
  });

  it('says which technique an interruption cut short, and which publishes failed', () => {
    const result = fixture();
    result.aborted = true;
    result.transports = result.transports.slice(0, 2);
    result.transports[1]!.partial = true;
    result.transports[1]!.windowSeconds = 2.5;
    result.transports[0]!.published.failed = 3;
    const text = toTable(result);
    expect(text.split('\n')[1]).toBe(
      'Aborted: long-polling was stopped 2.5 s into its window; techniques after it did not run.',
    );
    expect(text).toContain('short-polling: 3 publishes failed (not counted as lost)');
  });

  it('shows per-message figures as "–" when nothing was delivered, not as a flattering 0', () => {
    const result = fixture();
    result.transports[2] = nothingDelivered(result.transports[2]!);
    const text = toTable(result);
    const rows = ['latency p50 (ms)', 'latency p90 (ms)', 'latency p99 (ms)', 'latency max (ms)'];
    for (const row of [...rows, 'requests / msg', 'bytes / msg (× payload)', 'server CPU µs / msg'])
      expect(cell(text, row, 'sse')).toBe('–');
    expect(cell(text, 'requests / msg', 'websocket')).not.toBe('–');
  });

  it('prints nothing under the table but the model lines when every technique is clean', () => {
    const result = fixture();
    result.transports[1]!.requests.errors = 0;
    expect(caveatLines(toTable(result))).toEqual([]);
  });
});

describe('number formatting', () => {
  it('adds thousands separators and picks precision by magnitude', () => {
    expect(formatInteger(1_234_567)).toBe('1,234,567');
    expect([0.004, 1.234, 9.996, 12.34, 99.94, 123.4, 12_345.6].map(formatFigure)).toEqual([
      '0.00',
      '1.23',
      '10.00',
      '12.3',
      '99.9',
      '123',
      '12,346',
    ]);
    expect(formatFigure(-0.001)).toBe('0.00');
    expect(formatFigure(Number.NaN)).toBe('–');
    expect(formatTrimmed(0.5)).toBe('0.5');
    expect(formatTrimmed(2)).toBe('2');
    expect(formatTrimmed(1_000)).toBe('1,000');
  });

  it('formats bytes and ratios', () => {
    expect([412, 1_536, 5 * 1024 * 1024].map(formatBytes)).toEqual(['412 B', '1.50 KiB', '5.00 MiB']);
    expect([4.12, 123.4, Number.POSITIVE_INFINITY].map(formatRatio)).toEqual(['4.1×', '123×', '–']);
  });
});

describe('table exporter: the model under the table', () => {
  it('prints the H and E each technique measured, then the verdict', () => {
    const result = fixture();
    expect(toTable(result).trimEnd().split('\n').slice(-6)).toEqual([
      MODEL_HEADING,
      '  short-polling  H200 285 B · H204 322 B · E 170 B · other 1.50 B/msg',
      '  long-polling   H200 297 B · H204 – · E 170 B · other 2.08 B/msg',
      '  sse            E 170 B · other 26.4 B/msg',
      '  websocket      E 170 B · other 13.7 B/msg',
      'Every figure the model predicts was within its tolerance of its prediction, except 1 too small to judge.',
    ]);
  });

  it('names a figure that strayed from its model under the table, with the tolerance it broke', () => {
    const result = fixture();
    const polling = result.transports[0]!;
    // 40 bytes more per message than its heads, envelopes and separators account for: a server padding its answers.
    polling.bytes.wire!.otherBytes += 40 * polling.delivery.deliveredInWindow;
    polling.bytes.perMessage! += 40;
    expect(toTable(result).trimEnd().split('\n').at(-1)).toBe(
      "short-polling's bytes / msg strayed from its model (requests/msg × H + E + separators): " +
        '354 B measured, 314 B predicted (+12.7 %, tolerance ±5 %).',
    );
  });

  it('says once that a document written before H and E were measured has none', () => {
    const result = fixture();
    for (const t of result.transports) delete t.bytes.wire;
    expect(toTable(result).trimEnd().split('\n').slice(-2)).toEqual([
      'Model inputs: H and E not measured: this document was written before im-bench measured them.',
      'Every figure the model predicts was within its tolerance of its prediction, except 1 too small to judge; ' +
        '4 unchecked, their inputs not measured.',
    ]);
  });
});
