import { describe, expect, it } from 'vitest';
import { compare } from '../../src/report/compare/compare.js';
import { serialize as toJson } from '../../src/report/compare/format-json.js';
import { serialize as toMarkdown } from '../../src/report/compare/format-markdown.js';
import { comparePair, figureOf, fixture, repeated, technique } from '../helpers/compare.js';
import type { Comparison } from '../../src/document/comparison.js';

describe('comparison formats', () => {
  it('markdown: renders the regression and noise pairs', () => {
    expect(toMarkdown(comparePair('regression'))).toMatchSnapshot();
    expect(toMarkdown(comparePair('noise'))).toMatchSnapshot();
  });

  it('markdown: a heading with the outcome, the summary in bold, regressions marked ❌ and inconclusive ⚠️', () => {
    const regression = toMarkdown(comparePair('regression')).split('\n');
    expect(regression[0]).toBe('## ❌ im-bench compare');
    expect(regression[2]).toMatch(/^\*\*3 regressions beyond thresholds: .*\*\*$/);
    expect(regression).toContain(
      '| ❌ | latency p99 | 2.12 ms | 2.97 ms | +40% (+0.85 ms) | +10% | < 0.0001 | **regressed** |',
    );
    expect(regression).toContain('| ❌ | lost copies | 0 | 3 | +3 | +0 | – | **regressed** |');

    const noise = toMarkdown(comparePair('noise')).split('\n');
    expect(noise[0]).toBe('## ✅ im-bench compare');
    expect(noise.find((line) => line.includes('latency p99'))).toMatch(
      /^\| ⚠️ \| latency p99 \| 6\.22 ms \| 8\.70 ms \| \+40% \(\+2\.48 ms\) \| \+10% \| 1 \| inconclusive: past its limit, but the repetitions cannot tell it from noise .*--repeat \d+ on both sides would decide a change this size \|$/,
    );
  });

  it("markdown: folds away techniques with nothing to flag, and every table row has the header row's columns", () => {
    const text = toMarkdown(comparePair('regression'));
    expect(text).toContain(
      '<summary><b>long-polling</b>: every figure within its limit (repetitions: 5 in base, 5 in head)</summary>',
    );
    expect(text).toContain('### sse');
    const rows = text.split('\n').filter((line) => line.startsWith('|'));
    expect(rows.length).toBe(4 * 14);
    for (const row of rows) expect(row.split('|').length).toBe(10);
  });

  it('json: the Comparison object itself, stable and versioned', () => {
    const comparison = comparePair('noise');
    const text = toJson(comparison);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(comparison);
    const document = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(document)).toEqual([
      'schema',
      'base',
      'head',
      'scenario',
      'scenarioDifferences',
      'environmentDifferences',
      'thresholds',
      'machine',
      'alpha',
      'tested',
      'techniques',
      'onlyInBase',
      'onlyInHead',
      'skipped',
      'counts',
      'exitCode',
    ]);
    expect(document).toMatchObject({
      schema: 'im-bench/compare@3',
      alpha: 0.05,
      tested: 11,
      exitCode: 0,
      counts: { regressed: 0, inconclusive: 1 },
    });
    expect(figureOf(comparison, 'sse', 'p99')).toMatchSnapshot();
  });

  it('json: writes an unmeasured change as null, never as Infinity or NaN', () => {
    const head = fixture('pass', 'base');
    technique(head, 'sse').requests.perMessage = 0.5;
    const text = toJson(compare(repeated(fixture('pass', 'base')), repeated(head)));
    expect(text).not.toMatch(/Infinity|NaN/);
    expect(figureOf(JSON.parse(text) as Comparison, 'sse', 'requests_per_msg')).toMatchObject({
      relative: null,
      delta: 0.5,
      verdict: 'regressed',
    });
  });
});
