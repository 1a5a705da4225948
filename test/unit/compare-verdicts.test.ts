import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadResult } from '../../src/document/result-check.js';
import { compare } from '../../src/report/compare/compare.js';
import { DEFAULT_THRESHOLDS, parseThresholds } from '../../src/report/compare/thresholds.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';
import {
  comparePair,
  figureOf,
  fixture,
  fixturePath,
  flagged,
  NAMES,
  rejected,
  repeated,
  setFigure,
  technique,
  thrown,
} from '../helpers/compare.js';
import type { Comparison } from '../../src/document/comparison.js';
import type { RunResult } from '../../src/document/result.js';
import { validateResult } from '../helpers/result-schema.js';

describe('compare fixtures', () => {
  it('are valid result documents, except the sweep that stands in for a wrong schema', () => {
    for (const pair of ['pass', 'regression', 'noise', 'scenario'] as const) {
      for (const side of ['base', 'head'] as const) {
        expect(validateResult(JSON.parse(readFileSync(fixturePath(pair, side), 'utf8'))), `${pair}/${side}`).toEqual(
          [],
        );
      }
    }
  });

  it('pass: small moves stay within their limits, a large fall in CPU is an improvement, exit 0', () => {
    const comparison = comparePair('pass');
    expect(flagged(comparison)).toEqual(['long-polling cpu_per_msg: improved']);
    expect(comparison.exitCode).toBe(0);
    expect(comparison.counts.regressed).toBe(0);
    expect(comparison.onlyInBase).toEqual([]);
    expect(comparison.onlyInHead).toEqual([]);
  });

  it('regression: p99 +40%, three lost copies and +9.8% bytes regress over five quiet repetitions, exit 1', () => {
    const comparison = comparePair('regression');
    expect(flagged(comparison)).toEqual([
      'short-polling bytes_per_msg: regressed',
      'sse p99: regressed',
      'websocket lost: regressed',
    ]);
    expect(comparison.exitCode).toBe(1);
    const p99 = figureOf(comparison, 'sse', 'p99');
    expect(p99).toMatchObject({ base: 2.123, head: 2.972, unit: 'ms', worse: 'up', repeatToDecide: null });
    expect(p99.relative).toBeCloseTo(0.4, 3);
    expect(p99.threshold).toEqual({ kind: 'percent', limit: 10, text: '+10%', source: 'default' });
    expect(p99.test!.worseAdjusted).toBeLessThan(comparison.alpha);
    expect(figureOf(comparison, 'websocket', 'lost')).toMatchObject({ base: 0, head: 3, delta: 3, test: null });
  });

  it('regression: with one repetition a side, a change past its limit is inconclusive, and only lost copies fail', () => {
    const comparison = comparePair('regression', undefined, { repeat: false });
    expect(flagged(comparison)).toEqual([
      'short-polling bytes_per_msg: inconclusive',
      'sse p99: inconclusive',
      'websocket lost: regressed',
    ]);
    expect(figureOf(comparison, 'sse', 'p99')).toMatchObject({ test: null, repeatToDecide: null, baseSpread: null });
    expect(comparison.tested).toBe(0);
    expect(comparison.counts).toMatchObject({ regressed: 1, inconclusive: 2 });
  });
});

describe('decided by the repetitions', () => {
  it('noise: past the threshold, but 3 repetitions that vary that much cannot tell it from noise: inconclusive, exit 0', () => {
    const comparison = comparePair('noise');
    expect(flagged(comparison)).toEqual(['sse p99: inconclusive']);
    expect(comparison.exitCode).toBe(0);
    const p99 = figureOf(comparison, 'sse', 'p99');
    // Medians over the repetitions, each side's min–max, and the repetitions a test would need.
    expect(p99).toMatchObject({ base: 6.215, head: 8.7, baseSpread: { min: 5.399, max: 9.751, repetitions: 3 } });
    expect(p99.test!.worse).toBeGreaterThan(0.05);
    expect(p99.repeatToDecide).toBeGreaterThan(3);
    expect(comparison.techniques.map((t) => [t.baseRepetitions, t.headRepetitions])).toEqual([
      [3, 3],
      [3, 3],
    ]);
  });

  it('noise: a change far beyond the spread regresses, even over 3 repetitions', () => {
    const head = fixture('noise', 'head');
    setFigure(head, 'sse', 'p99', [30, 31, 29.5]);
    const comparison = compare(fixture('noise', 'base'), head, DEFAULT_THRESHOLDS, NAMES);
    expect(flagged(comparison)).toEqual(['sse p99: regressed']);
    expect(comparison.exitCode).toBe(1);
  });

  it('holds the false-alarm rate across every figure tested, not each one (Holm), and --alpha moves the bar', () => {
    const head = fixture('noise', 'head');
    // Significant for one figure alone, not once the 11 that vary between repetitions are tested.
    setFigure(head, 'sse', 'p99', [12, 12.5, 13]);
    const strict = compare(fixture('noise', 'base'), head, DEFAULT_THRESHOLDS, NAMES);
    const p99 = figureOf(strict, 'sse', 'p99');
    expect(strict.tested).toBe(11);
    expect(p99.test!.worse).toBeLessThan(0.05);
    expect(p99.test!.worseAdjusted).toBeGreaterThan(0.05);
    expect(p99.verdict).toBe('inconclusive');
    const loose = compare(fixture('noise', 'base'), head, DEFAULT_THRESHOLDS, NAMES, 0.5);
    expect(figureOf(loose, 'sse', 'p99').verdict).toBe('regressed');
  });

  it('schema: a sweep document is refused, naming the file, exit 2', async () => {
    const error = await rejected(() => loadResult(fixturePath('schema', 'head'), TRANSPORT_NAMES));
    expect(error.code).toBe('IMB_ERR_INVALID_RESULT');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(fixturePath('schema', 'head'));
    expect(error.message).toContain('a sweep document (im-bench/sweep@1), not a run result (im-bench/result@3)');
    // An @1 result is still read, as @3.
    await expect(loadResult(fixturePath('schema', 'base'), TRANSPORT_NAMES)).resolves.toMatchObject({
      schema: 'im-bench/result@3',
    });
  });

  it('scenario: a different client count makes the documents incomparable, naming the field and both values, exit 2', () => {
    const error = thrown(() => comparePair('scenario'));
    expect(error.code).toBe('IMB_ERR_INCOMPARABLE');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      'scenario mismatch, the figures would not mean the same thing: clients: 100 in base.json, 50 in head.json',
    );
  });
});

describe('verdicts', () => {
  /** Both sides repeated five times on a quiet machine, the head changed first. */
  const judged = (change: (head: RunResult) => void, spec?: string): Comparison => {
    const head = fixture('pass', 'base');
    change(head);
    return compare(repeated(fixture('pass', 'base')), repeated(head), parseThresholds(spec));
  };

  it('a change of exactly the limit passes; one past it fails', () => {
    const comparison = judged((head) => {
      technique(head, 'short-polling').latency.p50 = 480.511 * 1.1;
      technique(head, 'short-polling').bytes.perMessage = 314.2 * 1.0501;
    });
    expect(figureOf(comparison, 'short-polling', 'p50').verdict).toBe('ok');
    expect(figureOf(comparison, 'short-polling', 'bytes_per_msg').verdict).toBe('regressed');
  });

  it('never counts a change within the measurement resolution, whatever its share', () => {
    const comparison = judged((head) => {
      technique(head, 'websocket').latency.p99 = 1.472 + 0.45; // +31%, but under half a millisecond
      technique(head, 'sse').requests.perMessage = 0.000625; // one reconnect in 1,600 messages, from 0
    });
    expect(figureOf(comparison, 'websocket', 'p99').verdict).toBe('ok');
    expect(figureOf(comparison, 'sse', 'requests_per_msg')).toMatchObject({ relative: null, verdict: 'ok' });
  });

  it('judges throughput by its fall', () => {
    const comparison = judged((head) => {
      technique(head, 'sse').delivery.throughputPerSecond = 180;
      technique(head, 'websocket').delivery.throughputPerSecond = 230;
    });
    expect(figureOf(comparison, 'sse', 'throughput')).toMatchObject({ verdict: 'regressed' });
    expect(figureOf(comparison, 'sse', 'throughput').relative).toBeCloseTo(-0.1, 9);
    expect(figureOf(comparison, 'websocket', 'throughput').verdict).toBe('improved');
  });

  it('marks figures that need a delivered copy as unmeasured when none was delivered', () => {
    const comparison = judged((head) => {
      const sse = technique(head, 'sse');
      sse.delivery = { ...sse.delivery, delivered: 0, deliveredInWindow: 0, lost: 1800, throughputPerSecond: 0 };
      sse.latency = { ...sse.latency, count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
    });
    expect(Object.fromEntries(comparison.techniques[2]!.figures.map((f) => [f.figure, f.verdict]))).toMatchObject({
      p99: 'unmeasured',
      bytes_per_msg: 'unmeasured',
      cpu_per_msg: 'unmeasured',
      throughput: 'regressed',
      lost: 'regressed',
    });
  });

  it('takes the worst repetition for lost copies, so one lossy repetition is not hidden by a median', () => {
    const head = fixture('noise', 'head');
    technique(head, 'websocket').repetitions![1]!.delivery.lost = 2;
    const comparison = compare(fixture('noise', 'base'), head);
    expect(figureOf(comparison, 'websocket', 'lost')).toMatchObject({ base: 0, head: 2, verdict: 'regressed' });
  });

  it('applies user thresholds in place of the defaults', () => {
    expect(comparePair('regression', 'p99=+50%').exitCode).toBe(1);
    const relaxed = comparePair('regression', 'p99=+50%,lost=+5,bytes_per_msg=+10%');
    expect(flagged(relaxed)).toEqual([]);
    expect(relaxed.exitCode).toBe(0);
    expect(figureOf(relaxed, 'websocket', 'lost').threshold).toEqual({
      kind: 'absolute',
      limit: 5,
      text: '+5',
      source: 'user',
    });
    expect(figureOf(comparePair('regression', 'p99=off'), 'sse', 'p99').verdict).toBe('untracked');
  });
});

describe('figures without spread', () => {
  it('decides a figure that does not vary between repetitions by its values alone', () => {
    const base = repeated(fixture('pass', 'base'), [1, 1, 1]);
    const head = repeated(fixture('pass', 'base'), [1, 1, 1]);
    setFigure(head, 'sse', 'bytes_per_msg', technique(base, 'sse').bytes.perMessage! * 1.2);
    const comparison = compare(base, head);
    expect(figureOf(comparison, 'sse', 'bytes_per_msg')).toMatchObject({
      verdict: 'regressed',
      test: { worse: 0, better: 1 },
    });
    expect(figureOf(comparison, 'sse', 'p50')).toMatchObject({ verdict: 'ok', test: { worse: 0.5 } });
    // Nothing varied, so nothing was left to chance: no figure joins the corrected family.
    expect(comparison.tested).toBe(0);
    expect(figureOf(comparison, 'sse', 'bytes_per_msg').test!.worseAdjusted).toBe(0);
  });

  it('corrects a varying figure over the figures that vary only, not over the exact ones beside it', () => {
    const base = repeated(fixture('pass', 'base'), [1, 1, 1]);
    const head = repeated(fixture('pass', 'base'), [1, 1, 1]);
    setFigure(base, 'sse', 'cpu_per_msg', [14, 15, 16]);
    setFigure(head, 'sse', 'cpu_per_msg', [15, 16, 17]);
    const comparison = compare(base, head);
    const cpu = figureOf(comparison, 'sse', 'cpu_per_msg');
    // The family is this figure alone: its corrected p-value is its own.
    expect(comparison.tested).toBe(1);
    expect(cpu.test!.worseAdjusted).toBe(cpu.test!.worse);
    expect(cpu.test!.worse).toBeGreaterThan(0.05);
  });
});
