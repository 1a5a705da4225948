import { expect } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { serialize as serializeTable } from '../../src/report/exporters/table.js';
import { modelChecks } from '../../src/report/model.js';

const POLLING = ['short-polling', 'long-polling'];

/** The figures the model flagged, per technique. */
export function flagged(result: RunResult): Record<string, string[]> {
  return Object.fromEntries(
    result.transports.map((t) => [
      t.transport,
      modelChecks(t, result)
        .filter((check) => check.flagged)
        .map((check) => check.figure),
    ]),
  );
}

/**
 * A default-shaped run of every technique on the reference server flags nothing, with H and E
 * measured in the run, and prints the H and E it used under the table.
 */
export function expectModelHolds(result: RunResult): void {
  expect(flagged(result)).toEqual(Object.fromEntries(result.transports.map((t) => [t.transport, []])));
  for (const t of result.transports) {
    const wire = t.bytes.wire!;
    // E: the reference server's envelope of a 100-byte payload is about 170 bytes, whatever the constant said.
    expect(wire.e, t.transport).toBeGreaterThan(100 + 60);
    expect(wire.e, t.transport).toBeLessThan(100 + 80);
    expect(wire.h204 === null, t.transport).toBe(wire.emptyExchanges === 0);
    if (!POLLING.includes(t.transport)) continue;
    // H200: a request with its cursor and epoch, and a 200's status line and headers.
    expect(wire.h200, t.transport).toBeGreaterThan(300);
    const bytes = modelChecks(t, result).find((check) => check.figure === 'bytes / msg')!;
    expect(Math.abs(bytes.deviation!), t.transport).toBeLessThan(0.01);
  }
  const printed = serializeTable(result);
  const table = printed.slice(printed.indexOf('Model inputs measured'));
  expect(table).toMatch(/^ {2}short-polling +H200 \d+ B · H204 (–|\d+ B) · E \d+ B · other [\d.]+ B\/msg$/m);
  expect(table).toMatch(/^ {2}websocket +E \d+ B · other [\d.]+ B\/msg$/m);
  expect(table).toContain('Every figure the model predicts was within its tolerance of its prediction');
  expect(printed).not.toContain('strayed from its model');
}
