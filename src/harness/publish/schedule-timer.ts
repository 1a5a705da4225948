import { hrtimeNs } from '../../core/clock.js';
import type { Shard } from '../run/shard.js';

/**
 * Fires `send(index, scheduledNs)` for each offset of the schedule at its time. A timer
 * that wakes late sends everything already due at once, stamped with the times they were
 * due, so the delay shows up in latency instead of vanishing (no coordinated omission).
 * A shard sends only its share: indices I, I + N, I + 2N, …
 */
export class ScheduleTimer {
  private next: number;
  private readonly stride: number;
  private count = 0;
  private timer: NodeJS.Timeout | undefined;
  private finish!: () => void;
  readonly done: Promise<void>;

  constructor(
    private readonly offsetsMs: Float64Array,
    private readonly startNs: number,
    private readonly send: (index: number, scheduledNs: number) => void,
    shard?: Shard,
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
    clearTimeout(this.timer);
    this.finish();
  }

  private readonly tick = (): void => {
    const now = hrtimeNs();
    const offsets = this.offsetsMs;
    while (this.next < offsets.length) {
      const due = this.startNs + offsets[this.next]! * 1e6;
      if (due > now) {
        this.timer = setTimeout(this.tick, (due - now) / 1e6);
        return;
      }
      this.send(this.next, due);
      this.next += this.stride;
      this.count++;
    }
    this.finish();
  };
}
