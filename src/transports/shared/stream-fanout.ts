import type { Gap } from '../../core/envelope.js';
import { MAX_BATCH_BYTES, STREAM_HIGH_WATER_BYTES } from '../../core/constants.js';
import type { Broker, BrokerEntry } from '../../broker/broker.js';
import type { Cursor } from '../../broker/request-params.js';
import type { CopyBurner } from './copy-burner.js';

/** How a streaming technique frames and writes messages to one of its connections. */
export interface StreamWriter<Sink> {
  frame(entry: BrokerEntry): Buffer;
  gapFrame(gap: Gap): Buffer;
  /** Tells a client whose cursor came from another log that this one (`epoch`) starts over. */
  resetFrame(epoch: string): Buffer;
  /** Writes the frames in order; `flushed`, when given, runs once the last one has left (or failed). */
  write(sink: Sink, frames: readonly Buffer[], flushed?: () => void): void;
  /** Bytes queued for the sink and not yet handed to the kernel. */
  queued(sink: Sink): number;
  isOpen(sink: Sink): boolean;
  /** Closes a sink that stopped reading. */
  shed(sink: Sink): void;
}

export interface StreamSubscriber<Sink> {
  readonly sink: Sink;
  readonly channel: string;
  /** The next sequence number this subscriber should be sent. */
  nextSeq: number;
  /** True while it reads from the ring (a backlog, or after falling behind) instead of live. */
  catchingUp: boolean;
  /** When a catch-up write last drained, ms (performance.now). */
  lastDrainedAt: number;
}

/**
 * Fan-out for streams with flow control. A live subscriber gets each entry as it is
 * published, its frame built once for all. One whose queue passes the high-water mark stops
 * getting live writes and is fed from the ring as it drains, so the server holds at most
 * about the high-water mark per connection; if it falls out of the ring it gets a gap marker.
 */
export class StreamFanout<Sink> {
  private readonly byChannel = new Map<string, Set<StreamSubscriber<Sink>>>();
  private shedCount = 0;

  constructor(
    private readonly broker: Broker,
    private readonly writer: StreamWriter<Sink>,
    /** Calibration only (`serve --calibrate-cpu`): called with the envelopes of each write, one per copy. */
    private readonly burn?: CopyBurner,
  ) {
    broker.subscribe((entry) => this.publish(entry));
  }

  get shed(): number {
    return this.shedCount;
  }

  /** Adds a subscriber and sends it everything after its cursor (a reset marker first when the cursor is another log's). */
  add(sink: Sink, channel: string, cursor: Cursor): StreamSubscriber<Sink> {
    const subscriber: StreamSubscriber<Sink> = {
      sink,
      channel,
      nextSeq: cursor.since + 1,
      catchingUp: true,
      lastDrainedAt: performance.now(),
    };
    if (cursor.reset) this.writer.write(sink, [this.writer.resetFrame(this.broker.epoch)]);
    let subscribers = this.byChannel.get(channel);
    if (subscribers === undefined) this.byChannel.set(channel, (subscribers = new Set()));
    subscribers.add(subscriber);
    this.catchUp(subscriber);
    return subscriber;
  }

  remove(subscriber: StreamSubscriber<Sink>): void {
    const subscribers = this.byChannel.get(subscriber.channel);
    subscribers?.delete(subscriber);
    if (subscribers?.size === 0) this.byChannel.delete(subscriber.channel);
  }

  *subscribers(): Generator<StreamSubscriber<Sink>> {
    for (const subscribers of this.byChannel.values()) yield* subscribers;
  }

  /** Closes subscribers whose catch-up has not drained for `limitMs`: they stopped reading. */
  shedStalled(limitMs: number): void {
    const now = performance.now();
    for (const subscriber of this.subscribers()) {
      if (subscriber.catchingUp && now - subscriber.lastDrainedAt > limitMs) {
        this.shedCount++;
        this.remove(subscriber);
        this.writer.shed(subscriber.sink);
      }
    }
  }

  private publish(entry: BrokerEntry): void {
    const subscribers = this.byChannel.get(entry.channel);
    if (subscribers === undefined) return;
    const frame = [this.writer.frame(entry)];
    let copies = 0;
    for (const subscriber of subscribers) {
      if (subscriber.catchingUp || subscriber.nextSeq !== entry.seq) continue;
      subscriber.nextSeq++;
      copies++;
      if (this.writer.queued(subscriber.sink) + frame[0]!.length <= STREAM_HIGH_WATER_BYTES) {
        this.writer.write(subscriber.sink, frame);
      } else {
        subscriber.catchingUp = true;
        this.writer.write(subscriber.sink, frame, () => this.drained(subscriber));
      }
    }
    this.burn?.(copies);
  }

  private drained(subscriber: StreamSubscriber<Sink>): void {
    subscriber.lastDrainedAt = performance.now();
    this.catchUp(subscriber);
  }

  /** Sends the next slice of the ring; once the subscriber holds the last seq it goes live. */
  private catchUp(subscriber: StreamSubscriber<Sink>): void {
    if (!this.writer.isOpen(subscriber.sink)) return;
    const read = this.broker.readAfter(subscriber.channel, subscriber.nextSeq - 1, MAX_BATCH_BYTES);
    const frames: Buffer[] = [];
    if (read.gap !== undefined) {
      frames.push(this.writer.gapFrame(read.gap));
      subscriber.nextSeq = read.gap.to + 1;
    }
    for (const entry of read.entries) frames.push(this.writer.frame(entry));
    if (read.entries.length > 0) subscriber.nextSeq = read.entries[read.entries.length - 1]!.seq + 1;
    this.burn?.(read.entries.length);
    if (subscriber.nextSeq > this.broker.lastSeq(subscriber.channel)) {
      subscriber.catchingUp = false;
      if (frames.length > 0) this.writer.write(subscriber.sink, frames);
    } else {
      this.writer.write(subscriber.sink, frames, () => this.drained(subscriber));
    }
  }
}
