import type { TransportResult } from './result.js';

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
