import { upperQuantile, upperTail } from './student-t.js';

/**
 * The share of values cut from each end before the means are compared: 20 %, the usual choice
 * for Yuen's test (Wilcox), as long as 4 values remain. With 6 repetitions a side it sets aside
 * the lowest and the highest; with 5 or fewer, none, and the test is Welch's: trimming 5 down
 * to 3 would cost more power than the stray value it guards against.
 */
export const TRIM = 0.2;
const MIN_KEPT = 4;

/** How many values are cut from each end of n. */
function trimmedCount(n: number, trim: number): number {
  const g = Math.floor(trim * n);
  return n - 2 * g >= MIN_KEPT ? g : 0;
}

/**
 * A side as Yuen's test sees it: n values, of which h remain after trimming g from each end;
 * their trimmed mean, and the share of the squared standard error it contributes,
 * (n − 1)·s²w / (h·(h − 1)) with s²w the winsorized variance (for g = 0, Welch's s²/n).
 */
function trimmedSide(values: readonly number[], trim: number): { h: number; mean: number; share: number } {
  const n = values.length;
  const sorted = [...values].sort((a, b) => a - b);
  const g = trimmedCount(n, trim);
  const h = n - 2 * g;
  const kept = sorted.slice(g, n - g);
  const mean = kept.reduce((sum, value) => sum + value, 0) / h;
  const winsorized = sorted.map((value) => Math.min(Math.max(value, sorted[g]!), sorted[n - g - 1]!));
  const winsorizedMean = winsorized.reduce((sum, value) => sum + value, 0) / n;
  const winsorizedVariance = winsorized.reduce((sum, value) => sum + (value - winsorizedMean) ** 2, 0) / (n - 1);
  return { h, mean, share: ((n - 1) * winsorizedVariance) / (h * (h - 1)) };
}

/**
 * The one-sided p-value of Yuen's test that the head's trimmed mean lies above the base's (`up`)
 * or below it (`down`): Welch's t-test on 20 % trimmed means with winsorized variances, so that
 * one repetition far from the others (a garbage collection that fell in one window and not the
 * next) neither hides a real shift nor makes one. Null with fewer than 2 values on a side, where
 * no spread can be estimated. Two sides without any spread decide by their means alone.
 */
export function trimmedOneSided(
  base: readonly number[],
  head: readonly number[],
  direction: 'up' | 'down',
  trim = TRIM,
): number | null {
  if (base.length < 2 || head.length < 2) return null;
  const b = trimmedSide(base, trim);
  const h = trimmedSide(head, trim);
  const shift = direction === 'up' ? h.mean - b.mean : b.mean - h.mean;
  const standardError = Math.sqrt(b.share + h.share);
  if (withoutSpread(base, head) || standardError < 1e-12 * Math.max(Math.abs(b.mean), Math.abs(h.mean))) {
    return shift > 0 ? 0 : shift < 0 ? 1 : 0.5;
  }
  // Welch–Satterthwaite degrees of freedom, on the values kept.
  const df = (b.share + h.share) ** 2 / (b.share ** 2 / (b.h - 1) + h.share ** 2 / (h.h - 1));
  return upperTail(shift / standardError, df);
}

/** Welch's t-test: Yuen's without trimming. */
export function welchOneSided(
  base: readonly number[],
  head: readonly number[],
  direction: 'up' | 'down',
): number | null {
  return trimmedOneSided(base, head, direction, 0);
}

/** Both sides have values, and none of them differ within a side: the figure did not vary at all. */
export function withoutSpread(base: readonly number[], head: readonly number[]): boolean {
  const constant = (values: readonly number[]): boolean => values.every((value) => value === values[0]);
  return base.length >= 2 && head.length >= 2 && constant(base) && constant(head);
}

/**
 * Holm's step-down adjustment: each p-value raised to what it must be compared with the
 * family-wise level directly (min(1, max over the smaller ones of (m − rank) · p)). Nulls stay
 * null and do not count in m.
 */
export function holmAdjusted(pValues: readonly (number | null)[]): (number | null)[] {
  const tested = pValues
    .map((p, index) => ({ p, index }))
    .filter((entry): entry is { p: number; index: number } => entry.p !== null)
    .sort((a, b) => a.p - b.p);
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 0;
  for (const [rank, { p, index }] of tested.entries()) {
    running = Math.max(running, Math.min(1, (tested.length - rank) * p));
    adjusted[index] = running;
  }
  return adjusted;
}

/** Beyond this, more repetitions are not a practical way to settle a figure. */
export const MAX_SUGGESTED_REPEAT = 30;

/**
 * The fewest repetitions per side with which the observed difference would pass the one-sided
 * test at `level`, if the trimmed means stayed as observed and each side's standard error
 * shrank as 1/√n; null when even MAX_SUGGESTED_REPEAT would not do, or when there is no spread
 * to go by.
 */
export function repetitionsToDecide(base: readonly number[], head: readonly number[], level: number): number | null {
  if (base.length < 2 || head.length < 2) return null;
  const b = trimmedSide(base, TRIM);
  const h = trimmedSide(head, TRIM);
  const difference = Math.abs(h.mean - b.mean);
  // n times the squared standard error, which stays put as n grows.
  const spread = b.share * base.length + h.share * head.length;
  if (difference === 0 || spread === 0) return null;
  for (let n = Math.max(2, Math.min(base.length, head.length)); n <= MAX_SUGGESTED_REPEAT; n++) {
    const kept = n - 2 * trimmedCount(n, TRIM);
    if (difference / Math.sqrt(spread / n) > upperQuantile(level, 2 * (kept - 1))) return n;
  }
  return null;
}
