import { describe, expect, it } from 'vitest';
import {
  holmAdjusted,
  repetitionsToDecide,
  trimmedOneSided,
  welchOneSided,
} from '../../src/report/compare/significance.js';
import { upperQuantile, upperTail } from '../../src/report/compare/student-t.js';

describe("Student's t distribution", () => {
  it('matches published critical values', () => {
    // Two-sided 95 % and one-sided 95 % points, from the standard tables.
    expect(upperQuantile(0.025, 4)).toBeCloseTo(2.7764, 4);
    expect(upperQuantile(0.05, 2)).toBeCloseTo(2.92, 3);
    expect(upperQuantile(0.05, 10)).toBeCloseTo(1.8125, 4);
    expect(upperQuantile(0.001, 1)).toBeCloseTo(318.309, 2);
    expect(upperQuantile(0.05, 1000)).toBeCloseTo(1.6464, 3);
  });

  it('gives tail probabilities, fractional degrees of freedom included', () => {
    expect(1 - upperTail(2, 4)).toBeCloseTo(0.941942, 6);
    expect(upperTail(0, 7)).toBe(0.5);
    expect(upperTail(-2, 4)).toBeCloseTo(0.941942, 6);
    // Between its neighbours, as a fractional df must be.
    expect(upperTail(2, 4.5)).toBeLessThan(upperTail(2, 4));
    expect(upperTail(2, 4.5)).toBeGreaterThan(upperTail(2, 5));
    expect(upperQuantile(upperTail(3.3, 6.2), 6.2)).toBeCloseTo(3.3, 8);
  });
});

describe("Welch's t-test, one-sided", () => {
  it('gives the textbook p-value', () => {
    // Equal variances and sizes: t = 3 / sqrt(1/3 + 1/3) = 3.674 with 4 degrees of freedom.
    expect(welchOneSided([1, 2, 3], [4, 5, 6], 'up')).toBeCloseTo(upperTail(3.674235, 4), 6);
    expect(welchOneSided([1, 2, 3], [4, 5, 6], 'up')).toBeCloseTo(0.0107, 4);
    expect(welchOneSided([1, 2, 3], [4, 5, 6], 'down')).toBeCloseTo(1 - 0.0107, 4);
  });

  it('uses the Welch–Satterthwaite degrees of freedom when the spreads differ', () => {
    const base = [10, 10.1, 9.9, 10.05];
    const head = [11, 13, 12, 14];
    const variance = (values: number[], mean: number): number =>
      values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
    const t = (12.5 - 10.0125) / Math.sqrt(variance(base, 10.0125) / 4 + variance(head, 12.5) / 4);
    const p = welchOneSided(base, head, 'up')!;
    // Between the p of a 3-df test (the noisy side alone) and a 6-df one (both sides pooled).
    expect(p).toBeGreaterThan(upperTail(t, 6));
    expect(p).toBeLessThan(upperTail(t, 3) * 1.01);
  });

  it('decides two sides without any spread by their means, and needs two values a side', () => {
    expect(welchOneSided([5, 5, 5], [6, 6, 6], 'up')).toBe(0);
    expect(welchOneSided([5, 5, 5], [6, 6, 6], 'down')).toBe(1);
    expect(welchOneSided([5, 5], [5, 5], 'up')).toBe(0.5);
    expect(welchOneSided([5], [6, 7], 'up')).toBeNull();
  });
});

describe("Yuen's test on 20 % trimmed means, one-sided", () => {
  it('gives the hand-computed p-value', () => {
    // Six a side: the lowest and highest set aside, trimmed means 3.5 and 6.5; winsorized
    // [2,2,3,4,5,5] has variance 1.9, so each side's share is 5·1.9/(4·3) = 0.7917, the standard
    // error √1.5833 = 1.2583, t = 3/1.2583 = 2.3842, with (2·0.7917)² / (2·0.7917²/3) = 6 df.
    const p = trimmedOneSided([1, 2, 3, 4, 5, 6], [4, 5, 6, 7, 8, 9], 'up')!;
    expect(p).toBeCloseTo(upperTail(2.384158, 6), 6);
    expect(p).toBeCloseTo(0.0273, 3);
  });

  it('is not moved by how far one repetition strays, where Welch loses the shift in it', () => {
    const base = [56.3, 53.9, 56.6, 55.2, 58, 58.1];
    const head = [68.7, 71.6, 67.8, 73.5, 66.7, 70.1];
    const stray = [68.7, 71.6, 67.8, 73.5, 66.7, 40.1];
    const farther = [68.7, 71.6, 67.8, 73.5, 66.7, 10.1];
    expect(trimmedOneSided(base, stray, 'up')).toBeCloseTo(trimmedOneSided(base, farther, 'up')!, 12);
    expect(trimmedOneSided(base, stray, 'up')!).toBeLessThan(0.001);
    expect(welchOneSided(base, stray, 'up')!).toBeGreaterThan(0.05);
    expect(trimmedOneSided(base, head, 'up')!).toBeLessThan(0.001);
  });

  it("trims nothing from five values or fewer, and is Welch's test then", () => {
    expect(trimmedOneSided([1, 2, 3], [4, 5, 6], 'up')).toBe(welchOneSided([1, 2, 3], [4, 5, 6], 'up'));
    expect(trimmedOneSided([1, 2, 3, 4], [4, 5, 6, 9], 'up')).toBe(welchOneSided([1, 2, 3, 4], [4, 5, 6, 9], 'up'));
    expect(trimmedOneSided([1, 2, 3, 4, 5], [4, 5, 6, 7, 30], 'up')).toBe(
      welchOneSided([1, 2, 3, 4, 5], [4, 5, 6, 7, 30], 'up'),
    );
    expect(trimmedOneSided([1, 2, 3, 4, 5, 6], [4, 5, 6, 7, 8, 30], 'up')).not.toBe(
      welchOneSided([1, 2, 3, 4, 5, 6], [4, 5, 6, 7, 8, 30], 'up'),
    );
  });
});

describe("Holm's correction", () => {
  it('steps down through the sorted p-values and keeps them monotone', () => {
    // m = 4: 0.01·4, 0.02·3, 0.03·2 (raised to 0.06 by the step before), 0.5·1.
    expect(holmAdjusted([0.03, 0.01, 0.5, 0.02])).toEqual([0.06, 0.04, 0.5, 0.06]);
  });

  it('leaves untested figures out of the family', () => {
    expect(holmAdjusted([null, 0.01, null, 0.04])).toEqual([null, 0.02, null, 0.04]);
    // Never below a smaller p's adjusted value, never above 1.
    expect(holmAdjusted([0.6, 0.7])).toEqual([1, 1]);
  });
});

describe('repetitions that would decide', () => {
  it('grows as the change shrinks against the spread, and gives up past 30', () => {
    const base = [10, 11, 9];
    const few = repetitionsToDecide(base, [14, 15, 13], 0.05 / 30)!;
    const more = repetitionsToDecide(base, [12, 13, 11], 0.05 / 30)!;
    expect(few).toBeLessThan(more);
    expect(repetitionsToDecide(base, [10.1, 11.1, 9.1], 0.05 / 30)).toBeNull();
    expect(repetitionsToDecide([5, 5], [6, 6], 0.01)).toBeNull();
  });

  it('is a count at which the test would pass with the observed means and spread', () => {
    const base = [10, 11, 9];
    const head = [12, 13, 11];
    const n = repetitionsToDecide(base, head, 0.01)!;
    const grown = (values: number[]): number[] => Array.from({ length: n }, (_, i) => values[i % 3]!);
    expect(trimmedOneSided(grown(base), grown(head), 'up')!).toBeLessThan(0.011);
    expect(trimmedOneSided(grown(base).slice(1), grown(head).slice(1), 'up')!).toBeGreaterThan(0.01);
  });
});
