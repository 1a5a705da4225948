import { hrtimeNs } from '../../core/clock.js';
import { type Envelope, type Gap, ProtocolError } from '../../core/envelope.js';
import { type Histogram, recordMicros } from '../../core/histogram.js';
import type { ClientHandlers, TransportClient } from '../../transports/transport.js';
import type { MeasurementWindow } from '../run/measurement-window.js';
import { SeqTracker } from './seq-tracker.js';
import { senderLog } from '../../profiles/profile.js';

/** Where a pool's clients record what they receive (the ClientPool they belong to). */
export interface PoolRecorder {
  readonly latency: Histogram;
  readonly recovery: Histogram;
  readonly window: MeasurementWindow;
  /** A shard's tag: only messages stamped with it count for latency. */
  readonly latencyFrom: string | undefined;
  faultNs: number;
  receivedInWindow: number;
  /** Set when the drain ends: copies arriving from then on are not counted. */
  frozen: boolean;
  noteError(error: Error): void;
}

/** One simulated client and its own bookkeeping: the pool's per-message hot path. */
export class PooledClient implements ClientHandlers {
  /** One account per log the client read: sequence numbers start over in a new one. */
  readonly trackers: Map<string, SeqTracker>;
  seq: SeqTracker;
  client!: TransportClient;
  connected = false;
  /** Hit by the fault (its connections cut, or its server restarted): waiting to hear again. */
  awaitingRecovery = false;
  /** Stopped reading (the `slow` fault): left out of delivery and loss. */
  excluded = false;
  /** Messages that broke the wire contract. */
  protocolErrors = 0;

  /**
   * `epoch` and `start`: the log the server held before the client subscribed, and its last seq
   * on the channel. `perSender`: each sender numbers its own messages (a chat against a server
   * the publisher numbers for), so each sender's are accounted as a log of their own.
   */
  constructor(
    private readonly pool: PoolRecorder,
    readonly channel: string,
    readonly start: number,
    epoch: string,
    private readonly perSender = false,
  ) {
    this.seq = new SeqTracker(start);
    this.trackers = new Map([[epoch, this.seq]]);
  }

  onEnvelope(envelope: Envelope): void {
    const pool = this.pool;
    if (pool.frozen) return;
    const receivedNs = hrtimeNs();
    const tracker = this.perSender ? this.senderTracker(envelope.from) : this.seq;
    if (!tracker.accept(envelope.seq)) return;
    if (pool.window.contains(receivedNs)) pool.receivedInWindow++;
    const scheduledNs = Number(envelope.t);
    if (pool.window.contains(scheduledNs) && (pool.latencyFrom === undefined || envelope.from === pool.latencyFrom))
      recordMicros(pool.latency, (receivedNs - scheduledNs) / 1000);
    if (this.awaitingRecovery && receivedNs > pool.faultNs) {
      this.awaitingRecovery = false;
      recordMicros(pool.recovery, (receivedNs - pool.faultNs) / 1000);
    }
  }

  /** Each sender's account, by its `from` (kept in `trackers` too, under its log's name, for the totals). */
  private readonly bySender = new Map<string | null, SeqTracker>();

  private senderTracker(from: string | null): SeqTracker {
    let tracker = this.bySender.get(from);
    if (tracker === undefined) {
      tracker = new SeqTracker();
      this.bySender.set(from, tracker);
      this.trackers.set(senderLog(String(from)), tracker);
    }
    return tracker;
  }

  onGap(gap: Gap): void {
    if (!this.pool.frozen) this.seq.gap(gap.from, gap.to);
  }

  onEpoch(epoch: string): void {
    let tracker = this.trackers.get(epoch);
    // Another log than the one the client subscribed to: its numbers start over.
    if (tracker === undefined) this.trackers.set(epoch, (tracker = new SeqTracker()));
    this.seq = tracker;
  }

  onError(error: Error): void {
    if (error instanceof ProtocolError && !this.pool.frozen) this.protocolErrors++;
    this.pool.noteError(error);
  }
}
