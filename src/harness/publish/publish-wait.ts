import { hrtimeNs } from '../../core/clock.js';
import type { PublishWait } from '../../document/result.js';

/**
 * Node's timers count whole milliseconds from a loop clock read once per loop turn, so one fires
 * up to about 1.2 ms either side of the time asked (measured: −0.6 to +1.1 ms at p1–p99). Waking
 * this early leaves the spin to cover all but the rarest of them.
 */
const PRECISE_EARLY_NS = 1.5e6;
/**
 * The spin runs in slices this long, each followed by a `setImmediate` step so the event loop
 * reads its sockets: a socket's data waits at most this long.
 */
const SPIN_SLICE_NS = 20e3;
/** Within this of the due time the spin goes on to the end: a step can take longer than what is left. */
const FINAL_SPIN_NS = 50e3;
/**
 * An idle turn of the event loop, from one step to the next, takes 1–2 µs here. A longer gap
 * means the loop did real work between two steps (read sockets, ran callbacks): that part is
 * load, and only this much of it is counted as spinning.
 */
const IDLE_STEP_NS = 10e3;

/*
 * Every read of a clock allocates (a heap number, a BigInt), and a spin that reads one as fast as
 * it can fills the young generation in a few milliseconds: the collector's pauses (0.4–2.6 ms
 * here) then fall just before the due times, as the spin is what allocates. So the spin reads
 * the clock once a microsecond and does arithmetic in between (measured: 101 collections in
 * 300 ms of spinning on reads alone, 4 this way).
 */
let sink = 0;

function busy(iterations: number): void {
  let x = sink;
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  sink = x;
}

let iterationsPerMicrosecond: number | undefined;

/** Calibrated on first use, from the fastest of a few runs (the first ones run before the loop is compiled). */
function microsecondOfWork(): number {
  if (iterationsPerMicrosecond === undefined) {
    let fastestMs = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      busy(200_000);
      fastestMs = Math.min(fastestMs, performance.now() - start);
    }
    iterationsPerMicrosecond = Math.max(1, Math.round(200_000 / (fastestMs * 1000)));
  }
  return iterationsPerMicrosecond;
}

/** hrtime (ms) minus performance.now(), from the tightest of a few reads of one between two of the other. */
function clockOffsetMs(): number {
  let best = { width: Number.POSITIVE_INFINITY, offset: 0 };
  for (let i = 0; i < 5; i++) {
    const before = performance.now();
    const hrtimeMs = hrtimeNs() / 1e6;
    const after = performance.now();
    if (after - before < best.width) best = { width: after - before, offset: hrtimeMs - (before + after) / 2 };
  }
  return best.offset;
}

/**
 * Waits for one due time after another, calling `wake` when the wait is over (or nearly: the
 * caller asks again). Two ways (`run --publish-wait`):
 *   - `precise`: a timer wakes it {@link PRECISE_EARLY_NS} early, then it spins to the due time
 *     in slices of {@link SPIN_SLICE_NS}. Lateness is then microseconds, at the price of spinning.
 *   - `coarse`: `setTimeout` alone, which fires a few tenths of a millisecond late at the median.
 * Counts the time it spent spinning, so that a generator's CPU can be judged on its work, not on
 * its waiting.
 */
export class PublishWaiter {
  /** Nanoseconds spent spinning towards due times so far (0 for `coarse`). */
  spinNs = 0;
  private timeout: NodeJS.Timeout | undefined;
  private step: NodeJS.Immediate | undefined;
  private stepAskedMs = 0;
  /** hrtime (ms) minus performance.now(): the spin reads the latter, the cheaper of the two. */
  private readonly clockOffsetMs = clockOffsetMs();
  private readonly workPerRead: number;

  constructor(
    readonly mode: PublishWait,
    private readonly wake: () => void,
  ) {
    this.workPerRead = mode === 'precise' ? microsecondOfWork() : 0;
  }

  /**
   * False when `dueNs` has come (now or after a spin of at most one slice): the caller sends.
   * True when the wait goes on: `wake` is called later, and the caller returns to the event loop.
   */
  notYet(dueNs: number): boolean {
    const dueMs = dueNs / 1e6 - this.clockOffsetMs;
    const remainingMs = dueMs - performance.now();
    if (remainingMs <= 0) return false;
    if (this.mode === 'coarse') return this.sleep(remainingMs);
    if (remainingMs > PRECISE_EARLY_NS / 1e6) return this.sleep(remainingMs - PRECISE_EARLY_NS / 1e6);
    const sliceStartMs = performance.now();
    const sliceEndMs =
      remainingMs <= FINAL_SPIN_NS / 1e6
        ? dueMs
        : Math.min(dueMs - FINAL_SPIN_NS / 1e6, sliceStartMs + SPIN_SLICE_NS / 1e6);
    let nowMs = sliceStartMs;
    while (nowMs < sliceEndMs) {
      busy(this.workPerRead);
      nowMs = performance.now();
    }
    this.spinNs += (nowMs - sliceStartMs) * 1e6;
    if (nowMs >= dueMs) return false;
    this.stepAskedMs = nowMs;
    this.step = setImmediate(this.onStep);
    return true;
  }

  /**
   * Now, on the hrtime clock, read through performance.now(): the first read of hrtime after a
   * pause takes several microseconds here (measured 6–9 µs), which would show up as lateness.
   */
  nowNs(): number {
    return (performance.now() + this.clockOffsetMs) * 1e6;
  }

  cancel(): void {
    clearTimeout(this.timeout);
    clearImmediate(this.step);
  }

  private sleep(ms: number): true {
    this.timeout = setTimeout(this.wake, ms);
    return true;
  }

  private readonly onStep = (): void => {
    this.spinNs += Math.min((performance.now() - this.stepAskedMs) * 1e6, IDLE_STEP_NS);
    this.wake();
  };
}
