import { describe, expect, it } from 'vitest';
import { hrtimeNs } from '../../src/core/clock.js';
import { parseShard } from '../../src/cli/options.js';
import {
  AUTO_LOCAL_ADDRESSES,
  describePlan,
  parseLocalAddresses,
  planGenerator,
} from '../../src/harness/generator/generator-plan.js';
import { ScheduleTimer } from '../../src/harness/publish/schedule-timer.js';
import { expectedLastSeqs, ownsMessage, shardSlice, shardTag } from '../../src/harness/run/shard.js';
import { splitSlice } from '../../src/harness/generator/worker-group.js';

const fanOut = { publisher: 'server' as const };
const plan = (clients: number, workers: number | 'auto' = 'auto', generatorCores = 1, targetHost = '127.0.0.1') =>
  planGenerator({ workers, localAddresses: 'auto' }, { clients, scenario: fanOut, targetHost, generatorCores });

describe('planGenerator', () => {
  it('keeps the clients in this process until the open-file budget or spare cores call for workers', () => {
    expect(plan(100).workers).toBe(1);
    expect(plan(10_000).workers).toBe(1);
    expect(plan(10_001).workers).toBe(2);
    expect(plan(19_000).workers).toBe(2);
    expect(plan(45_000).workers).toBe(5);
    // With spare cores, one worker per core once there are 2,000 clients a core to share.
    expect(plan(1_000, 'auto', 7).workers).toBe(1);
    expect(plan(5_000, 'auto', 7).workers).toBe(3);
    expect(plan(50_000, 'auto', 7).workers).toBe(7);
    expect(plan(5, 8).workers).toBe(5);
    expect(plan(100, 3).workers).toBe(3);
  });

  it('spreads over loopback source addresses once one address would run short of ports, for loopback targets only', () => {
    expect(plan(15_000).localAddresses).toEqual([]);
    expect(plan(15_001).localAddresses).toEqual(parseLocalAddresses(AUTO_LOCAL_ADDRESSES));
    expect(plan(15_001).localAddresses).toHaveLength(8);
    expect(plan(19_000, 'auto', 1, '10.0.0.5').localAddresses).toEqual([]);
    expect(plan(19_000, 'auto', 1, '[::1]').localAddresses).toEqual([]);
    expect(
      planGenerator(
        { workers: 1, localAddresses: ['127.0.0.5'] },
        { clients: 10, scenario: fanOut, targetHost: '127.0.0.1', generatorCores: 1 },
      ).localAddresses,
    ).toEqual(['127.0.0.5']);
  });

  it('keeps a chat in one process, and says so when more workers are asked for', () => {
    const chat = { publisher: 'clients' as const };
    expect(
      planGenerator(
        { workers: 'auto', localAddresses: 'auto' },
        { clients: 50_000, scenario: chat, targetHost: '127.0.0.1', generatorCores: 4 },
      ).workers,
    ).toBe(1);
    expect(() =>
      planGenerator(
        { workers: 2, localAddresses: 'auto' },
        { clients: 100, scenario: chat, targetHost: '127.0.0.1', generatorCores: 1 },
      ),
    ).toThrow(/--workers: expected 1 or auto for a chat scenario/);
  });
});

describe('--local-address and --shard', () => {
  it('reads ranges in the last octet and lists, and refuses the rest naming the flag', () => {
    expect(parseLocalAddresses('127.0.0.2-127.0.0.4')).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4']);
    expect(parseLocalAddresses('127.0.0.2,127.0.1.9')).toEqual(['127.0.0.2', '127.0.1.9']);
    for (const bad of [
      '',
      'localhost',
      '127.0.0.4-127.0.0.2',
      '127.0.0.2-127.0.1.3',
      '::1',
      '127.0.0.2,127.0.0.2',
      '127.0.0.300',
    ]) {
      expect(() => parseLocalAddresses(bad), bad).toThrow(/--local-address/);
    }
  });

  it('reads I/N with 0 <= I < N', () => {
    expect(parseShard('0/1')).toEqual({ index: 0, count: 1 });
    expect(parseShard('3/4')).toEqual({ index: 3, count: 4 });
    for (const bad of ['4/4', '1', '-1/2', '1/0', 'a/b', '1/2/3'])
      expect(() => parseShard(bad), bad).toThrow(/--shard: expected I\/N/);
  });
});

describe('slices', () => {
  it('shards and workers split the clients exactly, each index once', () => {
    for (const [total, parts] of [
      [10, 3],
      [19_000, 2],
      [7, 7],
      [5, 1],
    ] as const) {
      const shards = Array.from({ length: parts }, (_, index) => shardSlice(total, { index, count: parts }));
      expect(shards.reduce((sum, slice) => sum + slice.clients, 0)).toBe(total);
      shards.forEach((slice, i) => {
        expect(slice.firstIndex).toBe(i === 0 ? 0 : shards[i - 1]!.firstIndex + shards[i - 1]!.clients);
      });
      const workers = splitSlice(shards[0]!.firstIndex, shards[0]!.clients, 2);
      expect(workers.reduce((sum, slice) => sum + slice.clients, 0)).toBe(shards[0]!.clients);
    }
    expect(shardSlice(10, undefined)).toEqual({ firstIndex: 0, clients: 10 });
  });

  it('each shard publishes its share of the schedule, with its own tag', async () => {
    const offsets = new Float64Array([0, 1, 2, 3, 4, 5, 6]);
    const sent: number[][] = [[], []];
    for (const index of [0, 1]) {
      const publisher = new ScheduleTimer(offsets, hrtimeNs(), (message) => sent[index]!.push(message), {
        shard: { index, count: 2 },
      });
      publisher.start();
      await publisher.done;
      expect(publisher.sent).toBe(sent[index]!.length);
    }
    expect(sent).toEqual([
      [0, 2, 4, 6],
      [1, 3, 5],
    ]);
    expect([0, 1, 2, 3].filter((i) => ownsMessage(i, { index: 1, count: 2 }))).toEqual([1, 3]);
    expect(shardTag({ index: 1, count: 2 })).not.toBe(shardTag({ index: 0, count: 2 }));
    expect(shardTag(undefined)).toBeUndefined();
  });

  it("knows when the log holds the whole schedule, every shard's share", () => {
    // 7 messages over 3 channels: ch0 gets 0, 3, 6; ch1 gets 1, 4; ch2 gets 2, 5. ch1 held 10 before.
    const complete = expectedLastSeqs(7, ['ch0', 'ch1', 'ch2'], new Map([['ch1', 10]]));
    expect(
      complete(
        new Map([
          ['ch0', 3],
          ['ch1', 12],
          ['ch2', 2],
        ]),
      ),
    ).toBe(true);
    expect(
      complete(
        new Map([
          ['ch0', 3],
          ['ch1', 11],
          ['ch2', 2],
        ]),
      ),
    ).toBe(false);
    expect(
      complete(
        new Map([
          ['ch0', 3],
          ['ch1', 12],
        ]),
      ),
    ).toBe(false);
  });
});

describe('describePlan', () => {
  it('names the limits and how the clients fit them', () => {
    const capacity = {
      clients: 19_000,
      descriptorsNeeded: 9_564,
      serverDescriptorsNeeded: 19_064,
      openFiles: { soft: 20_000, hard: 20_000 },
      ephemeralPorts: { low: 32_768, high: 60_999, count: 28_232 },
      raised: false,
    };
    expect(describePlan(plan(19_000), capacity, 24 * 2 ** 30)).toBe(
      'machine: open files 20,000 a process, 28,232 ephemeral ports an address, 24 GiB memory. ' +
        '19,000 clients over 2 worker processes, from 8 source addresses (about 9,564 open files a process); the server needs about 19,064 open files',
    );
  });
});
