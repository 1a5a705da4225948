import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadResult } from '../../src/document/result-check.js';
import { compare } from '../../src/report/compare/compare.js';
import { DEFAULT_THRESHOLD_SPEC, DEFAULT_THRESHOLDS, parseThresholds } from '../../src/report/compare/thresholds.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';
import {
  comparePair,
  figureOf,
  fixture,
  fixturePath,
  flagged,
  NAMES,
  rejected,
  technique,
  thrown,
} from '../helpers/compare.js';
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

  it('regression: p99 +40%, three lost copies and +9.8% bytes regress, exit 1', () => {
    const comparison = comparePair('regression');
    expect(flagged(comparison)).toEqual([
      'short-polling bytes_per_msg: regressed',
      'sse p99: regressed',
      'websocket lost: regressed',
    ]);
    expect(comparison.exitCode).toBe(1);
    const p99 = figureOf(comparison, 'sse', 'p99');
    expect(p99).toMatchObject({ base: 2.123, head: 2.972, unit: 'ms', worse: 'up', baseSpread: null });
    expect(p99.relative).toBeCloseTo(0.4, 3);
    expect(p99.threshold).toEqual({ kind: 'percent', limit: 10, text: '+10%', source: 'default' });
    expect(figureOf(comparison, 'websocket', 'lost')).toMatchObject({ base: 0, head: 3, delta: 3, relative: null });
  });

  it('noise: beyond the threshold but inside the base spread of 3 repetitions is noise, exit 0', () => {
    const comparison = comparePair('noise');
    expect(flagged(comparison)).toEqual(['sse p99: noise']);
    expect(comparison.exitCode).toBe(0);
    const p99 = figureOf(comparison, 'sse', 'p99');
    // Medians over the repetitions, and the base's min–max.
    expect(p99).toMatchObject({ base: 6.215, head: 8.7, baseSpread: { min: 5.399, max: 9.751, repetitions: 3 } });
    expect(comparison.techniques.map((t) => [t.baseRepetitions, t.headRepetitions])).toEqual([
      [3, 3],
      [3, 3],
    ]);
  });

  it('noise: the same change regresses once it leaves the base spread', () => {
    const head = fixture('noise', 'head');
    for (const repetition of technique(head, 'sse').repetitions!) repetition.latency.p99 = 12;
    const comparison = compare(fixture('noise', 'base'), head, DEFAULT_THRESHOLDS, NAMES);
    expect(flagged(comparison)).toEqual(['sse p99: regressed']);
    expect(comparison.exitCode).toBe(1);
  });

  it('noise: without repetitions in the base there is no spread, so the threshold alone decides', () => {
    const base = fixture('noise', 'base');
    for (const transport of base.transports) delete transport.repetitions;
    const comparison = compare(base, fixture('noise', 'head'), DEFAULT_THRESHOLDS, NAMES);
    expect(figureOf(comparison, 'sse', 'p99')).toMatchObject({ base: 6.215, verdict: 'regressed', baseSpread: null });
  });

  it('schema: a sweep document is refused, naming the file, exit 2', async () => {
    const error = await rejected(() => loadResult(fixturePath('schema', 'head'), TRANSPORT_NAMES));
    expect(error.code).toBe('IMB_ERR_INVALID_RESULT');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(fixturePath('schema', 'head'));
    expect(error.message).toContain('a sweep document (im-bench/sweep@1), not a run result (im-bench/result@2)');
    // An @1 result is still read, as @2.
    await expect(loadResult(fixturePath('schema', 'base'), TRANSPORT_NAMES)).resolves.toMatchObject({
      schema: 'im-bench/result@2',
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
  it('a change of exactly the limit passes; one past it fails', () => {
    const base = fixture('pass', 'base');
    const head = fixture('pass', 'base');
    technique(head, 'short-polling').latency.p50 = 480.511 * 1.1;
    technique(head, 'short-polling').bytes.perMessage = 314.2 * 1.0501;
    const comparison = compare(base, head);
    expect(figureOf(comparison, 'short-polling', 'p50').verdict).toBe('ok');
    expect(figureOf(comparison, 'short-polling', 'bytes_per_msg').verdict).toBe('regressed');
  });

  it('never counts a change within the measurement resolution, whatever its share', () => {
    const head = fixture('pass', 'base');
    technique(head, 'websocket').latency.p99 = 1.472 + 0.45; // +31%, but under half a millisecond
    technique(head, 'sse').requests.perMessage = 0.000625; // one reconnect in 1,600 messages, from 0
    const comparison = compare(fixture('pass', 'base'), head);
    expect(figureOf(comparison, 'websocket', 'p99').verdict).toBe('ok');
    expect(figureOf(comparison, 'sse', 'requests_per_msg')).toMatchObject({ relative: null, verdict: 'ok' });
  });

  it('judges throughput by its fall', () => {
    const head = fixture('pass', 'base');
    technique(head, 'sse').delivery.throughputPerSecond = 180;
    technique(head, 'websocket').delivery.throughputPerSecond = 230;
    const comparison = compare(fixture('pass', 'base'), head);
    expect(figureOf(comparison, 'sse', 'throughput')).toMatchObject({ verdict: 'regressed', relative: -0.1 });
    expect(figureOf(comparison, 'websocket', 'throughput').verdict).toBe('improved');
  });

  it('marks figures that need a delivered copy as unmeasured when none was delivered', () => {
    const head = fixture('pass', 'base');
    const sse = technique(head, 'sse');
    sse.delivery = { ...sse.delivery, delivered: 0, deliveredInWindow: 0, lost: 1800, throughputPerSecond: 0 };
    sse.latency = { ...sse.latency, count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
    const comparison = compare(fixture('pass', 'base'), head);
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

describe('threshold parsing', () => {
  it('has a documented default for every figure', () => {
    expect(parseThresholds(undefined)).toEqual(DEFAULT_THRESHOLDS);
    expect(parseThresholds('')).toEqual(DEFAULT_THRESHOLDS);
    expect(DEFAULT_THRESHOLD_SPEC).toBe(
      'p50=+10%,p90=+10%,p99=+10%,max=off,throughput=-5%,bytes_per_msg=+5%,requests_per_msg=+5%,cpu_per_msg=+15%,rss_per_conn=+20%,lost=+0,connect_p99=off',
    );
  });

  it('overrides the figures it names and keeps the other defaults', () => {
    const thresholds = parseThresholds(' p99=+20% , cpu_per_msg=off,max=+50%,throughput=-2.5%,connect_p99=+3 ');
    expect(thresholds.p99).toEqual({ kind: 'percent', limit: 20, text: '+20%', source: 'user' });
    expect(thresholds.cpu_per_msg).toBeNull();
    expect(thresholds.max).toEqual({ kind: 'percent', limit: 50, text: '+50%', source: 'user' });
    expect(thresholds.throughput).toEqual({ kind: 'percent', limit: -2.5, text: '-2.5%', source: 'user' });
    expect(thresholds.connect_p99).toEqual({ kind: 'absolute', limit: 3, text: '+3', source: 'user' });
    expect(thresholds.p50).toBe(DEFAULT_THRESHOLDS.p50);
    expect(thresholds.lost).toBe(DEFAULT_THRESHOLDS.lost);
  });

  it.each([
    ['p99=10', 'expected NAME=+N% or NAME=-N% (NAME=+N for an absolute limit, NAME=off for none), got "p99=10"'],
    ['p99', 'expected NAME=+N% or NAME=-N% (NAME=+N for an absolute limit, NAME=off for none), got "p99"'],
    ['p99=+10%%', 'got "p99=+10%%"'],
    [
      'p98=+10%',
      'expected a figure name before "=", one of p50, p90, p99, max, throughput, bytes_per_msg, requests_per_msg, cpu_per_msg, rss_per_conn, lost, connect_p99, got "p98=+10%"',
    ],
    ['throughput=+5%', 'expected throughput=-N%: throughput gets worse as it falls, got "throughput=+5%"'],
    ['lost=-1', 'expected lost=+N: lost gets worse as it rises, got "lost=-1"'],
    ['throughput=-150%', 'with N at most 100'],
    ['p50=+5%,p99=+10%,p50=+8%', 'expected each figure once; p50 is given twice, got "p50=+8%"'],
  ])('refuses %s, naming the item', (spec, message) => {
    const error = thrown(() => parseThresholds(spec));
    expect(error.code).toBe('IMB_ERR_INVALID_OPTION');
    expect(error.exitCode).toBe(2);
    expect(error.message.startsWith('--threshold: ')).toBe(true);
    expect(error.message).toContain(message);
  });
});
