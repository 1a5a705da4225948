import { hrtimeNs } from '../../core/clock.js';
import { ImBenchError } from '../../core/errors.js';
import { sleep } from '../../transports/shared/client-support.js';
import type { Target } from '../target/target.js';
import type { TransportName } from '../../document/scenario.js';

/** `--shard I/N`: this run is slice I (0-based) of N runs against one target. */
export interface Shard {
  index: number;
  count: number;
}

const SHARD_POLL_MS = 100;
/** How long a shard waits for the others' clients to connect before it publishes anyway. */
export const SHARD_WAIT_MS = 120_000;

/** The shard's clients: global indices `firstIndex` … `firstIndex + clients - 1` of the scenario's `total`. */
export function shardSlice(total: number, shard: Shard | undefined): { firstIndex: number; clients: number } {
  if (shard === undefined) return { firstIndex: 0, clients: total };
  const from = Math.floor((shard.index * total) / shard.count);
  const to = Math.floor(((shard.index + 1) * total) / shard.count);
  return { firstIndex: from, clients: to - from };
}

/**
 * The `from` a shard stamps on what it publishes. Each shard times only its own messages, on
 * its own clock, so shards on different machines need no clock agreement.
 */
export function shardTag(shard: Shard | undefined): string | undefined {
  return shard === undefined ? undefined : `im-bench-shard-${shard.index}/${shard.count}`;
}

/** Message i of the schedule is published by shard i mod N. */
export function ownsMessage(index: number, shard: Shard | undefined): boolean {
  return shard === undefined || index % shard.count === shard.index;
}

/**
 * Whether the log holds every message of the whole schedule (all shards' shares): message i
 * goes to channel i mod channels, after what each channel held at the start.
 */
export function expectedLastSeqs(
  messages: number,
  channels: readonly string[],
  startLastSeqs: ReadonlyMap<string, number>,
): (lastSeqs: ReadonlyMap<string, number>) => boolean {
  const expected = new Map<string, number>();
  channels.forEach((channel, c) => {
    const count = messages > c ? Math.floor((messages - 1 - c) / channels.length) + 1 : 0;
    expected.set(channel, (startLastSeqs.get(channel) ?? 0) + count);
  });
  return (lastSeqs) => [...expected].every(([channel, seq]) => (lastSeqs.get(channel) ?? 0) >= seq);
}

/**
 * Shards start within seconds of each other, not at once: each waits until the target holds
 * every shard's clients (its /stats count of open connections), so no shard publishes to
 * clients that are not there yet.
 */
export async function waitForShards(
  server: Target,
  transport: TransportName,
  total: number,
  signal: AbortSignal,
  limitMs = SHARD_WAIT_MS,
): Promise<void> {
  const deadline = hrtimeNs() + limitMs * 1e6;
  let open = 0;
  while (!signal.aborted && hrtimeNs() < deadline) {
    const stats = await server.stats().catch(() => undefined);
    open = stats?.connections[transport] ?? open;
    // Short polling holds no connection between polls: count its requests' keep-alive sockets as they come.
    if (open >= total) return;
    await sleep(SHARD_POLL_MS, signal);
  }
  if (!signal.aborted) {
    throw new ImBenchError(
      'IMB_ERR_RUN_FAILED',
      `the other shards' clients did not all connect within ${limitMs / 1000} s (${open} of ${total} open at ${server.url})`,
    );
  }
}
