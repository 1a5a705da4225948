import { describe, expect, it } from 'vitest';
import { hrtimeNs } from '../../src/core/clock.js';
import { summarize } from '../../src/core/histogram.js';
import { ScheduleTimer } from '../../src/harness/publish/schedule-timer.js';

describe('ScheduleTimer: the publisher keeps count of its own lateness', () => {
  it('records, for each message due inside the window, how late its send began, and nothing else', async () => {
    // Due every 10 ms from 0 to 90 ms; the window holds those due in [30, 70) ms: 4 of them.
    const offsets = Float64Array.from({ length: 10 }, (_, i) => i * 10);
    const startNs = hrtimeNs() + 5e6;
    const window = { startNs: startNs + 30e6, endNs: startNs + 70e6 };
    const insideSend: number[] = [];
    // Each send takes 200 µs: any client pays for its own send, so that is latency, not lateness.
    const send = (_index: number, dueNs: number): void => {
      insideSend.push((hrtimeNs() - dueNs) / 1e6);
      const until = hrtimeNs() + 200e3;
      while (hrtimeNs() < until);
    };
    const timer = new ScheduleTimer(offsets, startNs, send, { window });
    timer.start();
    await timer.done;
    expect(timer.sent).toBe(10);
    const lateness = summarize(timer.lateness);
    expect(lateness.count).toBe(4);
    // Taken as the send began: no later than the first moment inside it (HDR keeps 3 digits).
    const inWindow = insideSend.slice(3, 7);
    expect(lateness.max!).toBeLessThanOrEqual(Math.max(...inWindow) * 1.001 + 0.001);
    // Counted after the send, even the least late would be 200 µs later than the earliest send began.
    expect(lateness.min!).toBeLessThan(Math.min(...inWindow) + 0.1);
  });

  it('a message sent late because an earlier one blocked the loop is late by all of it: no coordinated omission', async () => {
    const offsets = new Float64Array([0, 1, 2]);
    const startNs = hrtimeNs();
    const block = (): void => {
      const until = hrtimeNs() + 20e6;
      while (hrtimeNs() < until);
    };
    const timer = new ScheduleTimer(offsets, startNs, (index) => index === 0 && block(), {
      window: { startNs, endNs: startNs + 1e9 },
    });
    timer.start();
    await timer.done;
    // The third was due 2 ms in and handed over after the 20 ms block.
    expect(summarize(timer.lateness).max!).toBeGreaterThan(15);
  });
});

describe('ScheduleTimer: the precise wait', () => {
  // Due every 4 ms for 200 ms: each wait is longer than the timer's early wake.
  const offsets = Float64Array.from({ length: 50 }, (_, i) => i * 4);

  async function sendTimes(wait: 'precise' | 'coarse'): Promise<{ early: number[]; p50: number; spinNs: number }> {
    const startNs = hrtimeNs() + 5e6;
    const early: number[] = [];
    const timer = new ScheduleTimer(offsets, startNs, (_index, dueNs) => early.push(dueNs - hrtimeNs()), { wait });
    timer.start();
    await timer.done;
    return { early: early.filter((ns) => ns > 0), p50: summarize(timer.lateness).p50!, spinNs: timer.spinNs };
  }

  it('sends nothing before it is due, whichever the wait', async () => {
    expect((await sendTimes('precise')).early).toEqual([]);
    expect((await sendTimes('coarse')).early).toEqual([]);
  });

  it('sends at the due time to within microseconds, where the timer alone is a few tenths of a millisecond late', async () => {
    const precise = await sendTimes('precise');
    const coarse = await sendTimes('coarse');
    expect(precise.p50).toBeLessThan(0.1);
    expect(coarse.p50).toBeGreaterThan(precise.p50);
    // The spin is counted, as waiting, so the generator's load can leave it out; the timer alone spins not at all.
    expect(precise.spinNs).toBeGreaterThan(0);
    expect(coarse.spinNs).toBe(0);
  });
});
