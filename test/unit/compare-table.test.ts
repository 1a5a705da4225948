import { describe, expect, it } from 'vitest';
import { serialize as toTable } from '../../src/report/compare/format-table.js';
import { comparePair } from '../helpers/compare.js';

describe('comparison formats', () => {
  it('table: renders the regression pair', () => {
    expect(toTable(comparePair('regression'))).toMatchSnapshot();
  });

  it('table: renders the noise pair, with both ranges and the p-values', () => {
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

  it('table: says why an inconclusive verdict did not fail, and what would decide it', () => {
    const text = toTable(comparePair('noise'));
    expect(text.split('\n')[1]).toBe(
      'No regression beyond thresholds; 1 change past thresholds that the repetitions cannot tell from noise, not counted (inconclusive): sse p99 +40% (limit +10%).',
    );
    expect(text).toMatch(
      /^ {2}sse p99: inconclusive, past its limit, but the repetitions cannot tell it from noise \(base 5\.40 ms – 9\.75 ms, head 7\.90 ms – 9\.10 ms\), p = 1 after correction; --repeat \d+ on both sides would decide a change this size$/m,
    );
  });

  it('table: without regressions says so, and asks for repetitions when there are none', () => {
    const text = toTable(comparePair('pass', undefined, { repeat: false }));
    expect(text.split('\n')[1]).toBe('No regression beyond thresholds.');
    expect(text).toContain(
      'base.json and head.json have a single repetition: there is no spread to test a change against, so only lost copies can fail',
    );
  });
});
