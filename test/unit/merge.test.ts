import { describe, expect, it } from 'vitest';
import { ImBenchError, type ErrorCode } from '../../src/core/errors.js';
import { createHistogram, decodeHistogram, recordMicros, summarize, type Histogram } from '../../src/core/histogram.js';
import { shardNote } from '../../src/report/caveats.js';
import type { ShardDocument } from '../../src/document/shard-file.js';
import { mergeShards } from '../../src/report/merge/merge.js';
import type { RunResult, TransportResult } from '../../src/document/result.js';
import { validateResult } from '../helpers/result-schema.js';
import {
  distinctValues,
  encoded,
  fixtureResult,
  SUMMED_FIGURES,
  spread,
  splitIntoTwoShards,
  TARGET,
} from '../helpers/shards.js';

function histogramOf(values: readonly number[]): Histogram {
  const histogram = createHistogram();
  for (const value of values) recordMicros(histogram, value);
  return histogram;
}

const named = (a: RunResult, b: RunResult): ShardDocument[] => [
  { name: 'a.json', result: a },
  { name: 'b.json', result: b },
];

function refusal(documents: ShardDocument[]): ImBenchError {
  try {
    mergeShards(documents);
  } catch (error) {
    if (error instanceof ImBenchError) return error;
    throw error;
  }
  throw new Error('merged documents it should have refused');
}

function expectRefused(documents: ShardDocument[], code: ErrorCode, message: string): void {
  const error = refusal(documents);
  expect(error.code).toBe(code);
  expect(error.exitCode).toBe(2);
  expect(error.message).toBe(message);
}

const figure = (t: TransportResult, group: string, key: string): number =>
  (t as unknown as Record<string, Record<string, number>>)[group]![key]!;

/** The fixture with every counter above zero (a real run lost nothing), so a sum cannot pass for a maximum. */
function everyCounterSet(run: RunResult): RunResult {
  run.transports.forEach((t, i) => {
    for (const [group, key] of SUMMED_FIGURES) {
      const figures = (t as unknown as Record<string, Record<string, number>>)[group]!;
      if (figures[key] === 0) figures[key] = 5 + i;
    }
  });
  return run;
}

describe('mergeShards', () => {
  const run = everyCounterSet(fixtureResult('result-notify.json'));
  const [a, b] = splitIntoTwoShards(run, distinctValues);
  const merged = mergeShards(named(a, b));

  it("gives the percentiles of one histogram that recorded every shard's values", () => {
    run.transports.forEach((_, i) => {
      const [first, second] = [distinctValues(i, 0), distinctValues(i, 1)];
      const latency = summarize(histogramOf([...first.latency, ...second.latency]));
      const t = merged.transports[i]!;
      expect(latency.count).toBe(first.latency.length + second.latency.length);
      expect(t.latency).toEqual(latency);
      expect(summarize(decodeHistogram(t.latencyHistogram))).toEqual(latency);
      // The shards alone have other percentiles: the merge is not a copy of one of them.
      expect(summarize(decodeHistogram(a.transports[i]!.latencyHistogram)).p99).not.toBe(latency.p99);
      expect(summarize(decodeHistogram(b.transports[i]!.latencyHistogram)).p50).not.toBe(latency.p50);
      expect(t.connect).toEqual(summarize(histogramOf([...first.connect, ...second.connect])));
    });
  });

  it("adds up every counter, so two halves of a run give the run's own counts back", () => {
    run.transports.forEach((original, i) => {
      const t = merged.transports[i]!;
      for (const [group, key] of SUMMED_FIGURES) {
        expect(figure(t, group, key), `${t.transport} ${group}.${key}`).toBe(figure(original, group, key));
        expect(figure(a.transports[i]!, group, key) + figure(b.transports[i]!, group, key)).toBe(
          figure(original, group, key),
        );
      }
      expect(t.delivery.throughputPerSecond).toBeCloseTo(original.delivery.throughputPerSecond, 9);
    });
  });

  it("recomputes per-message figures from the sums and takes the one server's readings, not their sum", () => {
    run.transports.forEach((original, i) => {
      const t = merged.transports[i]!;
      const delivered = original.delivery.deliveredInWindow;
      expect(t.requests.perMessage).toBeCloseTo(original.requests.inWindow / delivered, 9);
      expect(t.bytes.perMessage).toBeCloseTo(original.bytes.inWindow / delivered, 9);
      expect(t.bytes.overheadRatio).toBeCloseTo(original.bytes.inWindow / delivered / run.scenario.payloadBytes, 9);
      expect(t.server.cpuSeconds).toBe(original.server.cpuSeconds);
      expect(t.server.cpuMicrosPerMessage).toBeCloseTo(original.server.cpuMicrosPerMessage, 6);
      expect(t.server.idleRssBytes).toBe(original.server.idleRssBytes);
      expect(t.server.connectedRssBytes).toBe(original.server.connectedRssBytes);
      expect(t.server.peakRssBytes).toBe(original.server.peakRssBytes);
      expect(t.server.rssPerConnectionBytes).toBeCloseTo(original.server.rssPerConnectionBytes, 6);
      expect(t.requests.serverCounted).toBe(original.requests.serverCounted);
      expect(t.windowSeconds).toBe(original.windowSeconds);
    });
  });

  it('writes a document the schema accepts, marked merged, whatever order the shards come in', () => {
    expect(validateResult(merged)).toEqual([]);
    expect(merged.shard).toBeNull();
    expect(merged.aborted).toBe(false);
    expect(merged.scenario).toEqual(run.scenario);
    expect(merged.merged!.shards).toBe(2);
    expect(merged.merged!.from.map((shard) => [shard.index, shard.source])).toEqual([
      [0, 'a.json'],
      [1, 'b.json'],
    ]);
    const swapped = mergeShards([
      { name: 'b.json', result: b },
      { name: 'a.json', result: a },
    ]);
    expect(swapped).toEqual(merged);
  });

  it("is said to be a merge in reports, as a shard's document is said to be a shard's", () => {
    expect(shardNote(merged)).toMatch(/^Merged from 2 shards \(a\.json, b\.json\): /);
    expect(shardNote(b)).toMatch(/^Shard 1\/2: the figures cover this shard's slice of the clients only/);
    expect(shardNote(run)).toBeNull();
  });

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

describe('mergeShards refuses, naming the file', () => {
  const run = fixtureResult('result-notify.json');
  const pair = (): [RunResult, RunResult] => splitIntoTwoShards(run, distinctValues);

  it('a missing index', () => {
    const [a, b] = pair();
    a.shard = { index: 0, count: 3 };
    b.shard = { index: 1, count: 3 };
    expectRefused(
      named(a, b),
      'IMB_ERR_UNMERGEABLE',
      'shard 2 of 3 is missing: got a.json (shard 0), b.json (shard 1)',
    );
  });

  it('an index given twice', () => {
    const [a, b] = pair();
    expectRefused(
      [...named(a, b), { name: 'b-again.json', result: b }],
      'IMB_ERR_UNMERGEABLE',
      'b-again.json: shard 1 of 2 again (b.json is shard 1 too)',
    );
    expectRefused([...named(a, b), { name: 'b.json', result: b }], 'IMB_ERR_UNMERGEABLE', 'b.json: given twice');
  });

  it('shard counts that differ', () => {
    const [a, b] = pair();
    b.shard = { index: 1, count: 3 };
    expectRefused(
      named(a, b),
      'IMB_ERR_UNMERGEABLE',
      "b.json: shard 1 of 3, but a.json is one of 2: every document must come from the same run's shards",
    );
  });

  it('a different scenario', () => {
    const [a, b] = pair();
    b.scenario.rate = 5;
    expectRefused(
      named(a, b),
      'IMB_ERR_UNMERGEABLE',
      'b.json: scenario.rate is 5, but a.json (shard 0) has 2: every shard must run the same scenario',
    );
    const [c, d] = pair();
    c.scenario.clients = 60;
    expect(refusal(named(c, d)).message).toBe(
      'b.json: scenario.clients is 100, but a.json (shard 0) has 60: every shard must run the same scenario',
    );
  });

  it("a document that is not a shard's, or is already merged", () => {
    const [a, b] = pair();
    delete a.shard;
    expectRefused(
      named(a, b),
      'IMB_ERR_UNMERGEABLE',
      'a.json: not a shard\'s result (it has no "shard"): merge the documents of "im-bench run --shard I/N", one per shard',
    );
    const merged = mergeShards(named(...pair()));
    expectRefused(
      [{ name: 'merged.json', result: merged }, ...named(...pair())],
      'IMB_ERR_UNMERGEABLE',
      "merged.json: already merged from 2 shards: merge the shards' own documents instead",
    );
  });

  it('a shard that did not finish', () => {
    const [a, b] = pair();
    b.aborted = true;
    expectRefused(
      named(a, b),
      'IMB_ERR_UNMERGEABLE',
      'b.json: shard 1 did not finish ("aborted": true), so its counts are short: run that shard again',
    );
  });

  it('shards of different servers, or of none', () => {
    const [a, b] = pair();
    b.environment.target = 'http://10.0.0.9:8080';
    expect(refusal(named(a, b)).message).toBe(
      `b.json: environment.target is "http://10.0.0.9:8080", but a.json (shard 0) has "${TARGET}": every shard must drive the same server`,
    );
    const [c, d] = pair();
    c.environment.target = null;
    d.environment.target = null;
    expect(refusal(named(c, d)).message).toMatch(
      /^a\.json: environment\.target is null: .* run every shard with --target URL$/,
    );
  });

  it('other techniques, repetitions or tool versions', () => {
    const [a, b] = pair();
    b.transports.pop();
    expect(refusal(named(a, b)).message).toBe(
      'b.json: the list of techniques is ["short-polling","long-polling","sse"], but a.json (shard 0) has ["short-polling","long-polling","sse","websocket"]: every shard must measure the same techniques',
    );
    const [c, d] = pair();
    d.tool.version = '0.2.0';
    expect(refusal(named(c, d)).message).toBe(
      'b.json: tool.version is "0.2.0", but a.json (shard 0) has "0.1.0": every shard must be run by the same im-bench',
    );
  });

  it("client slices that do not add up to the scenario's clients", () => {
    const [a, b] = pair();
    b.transports[2]!.clients.requested = 100;
    expectRefused(
      named(a, b),
      'IMB_ERR_UNMERGEABLE',
      "sse: the shards' clients.requested add up to 160 (a.json 60, b.json 100), but scenario.clients is 100: each shard must hold its own slice of the clients",
    );
  });

  it('a figure it cannot read, or a histogram that does not decode', () => {
    const [a, b] = pair();
    delete (b.transports[1]!.requests as Partial<TransportResult['requests']>).empty;
    expectRefused(
      named(a, b),
      'IMB_ERR_INVALID_RESULT',
      'b.json: transports[1].requests.empty: expected a number, got nothing',
    );
    const [c, d] = pair();
    c.transports[3]!.connectHistogram = 'HISTnot-a-histogram';
    const error = refusal(named(c, d));
    expect(error.code).toBe('IMB_ERR_INVALID_RESULT');
    expect(error.message).toMatch(/^a\.json: transports\[3\]\.connectHistogram: not an HDR histogram \(/);
  });

  it('a shard field out of range', () => {
    const [a, b] = pair();
    a.shard = { index: 2, count: 2 };
    expectRefused(
      named(a, b),
      'IMB_ERR_INVALID_RESULT',
      'a.json: shard: expected {"index": 0 … count - 1, "count": 1 or more}, got {"index":2,"count":2}',
    );
  });

  it('nothing at all', () => {
    expectRefused([], 'IMB_ERR_UNMERGEABLE', "nothing to merge: name every shard's result document");
  });
});
