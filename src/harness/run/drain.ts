import { hrtimeNs } from '../../core/clock.js';
import type { Scenario } from '../../document/scenario.js';
import { sleep } from '../../transports/shared/client-support.js';
import type { Transport } from '../../transports/transport.js';
import type { ClientGroup } from '../generator/client-group.js';
import type { LogExtents } from '../generator/client-pool.js';
import type { Target } from '../target/target.js';
import type { ServerStats } from '../../server/server-options.js';

const DRAIN_CHECK_MS = 50;

/** The scenario's drain, or longer when the technique needs more to hear the last message (short polling). */
export function drainMs(transport: Transport, scenario: Scenario): number {
  return transport.drainMs?.(scenario) ?? scenario.drainMs;
}

export function lastSeqByChannel(stats: ServerStats): Map<string, number> {
  return new Map(Object.entries(stats.channels).map(([name, state]) => [name, state.lastSeq]));
}

type Extents = ReadonlyMap<string, ReadonlyMap<string, number>>;

/**
 * What every log held: the live one from the server's own count; a log that died with its
 * server (a restart without a journal) from the most any witness saw of it: its last /stats,
 * what it acknowledged to the publisher, the highest seq a client received. A server that keeps
 * no count (`selfReported` false: a profile's) holds at least what any witness saw of it too:
 * it can relay a publish whose answer never came back, which its publisher never saw acknowledged.
 */
export function logExtents(stats: ServerStats, witnesses: readonly Extents[], selfReported = true): LogExtents {
  const extents = new Map<string, Map<string, number>>();
  for (const witness of witnesses) {
    for (const [epoch, channels] of witness) {
      if (epoch === stats.epoch) continue;
      const merged = extents.get(epoch) ?? new Map<string, number>();
      for (const [channel, seq] of channels) merged.set(channel, Math.max(merged.get(channel) ?? 0, seq));
      extents.set(epoch, merged);
    }
  }
  const live = lastSeqByChannel(stats);
  for (const witness of selfReported ? [] : witnesses)
    for (const [channel, seq] of witness.get(stats.epoch) ?? [])
      live.set(channel, Math.max(live.get(channel) ?? 0, seq));
  extents.set(stats.epoch, live);
  return extents;
}

async function everyLogHeld(
  group: ClientGroup,
  logs: ReadonlyMap<string, ReadonlyMap<string, number>>,
): Promise<boolean> {
  for (const [epoch, lastSeqs] of logs) if (!(await group.caughtUp(epoch, lastSeqs))) return false;
  return true;
}

/**
 * Waits until every client holds everything the live log has published, twice in a row, or
 * the drain time is up. `complete` says whether the log holds all it should yet (a shard waits
 * for the others' publishes too). It runs even after an abort, so copies in flight are not counted lost.
 */
export async function drain(
  group: ClientGroup,
  server: Target,
  limitMs: number,
  complete: (lastSeqs: ReadonlyMap<string, number>) => boolean = () => true,
): Promise<void> {
  const deadline = hrtimeNs() + limitMs * 1e6;
  let previous = '';
  while (hrtimeNs() < deadline) {
    // A server still busy with the backlog may not answer in time: that only means "not yet".
    const stats = await server.stats(Math.max(1, (deadline - hrtimeNs()) / 1e6)).catch(() => undefined);
    if (stats === undefined) {
      await sleep(DRAIN_CHECK_MS);
      continue;
    }
    const lastSeqs = lastSeqByChannel(stats);
    const logs = server.logs?.() ?? new Map([[stats.epoch, lastSeqs]]);
    const key = [...logs].map(([epoch, seqs]) => `${epoch}:${[...seqs.values()].join(',')}`).join(';');
    const caughtUp = complete(lastSeqs) && (await everyLogHeld(group, logs));
    if (caughtUp && key === previous) return;
    previous = caughtUp ? key : '';
    await sleep(DRAIN_CHECK_MS);
  }
}
