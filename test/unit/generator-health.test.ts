import { describe, expect, it } from 'vitest';
import {
  combineHealth,
  GENERATOR_BOUND_CPU,
  GeneratorMonitor,
  generatorBoundWarning,
} from '../../src/harness/generator/generator-health.js';
import { sleep } from '../helpers/wait.js';

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('generator health', () => {
  it('reports a blocked loop as lag, net of the sampling step, and its share of the time', async () => {
    const monitor = new GeneratorMonitor().start();
    await sleep(30);
    spin(80);
    await sleep(30);
    const health = monitor.stop();
    expect(health.eventLoopDelayMaxMs).toBeGreaterThanOrEqual(60);
    expect(health.eventLoopDelayMaxMs).toBeLessThan(1_000);
    expect(health.eventLoopDelayP99Ms).toBeLessThanOrEqual(health.eventLoopDelayMaxMs);
    expect(health.stalledShare).toBeGreaterThan(0.3);
    expect(health.bound).toBe(true);
    expect(new GeneratorMonitor().stop()).toMatchObject({
      eventLoopDelayP99Ms: 0,
      eventLoopDelayMaxMs: 0,
      stalledShare: 0,
    });
  });

  it('does not count the sampling step itself as lag', async () => {
    const monitor = new GeneratorMonitor(100).start();
    await sleep(350);
    const health = monitor.stop();
    // Raw samples of an idle loop are each >= 100 ms here; net of the step they are near 0,
    // with room for a scheduling hiccup of a loaded machine.
    expect(health.eventLoopDelayP99Ms).toBeLessThan(90);
    expect(health.cpuUtilization).toBeLessThan(0.5);
  });

  it('sees a generator busy on CPU even when its loop turns quickly', async () => {
    const monitor = new GeneratorMonitor().start();
    const cpuStart = process.cpuUsage();
    // Many short bursts: the loop keeps turning, but the core is all used.
    while (process.cpuUsage(cpuStart).user < 300_000) {
      spin(4);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const health = monitor.stop();
    expect(health.cpuUtilization).toBeGreaterThan(GENERATOR_BOUND_CPU * 0.8);
  });

  it('says why the generator was saturated and what to change', () => {
    const warning = generatorBoundWarning('websocket', {
      eventLoopDelayP99Ms: 34.25,
      eventLoopDelayMaxMs: 80,
      stalledShare: 0.2,
      cpuUtilization: 0.95,
      bound: true,
    });
    expect(warning).toMatch(
      /^websocket: .*34\.3 ms at p99, over 20; loop blocked 20 % of the time, over 10; CPU 95 % of a core, over 90\)/,
    );
    expect(warning).toContain('CPU 95 % of a core');
    expect(warning).toContain('--clients');
    expect(warning).toContain('--pin auto');
    expect(warning).not.toContain('--workers');
    const pinned = generatorBoundWarning(
      'websocket',
      { eventLoopDelayP99Ms: 34.25, eventLoopDelayMaxMs: 80, stalledShare: 0.2, cpuUtilization: 0.95, bound: true },
      true,
    );
    expect(pinned).not.toContain('--pin');
    expect(pinned).toContain('--shard');
    expect(pinned).not.toContain('--publish-wait');
    const spun = generatorBoundWarning('websocket', {
      eventLoopDelayP99Ms: 34.25,
      eventLoopDelayMaxMs: 80,
      stalledShare: 0.2,
      cpuUtilization: 0.95,
      spinUtilization: 0.3,
      bound: true,
    });
    expect(spun).toContain(
      'The publisher also spun 30 % of a core to publish on time; --publish-wait coarse gives that back.',
    );
  });
});

describe("generator health and the publisher's spin", () => {
  it('leaves the time spent spinning towards due times out of the load it judges', async () => {
    const run = async (spinShare: number) => {
      let spunNs = 0;
      const monitor = new GeneratorMonitor().start(() => spunNs);
      const cpuStart = process.cpuUsage();
      // A core fully used in bursts short enough not to stall the loop, `spinShare` of it declared as the publisher's spin.
      while (process.cpuUsage(cpuStart).user < 300_000) {
        const start = performance.now();
        spin(0.2);
        spunNs += (performance.now() - start) * 1e6 * spinShare;
        await new Promise((resolve) => setImmediate(resolve));
      }
      return monitor.stop();
    };
    const spinning = await run(0.9);
    expect(spinning.cpuUtilization).toBeGreaterThan(GENERATOR_BOUND_CPU * 0.8);
    expect(spinning.spinUtilization).toBeGreaterThan(0.6);
    expect(spinning.bound).toBe(false);
    expect(
      generatorBoundWarning('websocket', { ...spinning, cpuUtilization: spinning.spinUtilization! + 0.95 }),
    ).toMatch(/CPU \d+ % of a core, besides \d+ % spinning to publish on time, over 90/);
    const working = await run(0);
    expect(working.spinUtilization).toBe(0);
  });

  it('reads several processes as the busiest, its CPU and spin together', () => {
    const quiet = { eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 2, stalledShare: 0, bound: false };
    // The coordinator spins most of its core away; a worker is the one with the load.
    const coordinator = { ...quiet, cpuUtilization: 0.98, spinUtilization: 0.9 };
    const worker = { ...quiet, cpuUtilization: 0.7, spinUtilization: 0 };
    expect(combineHealth([coordinator, worker])).toMatchObject({ cpuUtilization: 0.7, spinUtilization: 0 });
    expect(combineHealth([worker, { ...coordinator, cpuUtilization: 1.7 }])).toMatchObject({
      cpuUtilization: 1.7,
      spinUtilization: 0.9,
    });
  });
});
