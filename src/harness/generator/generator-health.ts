import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { GeneratorHealth } from '../../document/result.js';
import type { TransportName } from '../../document/scenario.js';

export type { GeneratorHealth };

/**
 * Node's default. A stall of any length still shows in full (it delays the pending tick), so a
 * finer step buys little for a 20 ms threshold, while 1 ms would wake the generator's loop
 * 1,000 times a second on the very core whose lag we measure.
 */
export const LOOP_DELAY_RESOLUTION_MS = 10;

/**
 * Above this p99 lag the generator's receive timestamps are late by more than the delivery
 * latency of a healthy push transport on loopback (low single-digit ms), so the latency figures
 * describe the generator. Twice the resolution, to stay clear of timer jitter and short GC pauses.
 */
export const GENERATOR_BOUND_P99_MS = 20;
/** Stalls add one sample each however long they last, so p99 misses rare long ones: count their time too. */
export const GENERATOR_BOUND_STALLED_SHARE = 0.1;
/** The generator's JavaScript runs on one thread: near one full core it has no room left to be on time. */
export const GENERATOR_BOUND_CPU = 0.9;

/** Watches this process, the load generator, between start() and stop(). */
export class GeneratorMonitor {
  private histogram: IntervalHistogram | undefined;
  private startedAt = 0;
  private cpuAtStart: NodeJS.CpuUsage | undefined;
  private spinNs: () => number = () => 0;
  private spinAtStartNs = 0;

  constructor(private readonly resolutionMs = LOOP_DELAY_RESOLUTION_MS) {}

  /** `spinNs`: nanoseconds this process has spent spinning towards due times so far (the publisher's precise wait). */
  start(spinNs?: () => number): this {
    if (spinNs !== undefined) this.spinNs = spinNs;
    this.spinAtStartNs = this.spinNs();
    this.histogram?.disable();
    this.histogram = monitorEventLoopDelay({ resolution: this.resolutionMs });
    this.histogram.enable();
    this.startedAt = performance.now();
    this.cpuAtStart = process.cpuUsage();
    return this;
  }

  stop(): GeneratorHealth {
    const histogram = this.histogram;
    this.histogram = undefined;
    const elapsedMs = performance.now() - this.startedAt;
    const used = this.cpuAtStart === undefined ? undefined : process.cpuUsage(this.cpuAtStart);
    const cpuUtilization = used === undefined || elapsedMs <= 0 ? 0 : (used.user + used.system) / 1000 / elapsedMs;
    const spinUtilization =
      elapsedMs <= 0 ? 0 : Math.min(cpuUtilization, (this.spinNs() - this.spinAtStartNs) / 1e6 / elapsedMs);
    const cpu = { cpuUtilization, spinUtilization };
    histogram?.disable();
    if (histogram === undefined || histogram.count === 0) {
      return {
        eventLoopDelayP99Ms: 0,
        eventLoopDelayMaxMs: 0,
        stalledShare: 0,
        ...cpu,
        bound: loadOf(cpu) > GENERATOR_BOUND_CPU,
      };
    }
    // The histogram records the time between ticks, which includes the resolution itself.
    const lagMs = (nanoseconds: number): number => Math.max(0, nanoseconds / 1e6 - this.resolutionMs);
    const p99 = lagMs(histogram.percentile(99));
    const stalledShare = elapsedMs > 0 ? Math.min(1, (histogram.count * lagMs(histogram.mean)) / elapsedMs) : 0;
    return {
      eventLoopDelayP99Ms: p99,
      eventLoopDelayMaxMs: lagMs(histogram.max),
      stalledShare,
      ...cpu,
      bound:
        p99 > GENERATOR_BOUND_P99_MS ||
        stalledShare > GENERATOR_BOUND_STALLED_SHARE ||
        loadOf(cpu) > GENERATOR_BOUND_CPU,
    };
  }
}

/** The generator's CPU less its spinning towards due times: spinning gives way to any work, so it is not load. */
function loadOf(health: Pick<GeneratorHealth, 'cpuUtilization' | 'spinUtilization'>): number {
  return health.cpuUtilization - (health.spinUtilization ?? 0);
}

/** A spin this large is worth naming when the generator is saturated. */
const SPIN_WORTH_GIVING_BACK = 0.05;

/** `CPU 95 % of a core` (`, besides 4 % spinning to publish on time` when the precise wait spun). */
export function describeLoad(health: Pick<GeneratorHealth, 'cpuUtilization' | 'spinUtilization'>): string {
  const load = `CPU ${(loadOf(health) * 100).toFixed(0)} % of a core`;
  const spin = health.spinUtilization ?? 0;
  return spin >= 0.005 ? `${load}, besides ${(spin * 100).toFixed(0)} % spinning to publish on time` : load;
}

/**
 * Several generator processes (workers, shards) read as the busiest of them: each runs its own
 * loop on its own core share. CPU and spin come from the one process with the most load, so
 * that its load reads as it was (the most CPU of one and the most spin of another would not).
 */
export function combineHealth(parts: readonly GeneratorHealth[]): GeneratorHealth {
  const busiest = parts.reduce((most, part) => (loadOf(part) > loadOf(most) ? part : most));
  return {
    eventLoopDelayP99Ms: Math.max(...parts.map((part) => part.eventLoopDelayP99Ms)),
    eventLoopDelayMaxMs: Math.max(...parts.map((part) => part.eventLoopDelayMaxMs)),
    stalledShare: Math.max(...parts.map((part) => part.stalledShare)),
    cpuUtilization: busiest.cpuUtilization,
    ...(busiest.spinUtilization === undefined ? {} : { spinUtilization: busiest.spinUtilization }),
    bound: parts.some((part) => part.bound),
  };
}

/** `pinned`: the generator already has cores of its own (`--pin auto` took effect), so the advice is elsewhere. */
export function generatorBoundWarning(transport: TransportName, health: GeneratorHealth, pinned = false): string {
  const seen: string[] = [];
  if (health.eventLoopDelayP99Ms > GENERATOR_BOUND_P99_MS) {
    seen.push(`event-loop lag ${health.eventLoopDelayP99Ms.toFixed(1)} ms at p99, over ${GENERATOR_BOUND_P99_MS}`);
  }
  if (health.stalledShare > GENERATOR_BOUND_STALLED_SHARE) {
    seen.push(
      `loop blocked ${(health.stalledShare * 100).toFixed(0)} % of the time, over ${GENERATOR_BOUND_STALLED_SHARE * 100}`,
    );
  }
  if (loadOf(health) > GENERATOR_BOUND_CPU) seen.push(`${describeLoad(health)}, over ${GENERATOR_BOUND_CPU * 100}`);
  const spin = health.spinUtilization ?? 0;
  // The spin gives way to its own process's work, not to other processes on its core (workers).
  const giveBack =
    spin >= SPIN_WORTH_GIVING_BACK
      ? ` The publisher also spun ${(spin * 100).toFixed(0)} % of a core to publish on time; --publish-wait coarse gives that back.`
      : '';
  return (
    `${transport}: the load generator was saturated (${seen.join('; ')}), so its latencies describe the generator, ` +
    'not the server. Use fewer clients (--clients) or a lower publish rate (--rate), or ' +
    (pinned
      ? 'spread the clients over more machines (--shard with --target).'
      : 'give the generator its own core with --pin auto.') +
    giveBack
  );
}
