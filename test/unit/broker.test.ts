import { describe, expect, it } from 'vitest';
import { Broker, BrokerFull, type BrokerEntry } from '../../src/broker/broker.js';

function publishMany(broker: Broker, count: number, ch = 'default'): void {
  for (let i = 1; i <= count; i++) broker.publish({ ch, from: null, data: `m${i}`, t: String(i) });
}

const seqs = (entries: BrokerEntry[]): number[] => entries.map((entry) => entry.seq);

describe('Broker', () => {
  it('numbers each channel from 1 and serializes the envelope once', () => {
    const broker = new Broker(10);
    const first = broker.publish({ ch: 'a', from: 'c1', data: 'x', t: '5' });
    broker.publish({ ch: 'b', from: null, data: 'y', t: '6' });
    const second = broker.publish({ ch: 'a', from: null, data: 'z', t: '7' });
    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(JSON.parse(first.bytes.toString())).toEqual({ seq: 1, t: '5', ch: 'a', from: 'c1', data: 'x' });
    expect(broker.published).toBe(3);
    expect(broker.channelStates()).toEqual({ a: { lastSeq: 2, firstKept: 1 }, b: { lastSeq: 1, firstKept: 1 } });
  });

  it('reads everything after a cursor inside the ring, without a gap', () => {
    const broker = new Broker(5);
    publishMany(broker, 8);
    expect(broker.readAfter('default', 3)).toEqual({ gap: undefined, entries: expect.any(Array) });
    expect(seqs(broker.readAfter('default', 3).entries)).toEqual([4, 5, 6, 7, 8]);
    expect(seqs(broker.readAfter('default', 6).entries)).toEqual([7, 8]);
  });

  it('reports a cursor older than the ring as a gap before the kept entries', () => {
    const broker = new Broker(5);
    publishMany(broker, 8);
    const read = broker.readAfter('default', 0);
    expect(read.gap).toEqual({ from: 1, to: 3 });
    expect(seqs(read.entries)).toEqual([4, 5, 6, 7, 8]);
    expect(broker.readAfter('default', 2).gap).toEqual({ from: 3, to: 3 });
  });

  it('keeps exactly the last ring-size entries as it wraps many times', () => {
    const broker = new Broker(3);
    publishMany(broker, 1_000);
    const read = broker.readAfter('default', 990);
    expect(read.gap).toEqual({ from: 991, to: 997 });
    expect(read.entries.map((entry) => JSON.parse(entry.bytes.toString()) as { seq: number; data: string })).toEqual([
      expect.objectContaining({ seq: 998, data: 'm998' }),
      expect.objectContaining({ seq: 999, data: 'm999' }),
      expect.objectContaining({ seq: 1000, data: 'm1000' }),
    ]);
  });

  it('answers a cursor at or past the end, or an unknown channel, with nothing', () => {
    const broker = new Broker(5);
    publishMany(broker, 2);
    expect(broker.readAfter('default', 2)).toEqual({ gap: undefined, entries: [] });
    expect(broker.readAfter('default', 50)).toEqual({ gap: undefined, entries: [] });
    expect(broker.readAfter('nobody', 0)).toEqual({ gap: undefined, entries: [] });
  });

  it('tells subscribers of every entry, in order, until they unsubscribe', () => {
    const broker = new Broker(5);
    const seen: string[] = [];
    const unsubscribe = broker.subscribe((entry) => seen.push(`${entry.channel}#${entry.seq}`));
    publishMany(broker, 2, 'a');
    publishMany(broker, 1, 'b');
    unsubscribe();
    publishMany(broker, 1, 'c');
    expect(seen).toEqual(['a#1', 'a#2', 'b#1']);
  });

  it('stops a capped read before the byte limit, but always returns at least one entry', () => {
    const broker = new Broker(100);
    publishMany(broker, 10);
    const size = broker.readAfter('default', 0).entries[0]!.bytes.length;
    expect(seqs(broker.readAfter('default', 0, size * 3 + 1).entries)).toEqual([1, 2, 3]);
    expect(seqs(broker.readAfter('default', 4, 1).entries)).toEqual([5]);
  });

  it('keeps within its byte budget: a channel evicts its own oldest entries first, then publishes are refused', () => {
    const entrySize = new Broker(1).publish({ ch: 'a', from: null, data: 'x'.repeat(100), t: '1' }).bytes.length;
    const broker = new Broker(100, entrySize * 5);
    const publish = (ch: string): number => broker.publish({ ch, from: null, data: 'x'.repeat(100), t: '1' }).seq;
    for (let i = 0; i < 8; i++) publish('a');
    expect(broker.bytesHeld).toBe(entrySize * 5);
    expect(broker.channelStates()).toEqual({ a: { lastSeq: 8, firstKept: 4 } });
    expect(broker.readAfter('a', 0).gap).toEqual({ from: 1, to: 3 });
    expect(() => publish('b')).toThrow(BrokerFull);
    expect(broker.hasChannel('b')).toBe(false);
    expect(broker.bytesHeld).toBe(entrySize * 5);
  });

  it('lists a channel called __proto__ like any other', () => {
    const broker = new Broker(5);
    publishMany(broker, 1, '__proto__');
    expect(Object.keys(broker.channelStates())).toEqual(['__proto__']);
  });
});

describe('Broker refusals', () => {
  it('changes nothing when it refuses a publish: no eviction, no seq, no channel, whether the budget or the journal refused', () => {
    const broker = new Broker(100, 300);
    broker.publish({ ch: 'a', from: null, data: 'x'.repeat(100), t: '1' });
    const held = broker.bytesHeld;
    expect(() => broker.publish({ ch: 'a', from: null, data: 'x'.repeat(400), t: '1' })).toThrow(BrokerFull);
    broker.persistWith(() => {
      throw new Error('disk full');
    });
    expect(() => broker.publish({ ch: 'a', from: null, data: 'y', t: '1' })).toThrow('disk full');
    expect(() => broker.publish({ ch: 'b', from: null, data: 'y', t: '1' })).toThrow('disk full');
    expect(broker.channelStates()).toEqual({ a: { lastSeq: 1, firstKept: 1 } });
    expect(broker.bytesHeld).toBe(held);
    broker.persistWith(() => {});
    expect(broker.publish({ ch: 'a', from: null, data: 'y', t: '1' }).seq).toBe(2);
  });
});
