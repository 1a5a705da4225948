import { describe, expect, it } from 'vitest';
import { textTables } from '../../src/report/exporters/text-table.js';

const head = ['', 'short-polling', 'long-polling', 'sse', 'websocket', 'http-streaming'];
const rows = [
  ['latency p50 (ms)', '501', '5.36', '2.26', '2.19', '2.54'],
  ['bytes / msg (× payload)', '360 B (3.6×)', '571 B (5.7×)', '188 B (1.9×)', '172 B (1.7×)', '175 B (1.7×)'],
];

const widest = (table: string): number => Math.max(...table.split('\n').map((line) => line.length));
const headOf = (table: string): string[] =>
  table
    .split('\n')[1]!
    .split('│')
    .slice(2, -1)
    .map((cell) => cell.trim());

describe('text tables', () => {
  it('keeps a table that fits as one', () => {
    const tables = textTables(head, rows, 200);
    expect(tables).toHaveLength(1);
    expect(headOf(tables[0]!)).toEqual(head.slice(1));
  });

  it('splits a table too wide into the fewest that fit, columns shared out evenly, labels repeated', () => {
    expect(widest(textTables(head, rows, 200)[0]!)).toBeGreaterThan(80);
    const tables = textTables(head, rows, 80);
    expect(tables.map(headOf)).toEqual([
      ['short-polling', 'long-polling', 'sse'],
      ['websocket', 'http-streaming'],
    ]);
    for (const table of tables) {
      expect(widest(table)).toBeLessThanOrEqual(80);
      expect(table).toContain('bytes / msg (× payload)');
    }
    expect(textTables(head.slice(0, 5), rows, 80).map(headOf)).toEqual([
      ['short-polling', 'long-polling'],
      ['sse', 'websocket'],
    ]);
  });

  it('gives a column wider than the limit a table of its own', () => {
    const tables = textTables(head, rows, 20);
    expect(tables.map(headOf)).toEqual(head.slice(1).map((name) => [name]));
  });
});
