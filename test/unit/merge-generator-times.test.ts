import { describe, expect, it } from 'vitest';
import { mergeShards } from '../../src/report/merge/merge.js';
import { everyCounterSet, named } from '../helpers/merge.js';
import { distinctValues, fixtureResult, splitIntoTwoShards } from '../helpers/shards.js';

describe('mergeShards', () => {
  const run = everyCounterSet(fixtureResult('result-notify.json'));

  it("keeps the worst generator figures, and each shard's own under merged", () => {
    const [calm, busy] = splitIntoTwoShards(run, distinctValues);
    busy.transports[2]!.generator = {
      eventLoopDelayP99Ms: 45,
      eventLoopDelayMaxMs: 80,
      stalledShare: 0.2,
      cpuUtilization: 0.95,
      bound: true,
    };
    calm.transports[2]!.generator = {
      eventLoopDelayP99Ms: 12,
      eventLoopDelayMaxMs: 120,
      stalledShare: 0.01,
      cpuUtilization: 0.3,
      bound: false,
    };
    const result = mergeShards(named(calm, busy));
    expect(result.transports[2]!.generator).toEqual({
      eventLoopDelayP99Ms: 45,
      eventLoopDelayMaxMs: 120,
      stalledShare: 0.2,
      cpuUtilization: 0.95,
      bound: true,
    });
    expect(result.transports[0]!.generator.bound).toBe(false);
    const kept = result.merged!.from.map((shard) => shard.transports[2]!.runs[0]!.generator);
    expect(kept).toEqual([calm.transports[2]!.generator, busy.transports[2]!.generator]);
    expect(result.merged!.from[1]!.transports[2]!.runs[0]!.clients).toEqual(busy.transports[2]!.clients);
  });

  it('takes the longest window, the earliest start and latest finish, and the distinct error samples', () => {
    const [first, second] = splitIntoTwoShards(run, distinctValues);
    second.transports[1]!.windowSeconds = 8.25;
    second.startedAt = '2025-06-03T09:14:04.000Z';
    second.finishedAt = '2025-06-03T09:14:59.000Z';
    first.transports[1]!.errorSamples = ['socket hang up', 'ECONNRESET'];
    second.transports[1]!.errorSamples = ['ECONNRESET', 'a', 'b', 'c', 'd'];
    const result = mergeShards(named(first, second));
    expect(result.transports[1]!.windowSeconds).toBe(8.25);
    expect(result.startedAt).toBe(run.startedAt);
    expect(result.finishedAt).toBe('2025-06-03T09:14:59.000Z');
    expect(result.transports[1]!.errorSamples).toEqual(['socket hang up', 'ECONNRESET', 'a', 'b', 'c']);
  });
});
