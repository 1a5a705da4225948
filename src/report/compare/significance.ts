import { upperQuantile, upperTail } from './student-t.js';

/** Sample mean and (n − 1) variance. */
function moments(values: readonly number[]): { n: number; mean: number; variance: number } {
  const n = values.length;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  const variance = n > 1 ? values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1) : 0;
  return { n, mean, variance };
}

/**
 * The one-sided p-value of Welch's t-test that the head's mean lies above the base's (`up`) or
 * below it (`down`); null with fewer than 2 values on a side, where no spread can be estimated.
 * Two sides without any spread (a deterministic figure) decide by their means alone.
 */
export function welchOneSided(
  base: readonly number[],
  head: readonly number[],
  direction: 'up' | 'down',
): number | null {
  if (base.length < 2 || head.length < 2) return null;
  const b = moments(base);
  const h = moments(head);
  const shift = direction === 'up' ? h.mean - b.mean : b.mean - h.mean;
  const baseShare = b.variance / b.n;
  const headShare = h.variance / h.n;
  const standardError = Math.sqrt(baseShare + headShare);
  if (withoutSpread(base, head) || standardError < 1e-12 * Math.max(Math.abs(b.mean), Math.abs(h.mean))) {
    return shift > 0 ? 0 : shift < 0 ? 1 : 0.5;
  }
  // Welch–Satterthwaite degrees of freedom.
  const df = (baseShare + headShare) ** 2 / (baseShare ** 2 / (b.n - 1) + headShare ** 2 / (h.n - 1));
  return upperTail(shift / standardError, df);
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
 * The fewest repetitions per side with which the observed difference would pass a one-sided
 * t-test at `level`, if the means and the pooled spread stayed as observed; null when even
 * MAX_SUGGESTED_REPEAT would not do, or when there is no spread to go by.
 */
export function repetitionsToDecide(base: readonly number[], head: readonly number[], level: number): number | null {
  if (base.length < 2 || head.length < 2) return null;
  const b = moments(base);
  const h = moments(head);
  const difference = Math.abs(h.mean - b.mean);
  const pooled = Math.sqrt(((b.n - 1) * b.variance + (h.n - 1) * h.variance) / (b.n + h.n - 2));
  if (difference === 0 || pooled === 0) return null;
  for (let n = Math.max(2, Math.min(b.n, h.n)); n <= MAX_SUGGESTED_REPEAT; n++) {
    if (difference / (pooled * Math.sqrt(2 / n)) > upperQuantile(level, 2 * n - 2)) return n;
  }
  return null;
}
