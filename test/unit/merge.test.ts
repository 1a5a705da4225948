import { describe, expect, it } from 'vitest';
import { decodeHistogram, summarize } from '../../src/core/histogram.js';
import { wireBytes } from '../../src/document/figures.js';
import type { TransportResult } from '../../src/document/result.js';
import { shardNote } from '../../src/report/caveats.js';
import { mergeShards } from '../../src/report/merge/merge.js';
import { everyCounterSet, histogramOf, named } from '../helpers/merge.js';
import { validateResult } from '../helpers/result-schema.js';
import { distinctValues, fixtureResult, SUMMED_FIGURES, splitIntoTwoShards } from '../helpers/shards.js';

const figure = (t: TransportResult, group: string, key: string): number =>
  (t as unknown as Record<string, Record<string, number>>)[group]![key]!;

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
      expect(t.server.cpuMicrosPerMessage).toBeCloseTo(original.server.cpuMicrosPerMessage!, 6);
      expect(t.server.idleRssBytes).toBe(original.server.idleRssBytes);
      expect(t.server.connectedRssBytes).toBe(original.server.connectedRssBytes);
      expect(t.server.peakRssBytes).toBe(original.server.peakRssBytes);
      expect(t.server.rssPerConnectionBytes).toBeCloseTo(original.server.rssPerConnectionBytes!, 6);
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
});

describe("mergeShards: the model's measured inputs", () => {
  const run = everyCounterSet(fixtureResult('result-notify.json'));

  it("adds up the clients' wire counts and takes H and E from the sums; none when a shard did not measure them", () => {
    const [x, y] = splitIntoTwoShards(run, distinctValues);
    const [first, second] = [x.transports[0]!, y.transports[0]!];
    first.bytes.wire = wireBytes(
      {
        messageExchanges: 10,
        messageHeadBytes: 4_000,
        emptyExchanges: 2,
        emptyHeadBytes: 640,
        envelopes: 20,
        envelopeBytes: 3_400,
      },
      first.bytes.inWindow,
    );
    second.bytes.wire = wireBytes(
      {
        messageExchanges: 30,
        messageHeadBytes: 12_600,
        emptyExchanges: 0,
        emptyHeadBytes: 0,
        envelopes: 60,
        envelopeBytes: 10_080,
      },
      second.bytes.inWindow,
    );
    delete y.transports[1]!.bytes.wire;
    const together = mergeShards(named(x, y));
    const inWindow = run.transports[0]!.bytes.inWindow;
    expect(together.transports[0]!.bytes.wire).toEqual({
      messageExchanges: 40,
      messageHeadBytes: 16_600,
      emptyExchanges: 2,
      emptyHeadBytes: 640,
      envelopes: 80,
      envelopeBytes: 13_480,
      otherBytes: inWindow - 16_600 - 640 - 13_480,
      h200: 415,
      h204: 320,
      e: 168.5,
    });
    expect(together.transports[1]!.bytes).not.toHaveProperty('wire');
    expect(validateResult(together)).toEqual([]);
  });
});
