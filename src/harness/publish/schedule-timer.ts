import { hrtimeNs } from '../../core/clock.js';
import { createHistogram, type Histogram, recordMicros } from '../../core/histogram.js';
import type { Shard } from '../run/shard.js';

/**
 * Fires `send(index, scheduledNs)` for each offset of the schedule at its time. A timer
 * that wakes late sends everything already due at once, stamped with the times they were
 * due, so the delay shows up in latency instead of vanishing (no coordinated omission).
 * How late each message was sent (the moment its send call returned, minus the scheduled one)
 * is recorded in `lateness` for the messages due inside `window`: the generator's own part
 * of every latency, which setTimeout's own lateness (about 0.3 ms at the median) is most of.
 * A shard sends only its share: indices I, I + N, I + 2N, …
 */
export class ScheduleTimer {
  /** Microseconds from each message's due time to its send, for messages due inside the window. */
  readonly lateness: Histogram = createHistogram();
  private next: number;
  private readonly stride: number;
  private count = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private finish!: () => void;
  readonly done: Promise<void>;

  constructor(
    private readonly offsetsMs: Float64Array,
    private readonly startNs: number,
    private readonly send: (index: number, scheduledNs: number) => void,
    shard?: Shard,
    private readonly window?: { startNs: number; endNs: number },
  ) {
    this.done = new Promise((resolve) => (this.finish = resolve));
    this.next = shard?.index ?? 0;
    this.stride = shard?.count ?? 1;
  }

  get sent(): number {
    return this.count;
  }

  start(): void {
    this.tick();
  }

  /** Stops early (abort); `done` resolves. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.finish();
  }

  private readonly tick = (): void => {
    if (this.stopped) return;
    const offsets = this.offsetsMs;
    while (this.next < offsets.length) {
      const due = this.startNs + offsets[this.next]! * 1e6;
      const now = hrtimeNs();
      if (due > now) {
        this.timer = setTimeout(this.tick, (due - now) / 1e6);
        return;
      }
      this.send(this.next, due);
      // Once the send call has returned: our own serialization and dispatch are the generator's part too.
      this.record(due, hrtimeNs());
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
