import type { Envelope, Gap } from '../core/envelope.js';

export interface PublishInput {
  ch: string;
  from: string | null;
  data: string;
  t: string;
}

/** A stored message: its envelope serialized once, so fan-out never re-encodes it. */
export interface BrokerEntry {
  readonly seq: number;
  readonly channel: string;
  readonly json: string;
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

/**
 * One channel's ordered log. Sequence numbers are contiguous from 1, so the entry for
 * `seq` lives at slot `(seq - 1) % capacity` and the ring needs no head pointer.
 */
class ChannelLog {
  lastSeq = 0;
  private readonly slots: BrokerEntry[] = [];

  constructor(
    readonly name: string,
    private readonly capacity: number,
  ) {}

  get firstKept(): number {
    return Math.max(1, this.lastSeq - this.capacity + 1);
  }

  append(input: PublishInput): BrokerEntry {
    const seq = this.lastSeq + 1;
    const envelope: Envelope = { seq, t: input.t, ch: this.name, from: input.from, data: input.data };
    const json = JSON.stringify(envelope);
    const entry: BrokerEntry = { seq, channel: this.name, json, bytes: Buffer.from(json) };
    this.slots[(seq - 1) % this.capacity] = entry;
    this.lastSeq = seq;
    return entry;
  }

  /** Everything after `since`; a gap first when the ring no longer holds `since + 1`. */
  readAfter(since: number): ReadResult {
    const wanted = since + 1;
    const first = Math.max(wanted, this.firstKept);
    const gap = first > wanted ? { from: wanted, to: first - 1 } : undefined;
    const entries: BrokerEntry[] = [];
    for (let seq = first; seq <= this.lastSeq; seq++) entries.push(this.slots[(seq - 1) % this.capacity]!);
    return { gap, entries };
  }
}

/**
 * The single source of messages for every technique: one ordered, bounded log per channel.
 * A reader whose cursor fell out of the ring is told so with a gap, never silently skipped.
 */
export class Broker {
  private readonly channels = new Map<string, ChannelLog>();
  private readonly listeners = new Set<BrokerListener>();
  private publishedCount = 0;

  constructor(readonly ringSize: number) {}

  publish(input: PublishInput): BrokerEntry {
    let log = this.channels.get(input.ch);
    if (log === undefined) {
      log = new ChannelLog(input.ch, this.ringSize);
      this.channels.set(input.ch, log);
    }
    const entry = log.append(input);
    this.publishedCount++;
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  readAfter(channel: string, since: number): ReadResult {
    const log = this.channels.get(channel);
    return log === undefined ? { gap: undefined, entries: [] } : log.readAfter(since);
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

  /** Called synchronously for every published entry, in order. */
  subscribe(listener: BrokerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  channelStates(): Record<string, ChannelState> {
    const states: Record<string, ChannelState> = {};
    for (const [name, log] of this.channels) states[name] = { lastSeq: log.lastSeq, firstKept: log.firstKept };
    return states;
  }
}
