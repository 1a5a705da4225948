import { randomUUID } from 'node:crypto';
import type { Envelope, Gap } from '../core/envelope.js';

export interface PublishInput {
  ch: string;
  from: string | null;
  data: string;
  t: string;
}

/** A stored message: its envelope serialized once, as bytes, so fan-out never re-encodes it. */
export interface BrokerEntry {
  readonly seq: number;
  readonly channel: string;
  readonly bytes: Buffer;
}

export interface ReadResult {
  gap: Gap | undefined;
  entries: BrokerEntry[];
}

export type BrokerListener = (entry: BrokerEntry) => void;

export interface ChannelState {
  lastSeq: number;
  firstKept: number;
}

/** The broker's memory budget is spent: a publish that would pass it is refused. */
export class BrokerFull extends Error {
  constructor(readonly maxBytes: number) {
    super(`the broker holds its limit of ${maxBytes} bytes of messages in other channels`);
    this.name = 'BrokerFull';
  }
}

/**
 * One channel's ordered log. Sequence numbers are contiguous, so the entry for `seq` lives at
 * slot `(seq - 1) % capacity`; entries from `firstKept` to `lastSeq` are held.
 */
class ChannelLog {
  lastSeq = 0;
  firstKept = 1;
  bytes = 0;
  private readonly slots: (BrokerEntry | undefined)[] = [];

  constructor(
    readonly name: string,
    private readonly capacity: number,
  ) {}

  get size(): number {
    return this.lastSeq - this.firstKept + 1;
  }

  /** The entry the next append will store, serialized. */
  next(input: PublishInput): BrokerEntry {
    const seq = this.lastSeq + 1;
    const envelope: Envelope = { seq, t: input.t, ch: this.name, from: input.from, data: input.data };
    return { seq, channel: this.name, bytes: Buffer.from(JSON.stringify(envelope)) };
  }

  /** Stores `next()`'s entry, evicting the oldest when the ring is full; returns the bytes it evicted. */
  append(entry: BrokerEntry): number {
    const evicted = this.size === this.capacity ? this.evictOldest() : 0;
    this.slots[(entry.seq - 1) % this.capacity] = entry;
    this.lastSeq = entry.seq;
    this.bytes += entry.bytes.length;
    return evicted;
  }

  /** A log that begins after `lastSeq` (restored from a compacted journal). */
  startAfter(lastSeq: number): void {
    this.lastSeq = lastSeq;
    this.firstKept = lastSeq + 1;
  }

  /** Frees the oldest entry; returns its size. */
  evictOldest(): number {
    const slot = (this.firstKept - 1) % this.capacity;
    const size = this.slots[slot]!.bytes.length;
    this.slots[slot] = undefined;
    this.firstKept++;
    this.bytes -= size;
    return size;
  }

  /**
   * Everything after `since`, a gap first when the ring no longer holds `since + 1`. Entries
   * stop before `maxBytes` (but at least one comes): the reader asks again from its new cursor.
   */
  readAfter(since: number, maxBytes: number): ReadResult {
    const wanted = since + 1;
    const first = Math.max(wanted, this.firstKept);
    const gap = first > wanted ? { from: wanted, to: first - 1 } : undefined;
    const entries: BrokerEntry[] = [];
    let bytes = 0;
    for (let seq = first; seq <= this.lastSeq; seq++) {
      const entry = this.slots[(seq - 1) % this.capacity]!;
      bytes += entry.bytes.length;
      if (bytes > maxBytes && entries.length > 0) break;
      entries.push(entry);
    }
    return { gap, entries };
  }
}

/**
 * The single source of messages for every technique: one ordered log per channel, bounded
 * by `ringSize` entries each and by `maxBytes` in all. A reader whose cursor fell out of the
 * ring is told so with a gap, never silently skipped.
 */
export interface BrokerOptions {
  /** Names this log; a cursor handed out by another log (a server restarted without its journal) is reset. */
  epoch?: string;
}

export class Broker {
  readonly epoch: string;
  private readonly channels = new Map<string, ChannelLog>();
  private readonly listeners = new Set<BrokerListener>();
  private persist: ((entry: BrokerEntry) => void) | undefined;
  private publishedCount = 0;
  private heldBytes = 0;

  constructor(
    readonly ringSize: number,
    readonly maxBytes: number = Number.POSITIVE_INFINITY,
    options: BrokerOptions = {},
  ) {
    this.epoch = options.epoch ?? randomUUID();
  }

  /** The journal's write-ahead hook: called with each entry before it is stored or anyone may see it. */
  persistWith(persist: (entry: BrokerEntry) => void): void {
    this.persist = persist;
  }

  /**
   * Appends and tells every listener; throws `BrokerFull` when other channels hold the whole
   * budget. When the journal cannot take the entry, nothing is stored: no seq is skipped.
   */
  publish(input: PublishInput): BrokerEntry {
    const log = this.channelLog(input.ch);
    const entry = log.next(input);
    try {
      // Both checks come before anything changes: a refused publish evicts nothing and takes no seq.
      this.checkRoom(log, entry.bytes.length);
      this.persist?.(entry);
    } catch (error) {
      // A channel this publish would have opened holds nothing, and no journal line names it.
      if (log.lastSeq === 0) this.channels.delete(log.name);
      throw error;
    }
    this.makeRoom(log, entry.bytes.length);
    this.heldBytes += entry.bytes.length - log.append(entry);
    this.publishedCount++;
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  /** Puts back an entry read from a journal, as it was published: no listener hears it. */
  restore(channel: string, seq: number, bytes: Buffer): void {
    const log = this.channelLog(channel);
    // A compacted journal starts each channel where its ring did.
    if (log.lastSeq === 0 && seq > 1) log.startAfter(seq - 1);
    if (seq !== log.lastSeq + 1) throw new RangeError(`channel ${channel} jumps from seq ${log.lastSeq} to ${seq}`);
    this.makeRoom(log, bytes.length);
    this.heldBytes += bytes.length - log.append({ seq, channel, bytes });
  }

  /** A channel whose ring kept nothing: only its last seq carries over. */
  restoreMark(channel: string, lastSeq: number): void {
    this.channelLog(channel).startAfter(lastSeq);
  }

  /** What the rings hold, per channel, for a journal to keep. */
  *retained(): Generator<{ channel: string; lastSeq: number; entries: BrokerEntry[] }> {
    for (const [channel, log] of this.channels) {
      yield {
        channel,
        lastSeq: log.lastSeq,
        entries: log.readAfter(log.firstKept - 1, Number.POSITIVE_INFINITY).entries,
      };
    }
  }

  private channelLog(channel: string): ChannelLog {
    let log = this.channels.get(channel);
    if (log === undefined) {
      log = new ChannelLog(channel, this.ringSize);
      this.channels.set(channel, log);
    }
    return log;
  }

  /** Over budget, a channel pays with its own oldest messages; one that would not fit even then is refused. */
  private checkRoom(log: ChannelLog, size: number): void {
    if (this.heldBytes - log.bytes + size > this.maxBytes) throw new BrokerFull(this.maxBytes);
  }

  private makeRoom(log: ChannelLog, size: number): void {
    this.checkRoom(log, size);
    while (this.heldBytes + size > this.maxBytes) this.heldBytes -= log.evictOldest();
  }

  readAfter(channel: string, since: number, maxBytes = Number.POSITIVE_INFINITY): ReadResult {
    const log = this.channels.get(channel);
    return log === undefined ? { gap: undefined, entries: [] } : log.readAfter(since, maxBytes);
  }

  lastSeq(channel: string): number {
    return this.channels.get(channel)?.lastSeq ?? 0;
  }

  hasChannel(channel: string): boolean {
    return this.channels.has(channel);
  }

  get channelCount(): number {
    return this.channels.size;
  }

  get published(): number {
    return this.publishedCount;
  }

  /** Bytes of serialized envelopes held in all rings. */
  get bytesHeld(): number {
    return this.heldBytes;
  }

  /** Called synchronously for every published entry, in order. */
  subscribe(listener: BrokerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  channelStates(): Record<string, ChannelState> {
    return Object.fromEntries(
      [...this.channels].map(([name, log]) => [name, { lastSeq: log.lastSeq, firstKept: log.firstKept }]),
    );
  }
}
