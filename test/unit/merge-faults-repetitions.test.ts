import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/core/histogram.js';
import { mergeShards } from '../../src/report/merge/merge.js';
import { everyCounterSet, histogramOf, named } from '../helpers/merge.js';
import { validateResult } from '../helpers/result-schema.js';
import { distinctValues, encoded, fixtureResult, spread, splitIntoTwoShards, TARGET } from '../helpers/shards.js';

describe('mergeShards', () => {
  const run = everyCounterSet(fixtureResult('result-notify.json'));

  it('merges fault results: affected and recovered clients summed, recovery histograms merged', () => {
    const [first, second] = splitIntoTwoShards(run, distinctValues);
    const recoveries = [spread(12, 3, 200_000, 5), spread(9, 5, 150_000, 8)];
    [first, second].forEach((shard, index) => {
      shard.transports[3]!.fault = {
        kind: 'drop',
        atSeconds: 3 + index * 0.01,
        affectedClients: 12 - 3 * index,
        recoveredClients: 12 - 3 * index,
        recovery: summarize(histogramOf(recoveries[index]!)),
        recoveryHistogram: encoded(recoveries[index]!),
        journal: null,
        epochs: null,
        shed: index,
      };
    });
    const fault = mergeShards(named(first, second)).transports[3]!.fault!;
    expect(fault).toMatchObject({
      kind: 'drop',
      atSeconds: 3.01,
      affectedClients: 21,
      recoveredClients: 21,
      journal: null,
      epochs: null,
      shed: 1,
    });
    expect(fault.recovery).toEqual(summarize(histogramOf([...recoveries[0]!, ...recoveries[1]!])));
    expect(fault.recovery.count).toBe(21);

    [first, second].forEach((shard, index) => {
      shard.transports[0]!.fault = {
        ...shard.transports[3]!.fault!,
        kind: 'restart',
        journal: false,
        epochs: 2 - index,
      };
    });
    expect(mergeShards(named(first, second)).transports[0]!.fault).toMatchObject({
      kind: 'restart',
      journal: false,
      epochs: 2,
    });
  });

  it('merges repetition k with repetition k, and heads each technique with the merged median p99', () => {
    const repeated = fixtureResult('result-repeat3.json');
    // Repetition 0 slowest, 1 fastest, 2 in between: the headline must be the merged repetition 2.
    const scale = [3, 1, 2];
    const values = (k: number, shard: number): number[] => spread(300, 11 * k + shard, 2_000 * scale[k]! * (1 + shard));
    const shards = [structuredClone(repeated), structuredClone(repeated)];
    shards.forEach((shard, index) => {
      shard.shard = { index, count: 2 };
      shard.environment.target = TARGET;
      for (const t of shard.transports) {
        t.repetitions!.forEach((repetition, k) => {
          repetition.clients.requested = index === 0 ? 12 : 8;
          repetition.latencyHistogram = encoded(values(k, index));
        });
      }
    });
    const result = mergeShards(named(shards[0]!, shards[1]!));
    expect(validateResult(result)).toEqual([]);
    for (const t of result.transports) {
      expect(t.repetitions).toHaveLength(3);
      t.repetitions!.forEach((repetition, k) => {
        expect(repetition.latency).toEqual(summarize(histogramOf([...values(k, 0), ...values(k, 1)])));
        expect(repetition.clients.requested).toBe(20);
      });
      const { repetitions, ...headline } = t;
      expect(headline).toEqual(repetitions![2]);
    }
    expect(result.merged!.from[0]!.transports[0]!.runs).toHaveLength(3);
  });
});
