import type { PublishPattern } from '../../document/scenario.js';

export interface ScheduleSpec {
  pattern: PublishPattern;
  /** Messages per second. */
  rate: number;
  burstSize: number;
  spanMs: number;
  seed?: number;
}

/** mulberry32: a tiny seeded generator, so a Poisson schedule is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * When each message is due, in ms from the start, fixed before the run begins (an open
 * model): publishing never waits for deliveries, so slow delivery cannot thin the load.
 */
export function buildSchedule({ pattern, rate, burstSize, spanMs, seed = 1 }: ScheduleSpec): Float64Array {
  const offsets: number[] = [];
  const meanGapMs = 1000 / rate;
  if (pattern === 'constant') {
    for (let at = 0; at < spanMs; at += meanGapMs) offsets.push(at);
  } else if (pattern === 'poisson') {
    const random = seededRandom(seed);
    for (let at = -Math.log(1 - random()) * meanGapMs; at < spanMs; at += -Math.log(1 - random()) * meanGapMs)
      offsets.push(at);
  } else {
    const burstGapMs = meanGapMs * burstSize;
    for (let at = 0; at < spanMs; at += burstGapMs) for (let i = 0; i < burstSize; i++) offsets.push(at);
  }
  return Float64Array.from(offsets);
}
