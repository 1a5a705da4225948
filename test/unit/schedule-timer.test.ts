import { describe, expect, it } from 'vitest';
import { hrtimeNs } from '../../src/core/clock.js';
import { summarize } from '../../src/core/histogram.js';
import { ScheduleTimer } from '../../src/harness/publish/schedule-timer.js';

describe('ScheduleTimer: the publisher keeps count of its own lateness', () => {
  it('records, for each message due inside the window, how late its send call returned, and nothing else', async () => {
    // Due every 10 ms from 0 to 90 ms; the window holds those due in [30, 70) ms: 4 of them.
    const offsets = Float64Array.from({ length: 10 }, (_, i) => i * 10);
    const startNs = hrtimeNs() + 5e6;
    const window = { startNs: startNs + 30e6, endNs: startNs + 70e6 };
    const insideSend: number[] = [];
    // Each send takes 200 µs: the lateness counts it, since it is the generator's own time too.
    const send = (_index: number, dueNs: number): void => {
      insideSend.push((hrtimeNs() - dueNs) / 1e6);
      const until = hrtimeNs() + 200e3;
      while (hrtimeNs() < until);
    };
    const timer = new ScheduleTimer(offsets, startNs, send, undefined, window);
    timer.start();
    await timer.done;
    expect(timer.sent).toBe(10);
    const lateness = summarize(timer.lateness);
    expect(lateness.count).toBe(4);
    // Taken once the send returned: at least the moment inside it plus the 200 µs it took.
    const inWindow = insideSend.slice(3, 7);
    expect(lateness.min!).toBeGreaterThanOrEqual((Math.min(...inWindow) + 0.2) * 0.999);
    expect(lateness.max!).toBeGreaterThanOrEqual((Math.max(...inWindow) + 0.2) * 0.999);
  });

  it('a message sent late because an earlier one blocked the loop is late by all of it: no coordinated omission', async () => {
    const offsets = new Float64Array([0, 1, 2]);
    const startNs = hrtimeNs();
    const block = (): void => {
      const until = hrtimeNs() + 20e6;
      while (hrtimeNs() < until);
    };
    const timer = new ScheduleTimer(offsets, startNs, (index) => index === 0 && block(), undefined, {
      startNs,
      endNs: startNs + 1e9,
    });
    timer.start();
    await timer.done;
    // The third was due 2 ms in and handed over after the 20 ms block.
    expect(summarize(timer.lateness).max!).toBeGreaterThan(15);
  });
});
