import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  HISTOGRAM_HIGHEST_MICROS,
  mergeInto,
  recordMicros,
  summarize,
  type Histogram,
} from '../../src/core/histogram.js';
import type { RunResult } from '../../src/document/result.js';

function histogramOf(values: readonly number[]): Histogram {
  const histogram = createHistogram();
  for (const value of values) recordMicros(histogram, value);
  return histogram;
}

/** Deterministic spread from 1 µs to about 40 s. */
function spread(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.exp((((i * 7919 + seed) % 1000) / 1000) * Math.log(4e7)));
}

describe('histogram', () => {
  it('round-trips through the compressed encoding exactly', () => {
    const original = histogramOf(spread(5_000, 17));
    const encoded = encodeHistogram(original);
    expect(encoded).toMatch(/^HIST[A-Za-z0-9+/]+=*$/);
    const decoded = decodeHistogram(encoded);
    expect(encodeHistogram(decoded)).toBe(encoded);
    expect(decoded.totalCount).toBe(original.totalCount);
    for (const p of [0, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100]) {
      expect(decoded.getValueAtPercentile(p)).toBe(original.getValueAtPercentile(p));
    }
    expect(summarize(decoded)).toEqual(summarize(original));
  });

  it('round-trips an empty histogram, whose summary is not measured (null), never 0 ms', () => {
    const decoded = decodeHistogram(encodeHistogram(createHistogram()));
    const none = { min: null, mean: null, p50: null, p90: null, p99: null, p999: null, max: null };
    expect(summarize(decoded)).toEqual({ count: 0, ...none });
  });

  it('clamps values below 1 µs and above 60 s instead of throwing', () => {
    const histogram = createHistogram();
    for (const value of [0, -5, 0.2, Number.NaN, Number.NEGATIVE_INFINITY]) recordMicros(histogram, value);
    expect(summarize(histogram)).toMatchObject({ count: 5, min: 0.001, max: 0.001 });

    recordMicros(histogram, HISTOGRAM_HIGHEST_MICROS * 10);
    recordMicros(histogram, Number.POSITIVE_INFINITY);
    const summary = summarize(histogram);
    expect(summary.count).toBe(7);
    // The top bucket's upper bound: 60 s within the 3-significant-digit resolution.
    expect(summary.max).toBeGreaterThanOrEqual(60_000);
    expect(summary.max).toBeLessThan(60_000 * 1.001);
  });

  it('rounds fractional microseconds to the nearest whole one', () => {
    expect(summarize(histogramOf([1.4, 1.6, 2.5]))).toMatchObject({ min: 0.001, max: 0.003 });
  });

  it('summarizes in milliseconds, exactly where the resolution is one microsecond', () => {
    const summary = summarize(histogramOf([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]));
    expect(summary).toEqual({ count: 10, min: 0.1, mean: 0.55, p50: 0.5, p90: 0.9, p99: 1, p999: 1, max: 1 });
  });

  it('summarizes large values within 0.1 %', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => (i + 1) * 100); // 0.1 ms … 10 s
    const summary = summarize(histogramOf(values));
    expect(summary.count).toBe(100_000);
    const near = (actual: number | null, expected: number): void => {
      expect(Math.abs(actual! - expected) / expected).toBeLessThan(0.001);
    };
    near(summary.min, 0.1);
    near(summary.mean, 5_000.05);
    near(summary.p50, 5_000);
    near(summary.p90, 9_000);
    near(summary.p99, 9_900);
    near(summary.p999, 9_990);
    near(summary.max, 10_000);
  });

  it('merges into a histogram equal to one that recorded every value', () => {
    const a = spread(2_000, 3);
    const b = spread(3_000, 11);
    const merged = histogramOf(a);
    mergeInto(merged, decodeHistogram(encodeHistogram(histogramOf(b))));
    const direct = histogramOf([...a, ...b]);
    expect(merged.totalCount).toBe(5_000);
    expect(encodeHistogram(merged)).toBe(encodeHistogram(direct));
    expect(summarize(merged)).toEqual(summarize(direct));
  });

  it('decodes the fixture histograms to the summaries stored beside them', () => {
    const fixture = JSON.parse(
      readFileSync(new URL('../fixtures/result-notify.json', import.meta.url), 'utf8'),
    ) as RunResult;
    for (const transport of fixture.transports) {
      expect(summarize(decodeHistogram(transport.latencyHistogram))).toEqual(transport.latency);
      expect(summarize(decodeHistogram(transport.connectHistogram))).toEqual(transport.connect);
    }
  });
});
