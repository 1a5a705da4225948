import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { TransportName } from '../transports/transport.js';

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

export interface LoopDelaySummary {
  p99Ms: number;
  maxMs: number;
}

/** Event-loop lag of this thread between start() and stop(). */
export class LoopDelayMonitor {
  private histogram: IntervalHistogram | undefined;

  constructor(private readonly resolutionMs = LOOP_DELAY_RESOLUTION_MS) {}

  start(): this {
    this.histogram?.disable();
    this.histogram = monitorEventLoopDelay({ resolution: this.resolutionMs });
    this.histogram.enable();
    return this;
  }

  stop(): LoopDelaySummary {
    const histogram = this.histogram;
    this.histogram = undefined;
    if (!histogram) return { p99Ms: 0, maxMs: 0 };
    histogram.disable();
    if (histogram.count === 0) return { p99Ms: 0, maxMs: 0 };
    // The histogram records the time between ticks, which includes the resolution itself.
    const lagMs = (nanoseconds: number): number => Math.max(0, nanoseconds / 1e6 - this.resolutionMs);
    return { p99Ms: lagMs(histogram.percentile(99)), maxMs: lagMs(histogram.max) };
  }
}

export function isGeneratorBound(p99Ms: number): boolean {
  return p99Ms > GENERATOR_BOUND_P99_MS;
}

export function generatorBoundWarning(transport: TransportName, p99Ms: number): string {
  return (
    `${transport}: the load generator's event loop lagged ${p99Ms.toFixed(1)} ms at p99 ` +
    `(over ${GENERATOR_BOUND_P99_MS} ms), so its latencies describe the generator, not the server. ` +
    'Use fewer clients (--clients) or a lower publish rate (--rate), or give the generator more room: ' +
    'more workers (--workers), or its own core with --pin auto.'
  );
}
