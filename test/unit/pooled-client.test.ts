import { describe, expect, it } from 'vitest';
import { createHistogram } from '../../src/core/histogram.js';
import { PooledClient, type PoolRecorder } from '../../src/harness/generator/pooled-client.js';
import { MeasurementWindow } from '../../src/harness/run/measurement-window.js';
import { PROFILE_EPOCH, senderLog } from '../../src/profiles/profile.js';

function recorder(): PoolRecorder {
  return {
    latency: createHistogram(),
    recovery: createHistogram(),
    window: new MeasurementWindow(),
    latencyFrom: undefined,
    faultNs: Number.POSITIVE_INFINITY,
    receivedInWindow: 0,
    frozen: false,
    noteError: () => {},
  };
}

const envelope = (seq: number, from: string) => ({
  seq,
  t: String(process.hrtime.bigint()),
  ch: 'room',
  from,
  data: 'x',
});

describe('a client of a chat whose senders number their own messages', () => {
  it('keeps one account per sender: their numbers interleave, and neither is out of order or lost', () => {
    const client = new PooledClient(recorder(), 'room', 0, PROFILE_EPOCH, true);
    for (const [seq, from] of [
      [1, 'c1'],
      [1, 'c2'],
      [2, 'c1'],
      [3, 'c1'],
      [2, 'c2'],
      [2, 'c2'],
    ] as const)
      client.onEnvelope(envelope(seq, from));
    const c1 = client.trackers.get(senderLog('c1'))!;
    const c2 = client.trackers.get(senderLog('c2'))!;
    expect([c1.unique, c1.outOfOrder, c1.duplicated, c1.lost(3)]).toEqual([3, 0, 0, 0]);
    expect([c2.unique, c2.outOfOrder, c2.duplicated, c2.lost(3)]).toEqual([2, 0, 1, 1]);
    // Nothing lands in the channel's own account.
    expect(client.trackers.get(PROFILE_EPOCH)!.unique).toBe(0);
  });

  it('without it, the same numbers from two senders read as duplicates', () => {
    const client = new PooledClient(recorder(), 'room', 0, PROFILE_EPOCH);
    client.onEnvelope(envelope(1, 'c1'));
    client.onEnvelope(envelope(1, 'c2'));
    expect(client.seq.duplicated).toBe(1);
  });
});
