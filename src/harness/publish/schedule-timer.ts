import { createHistogram, type Histogram, recordMicros } from '../../core/histogram.js';
import type { Shard } from '../run/shard.js';
import type { PublishWait } from '../../document/result.js';
import { PublishWaiter } from './publish-wait.js';

export interface ScheduleTimerOptions {
  /** A shard sends only its share: indices I, I + N, I + 2N, … */
  shard?: Shard;
  /** Lateness is recorded for the messages due inside it (all of them without one). */
  window?: { startNs: number; endNs: number };
  /** Default `precise` (see PublishWaiter). */
  wait?: PublishWait;
}

/**
 * Fires `send(index, scheduledNs)` for each offset of the schedule at its time. A timer
 * that wakes late sends everything already due at once, stamped with the times they were
 * due, so the delay shows up in latency instead of vanishing (no coordinated omission).
 * How late each message's send began (minus the time it was due) is recorded in `lateness` for
 * the messages due inside the window: the publisher's own delay, part of every latency. It
 * covers the wait (a PublishWaiter's) and the sends of messages due before it at the same
 * moment; the send of the message itself (its serialization, the HTTP client, the socket write,
 * which on loopback is 25-160 µs of kernel time) is the same work any client does to send, and
 * belongs to the latency as it does in an independent client's.
 */
export class ScheduleTimer {
  /** Microseconds from each message's due time to the start of its send, for messages due inside the window. */
  readonly lateness: Histogram = createHistogram();
  private next: number;
  private readonly stride: number;
  private count = 0;
  private readonly waiter: PublishWaiter;
  private readonly window: ScheduleTimerOptions['window'];
  private stopped = false;
  private finish!: () => void;
  readonly done: Promise<void>;

  constructor(
    private readonly offsetsMs: Float64Array,
    private readonly startNs: number,
    private readonly send: (index: number, scheduledNs: number) => void,
    options: ScheduleTimerOptions = {},
  ) {
    this.done = new Promise((resolve) => (this.finish = resolve));
    this.next = options.shard?.index ?? 0;
    this.stride = options.shard?.count ?? 1;
    this.window = options.window;
    this.waiter = new PublishWaiter(options.wait ?? 'precise', this.tick);
  }

  get sent(): number {
    return this.count;
  }

  /** Nanoseconds spent spinning towards due times so far: waiting, not work. */
  get spinNs(): number {
    return this.waiter.spinNs;
  }

  start(): void {
    this.tick();
  }

  /** Stops early (abort); `done` resolves. */
  stop(): void {
    this.stopped = true;
    this.waiter.cancel();
    this.finish();
  }

  private readonly tick = (): void => {
    if (this.stopped) return;
    const offsets = this.offsetsMs;
    while (this.next < offsets.length) {
      const due = this.startNs + offsets[this.next]! * 1e6;
      if (this.waiter.notYet(due)) return;
      this.record(due, this.waiter.nowNs());
      this.send(this.next, due);
      this.next += this.stride;
      this.count++;
    }
    this.finish();
  };

  private record(dueNs: number, sentNs: number): void {
    const window = this.window;
    if (window !== undefined && (dueNs < window.startNs || dueNs >= window.endNs)) return;
    recordMicros(this.lateness, (sentNs - dueNs) / 1000);
  }
}
