import { readFileSync } from 'node:fs';
import { createHistogram, encodeHistogram, recordMicros } from '../../src/core/histogram.js';
import type { RunResult, TransportResult } from '../../src/document/result.js';

export const TARGET = 'http://im-bench-target.bench.svc:8080';

export function fixtureResult(name: string): RunResult {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as RunResult;
}

/** A deterministic spread of `n` values, in µs, from about `low` to `low` × `span`. */
export function spread(n: number, seed: number, low = 500, span = 400): number[] {
  return Array.from({ length: n }, (_, i) => low * Math.exp((((i * 7919 + seed) % 1000) / 1000) * Math.log(span)));
}

export function encoded(values: readonly number[]): string {
  const histogram = createHistogram();
  for (const value of values) recordMicros(histogram, value);
  return encodeHistogram(histogram);
}

/**
 * The counters a merge must add up, by the spec: every shard counts its own clients, its own
 * share of the publishes, and its own clients' requests and bytes.
 */
export const SUMMED_FIGURES = [
  ['clients', 'requested'],
  ['clients', 'connected'],
  ['clients', 'failed'],
  ['published', 'total'],
  ['published', 'inWindow'],
  ['published', 'failed'],
  ['delivery', 'expected'],
  ['delivery', 'delivered'],
  ['delivery', 'deliveredInWindow'],
  ['delivery', 'lost'],
  ['delivery', 'duplicated'],
  ['delivery', 'outOfOrder'],
  ['delivery', 'gapReported'],
  ['requests', 'inWindow'],
  ['requests', 'total'],
  ['requests', 'empty'],
  ['requests', 'reconnects'],
  ['requests', 'errors'],
  ['bytes', 'inWindow'],
] as const;

type Figures = Record<string, Record<string, number>>;
const figures = (t: TransportResult): Figures => t as unknown as Figures;

/** Values each shard's histograms hold, per technique: known, so the merged percentiles can be checked. */
export interface ShardValues {
  latency: number[];
  connect: number[];
}

/**
 * Splits a real run's document into two shard documents that drove `TARGET`: shard 0 gets
 * `share` of every counter (rounded down), shard 1 the rest, so the sums are the run's own
 * figures; throughput splits the same way. Both read the one server: the same CPU and peak RSS,
 * shard 0 the idle RSS before any client, shard 1 the RSS with every client connected.
 * Histograms are replaced by ones holding `values(transport index, shard index)`.
 */
export function splitIntoTwoShards(
  run: RunResult,
  values: (transport: number, shard: number) => ShardValues,
  share = 0.6,
): [RunResult, RunResult] {
  const shards = [structuredClone(run), structuredClone(run)] as [RunResult, RunResult];
  shards.forEach((shard, index) => {
    shard.shard = { index, count: 2 };
    shard.environment.target = TARGET;
    shard.transports.forEach((t, i) => {
      const original = figures(run.transports[i]!);
      for (const [group, key] of SUMMED_FIGURES) {
        const first = Math.floor(original[group]![key]! * share);
        figures(t)[group]![key] = index === 0 ? first : original[group]![key]! - first;
      }
      const throughput = run.transports[i]!.delivery.throughputPerSecond;
      t.delivery.throughputPerSecond = index === 0 ? throughput * share : throughput - throughput * share;
      if (index === 0) t.server.connectedRssBytes! -= 1_000_000;
      else t.server.idleRssBytes! += 500_000;
      const { latency, connect } = values(i, index);
      t.latencyHistogram = encoded(latency);
      t.connectHistogram = encoded(connect);
    });
  });
  return shards;
}

/** Values that differ per technique and shard, the two shards' ranges overlapping. */
export function distinctValues(transport: number, shard: number): ShardValues {
  return {
    latency: spread(800 + 100 * shard, 31 * transport + shard, 1_000 * (1 + transport) * (1 + shard)),
    connect: spread(50 + 10 * shard, 7 * transport + shard, 200 * (1 + shard), 50),
  };
}
