import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { calibrationNote } from '../../src/report/caveats.js';
import { calibrationDifferences } from '../../src/report/compare/comparability.js';
import { notes } from '../../src/report/compare/describe.js';
import { compare } from '../../src/report/compare/compare.js';
import { DEFAULT_THRESHOLDS } from '../../src/report/compare/thresholds.js';
import { serialize as toHtml } from '../../src/report/exporters/html.js';
import { serialize as toMarkdown } from '../../src/report/exporters/markdown.js';
import { serialize as toTable } from '../../src/report/exporters/table.js';
import { fixture as compareFixture, NAMES } from '../helpers/compare.js';

function fixture(): RunResult {
  return JSON.parse(readFileSync(new URL('../fixtures/result-notify.json', import.meta.url), 'utf8')) as RunResult;
}

const CALIBRATION = { delayMs: 20, cpuMicrosPerCopy: { sse: 2.5, websocket: 0 } };

describe('a calibration run in reports', () => {
  it('says in one line that the servers were slowed on purpose, and how', () => {
    const note = calibrationNote({ ...fixture(), calibration: CALIBRATION });
    expect(note).toBe(
      'Calibration run: the servers were slowed on purpose (every publish held 20 ms; CPU burned per delivered copy: sse 2.5 µs) to check compare; these figures are not a real measurement.',
    );
    expect(calibrationNote(fixture())).toBeNull();
  });

  it('prints it in the table, Markdown and HTML, and only when present', () => {
    const calibrated = { ...fixture(), calibration: CALIBRATION };
    for (const serialize of [toTable, toMarkdown, toHtml]) {
      expect(serialize(calibrated)).toContain('Calibration run: the servers were slowed on purpose');
      expect(serialize(fixture())).not.toContain('Calibration run');
    }
  });
});

describe('a calibration run in compare', () => {
  it('lists a calibration that differs, and nothing when both sides match', () => {
    const base = fixture();
    const head = { ...fixture(), calibration: CALIBRATION };
    expect(calibrationDifferences(base, head)).toEqual([
      {
        field: 'calibration',
        base: 'none',
        head: 'every publish held 20 ms; CPU burned per delivered copy: sse 2.5 µs',
      },
    ]);
    expect(calibrationDifferences(head, { ...fixture(), calibration: { ...CALIBRATION } })).toEqual([]);
    expect(calibrationDifferences(base, { ...fixture(), calibration: { delayMs: 0, cpuMicrosPerCopy: {} } })).toEqual(
      [],
    );
  });

  it('says the head was slowed on purpose, not that the machines differ', () => {
    const base = compareFixture('pass', 'base');
    const head = compareFixture('pass', 'head');
    const comparison = compare(base, head, DEFAULT_THRESHOLDS, NAMES);
    comparison.environmentDifferences.push(
      ...calibrationDifferences(base, { ...head, calibration: { delayMs: 20, cpuMicrosPerCopy: {} } }),
    );
    const lines = notes(comparison);
    expect(lines).toContain(
      'Servers slowed on purpose to calibrate compare: none → every publish held 20 ms; these are not real measurements.',
    );
    expect(lines.some((line) => line.startsWith('The machines differ'))).toBe(false);
  });
});
