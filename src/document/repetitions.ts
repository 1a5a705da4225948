import type { TransportResult } from './result.js';

/**
 * The complete repetition with the median p99 (the lower middle one for an even count) stands
 * for them all; one cut short by an interruption stands only when there is no other.
 */
export function representative(repetitions: readonly TransportResult[]): TransportResult {
  const complete = repetitions.filter((repetition) => !repetition.partial);
  // A repetition that measured no latency sorts last: it cannot speak for the others.
  const p99 = (repetition: TransportResult): number => repetition.latency.p99 ?? Number.POSITIVE_INFINITY;
  const byP99 = [...(complete.length > 0 ? complete : repetitions)].sort((a, b) => p99(a) - p99(b));
  const median = byP99[Math.floor((byP99.length - 1) / 2)]!;
  return repetitions.length > 1 ? { ...median, repetitions: [...repetitions] } : median;
}

/** Every repetition of a technique's result, or the result alone when it was run once. */
export function repetitionsOf(result: TransportResult): readonly TransportResult[] {
  return result.repetitions !== undefined && result.repetitions.length > 0 ? result.repetitions : [result];
}

/**
 * Loss is a correctness figure: one repetition in three losing copies is a bug, not noise,
 * so reports show the worst repetition's count, not the headline's.
 */
export function worstLost(result: TransportResult): number {
  return Math.max(...repetitionsOf(result).map((repetition) => repetition.delivery.lost));
}

export function worstDuplicated(result: TransportResult): number {
  return Math.max(...repetitionsOf(result).map((repetition) => repetition.delivery.duplicated));
}
