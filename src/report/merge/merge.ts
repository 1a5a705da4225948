import { representative, repetitionsOf } from '../../document/repetitions.js';
import type { MergedShard, RunResult, TransportResult } from '../../document/result.js';
import { checkShards } from './check.js';
import { mergeTechnique, type ShardPart } from './technique.js';
import type { ShardDocument } from '../../document/shard-file.js';

/** ISO times compared as instants. */
const earliest = (times: readonly string[]): string => times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
const latest = (times: readonly string[]): string => times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));

/**
 * One result for all the clients of a sharded run (`im-bench run --shard I/N`, one document
 * per shard, all driving one server), made exactly from the shards' documents.
 *
 * Refused (naming the file; see `checkShards`): a document that is not a finished shard's
 * result — unsharded, already merged, or `aborted`, whose counts would be short — shard counts
 * that differ, an index missing or given twice, shards whose tool version, `repeat`, scenario
 * (every field: `clients` is the whole run's in every shard), target or techniques differ,
 * shards without a `--target`, and client slices that do not add up to the scenario's clients.
 *
 * Per technique, and with `repeat` > 1 per repetition (the k-th of every shard together; the
 * headline is then the merged repetition with the median p99, as in a run):
 * - Histograms (latency, connect time, fault recovery) are merged bucket by bucket and their
 *   summaries recomputed: the percentiles are those of one histogram holding every value.
 *   Each shard timed only the messages its own publisher stamped, on its own clock.
 * - Counters are summed: clients requested, connected and failed; published total, in window
 *   and failed (each shard publishes its share of the schedule); expected, delivered,
 *   delivered in window, lost, duplicated, out of order, gap-reported; requests in window,
 *   total, empty, reconnects and errors; bytes in window; a fault's affected and recovered
 *   clients. Throughput is the sum of the shards' rates.
 * - Per-message figures are recomputed from the sums (requests and bytes per delivered copy,
 *   the overhead ratio, server CPU per copy, RSS per connection).
 * - The server is one process that every shard drove, so its figures are not added up: each
 *   shard read it at the edges of its own window, which held every shard's load once they
 *   started within a few seconds of each other. CPU seconds is the largest reading; idle RSS
 *   the smallest (the first shard read it before any client connected); connected and peak
 *   RSS the largest; the server's own request count and shed connections the largest (they
 *   only grow over the run).
 * - The window is the longest of the shards' (they run about the same one). A fault struck
 *   at the latest of the shards' times; its epoch count is the largest any shard saw.
 * - The generator figures are the worst shard's (largest delay, stall share and CPU; bound
 *   when any shard was); each shard's own, with its window and clients, stay in `merged.from`.
 * - Error samples: the shards' in shard order, distinct, as many as a run keeps.
 *
 * The document: `shard` null, `merged` listing every shard; environment shard 0's (each
 * shard's own is in `merged.from`); started at the first start, finished at the last finish.
 */
export function mergeShards(documents: readonly ShardDocument[]): RunResult {
  const shards = checkShards(documents);
  const reference = shards[0]!.result;
  const transports = reference.transports.map((headline, i) => {
    const repetitions = repetitionsOf(headline).map((_, k) =>
      mergeTechnique(
        shards.map(
          ({ name, result }): ShardPart => ({
            name,
            where: reference.repeat > 1 ? `transports[${i}].repetitions[${k}]` : `transports[${i}]`,
            result: repetitionsOf(result.transports[i]!)[k]!,
          }),
        ),
      ),
    );
    return representative(repetitions);
  });
  return {
    schema: reference.schema,
    tool: reference.tool,
    startedAt: earliest(shards.map(({ result }) => result.startedAt)),
    finishedAt: latest(shards.map(({ result }) => result.finishedAt)),
    aborted: false,
    repeat: reference.repeat,
    environment: reference.environment,
    scenario: reference.scenario,
    transports,
    shard: null,
    merged: { shards: shards.length, from: shards.map(shardRecord) },
  };
}

function shardRecord({ name, result }: ShardDocument, index: number): MergedShard {
  return {
    index,
    source: name,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    environment: result.environment,
    transports: result.transports.map((t) => ({
      transport: t.transport,
      runs: repetitionsOf(t).map((run: TransportResult) => ({
        windowSeconds: run.windowSeconds,
        clients: run.clients,
        generator: run.generator,
      })),
    })),
  };
}
