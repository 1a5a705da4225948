import { describe, expect, it } from 'vitest';
import { serialize as toTable } from '../../src/report/compare/format-table.js';
import { comparePair } from '../helpers/compare.js';

describe('comparison formats', () => {
  it('table: renders the regression pair', () => {
    expect(toTable(comparePair('regression'))).toMatchSnapshot();
  });

  it('table: renders the noise pair, with the base range', () => {
    expect(toTable(comparePair('noise'))).toMatchSnapshot();
  });

  it('table: names the documents, then sums up, with no colours', () => {
    const lines = toTable(comparePair('regression')).split('\n');
    expect(lines[0]).toBe(
      'Scenario notify: base.json (72e48da, 2025-06-03 09:14) → head.json (9c1d4e7, 2025-06-04 10:02)',
    );
    expect(lines[1]).toBe(
      '3 regressions beyond thresholds: short-polling bytes_per_msg +9.8% (limit +5%), sse p99 +40% (limit +10%), websocket lost +3 (limit +0).',
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what a colour code starts with
    expect(lines.join('\n')).not.toMatch(/\x1b\[/);
    expect(lines.find((line) => line.includes('latency p99') && line.includes('2.97 ms'))).toMatch(
      /\+40% \(\+0\.85 ms\) .* \+10% .* REGRESSED/,
    );
  });

  it('table: says why a noise verdict did not fail', () => {
    const text = toTable(comparePair('noise'));
    expect(text.split('\n')[1]).toBe(
      "No regression beyond thresholds; 1 change beyond thresholds but within the base's spread, not counted (noise): sse p99 +40% (limit +10%).",
    );
    expect(text).toContain(
      "  sse p99: noise, beyond its threshold but within the base's spread over 3 repetitions (5.40 ms – 9.75 ms)",
    );
  });

  it('table: without regressions says so, and asks for repetitions when the base has none', () => {
    const text = toTable(comparePair('pass'));
    expect(text.split('\n')[1]).toBe('No regression beyond thresholds.');
    expect(text).toContain('base.json has a single repetition: there is no spread to tell noise from change');
  });
});
