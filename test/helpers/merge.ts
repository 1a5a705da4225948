import { expect } from 'vitest';
import { ImBenchError, type ErrorCode } from '../../src/core/errors.js';
import { createHistogram, recordMicros, type Histogram } from '../../src/core/histogram.js';
import type { RunResult } from '../../src/document/result.js';
import type { ShardDocument } from '../../src/document/shard-file.js';
import { mergeShards } from '../../src/report/merge/merge.js';
import { SUMMED_FIGURES } from './shards.js';

// Shared by the merge tests (test/unit/merge*.test.ts).

export function histogramOf(values: readonly number[]): Histogram {
  const histogram = createHistogram();
  for (const value of values) recordMicros(histogram, value);
  return histogram;
}

export const named = (a: RunResult, b: RunResult): ShardDocument[] => [
  { name: 'a.json', result: a },
  { name: 'b.json', result: b },
];

export function refusal(documents: ShardDocument[]): ImBenchError {
  try {
    mergeShards(documents);
  } catch (error) {
    if (error instanceof ImBenchError) return error;
    throw error;
  }
  throw new Error('merged documents it should have refused');
}

export function expectRefused(documents: ShardDocument[], code: ErrorCode, message: string): void {
  const error = refusal(documents);
  expect(error.code).toBe(code);
  expect(error.exitCode).toBe(2);
  expect(error.message).toBe(message);
}

/** The fixture with every counter above zero (a real run lost nothing), so a sum cannot pass for a maximum. */
export function everyCounterSet(run: RunResult): RunResult {
  run.transports.forEach((t, i) => {
    for (const [group, key] of SUMMED_FIGURES) {
      const figures = (t as unknown as Record<string, Record<string, number>>)[group]!;
      if (figures[key] === 0) figures[key] = 5 + i;
    }
  });
  return run;
}
