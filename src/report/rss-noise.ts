import type { SweepPoint, SweepResult } from '../document/sweep.js';
import { formatFigure } from './format.js';
import { kibibytes } from './rows.js';

/**
 * Server RSS growth over the idle server below which RSS per connection is noise, not a trend:
 * the allocator and the collector move a Node server's RSS by more than this on their own. In
 * reports/sweep-clients.json the same idle server measured 88–98 MiB from one run to the next,
 * while 10 and 100 clients grew it by 32–204 KiB, and 1,000 clients by 8–15 MiB.
 */
export const RSS_NOISE_BYTES = 1024 * 1024;

export const RSS_NOISE_NOTE = 'under 1 MiB of growth over the idle server: noise, not a trend';

/** Whether a sweep point's RSS per connection rests on less growth than RSS_NOISE_BYTES (or on a shrink). */
export function rssPerConnectionIsNoise(
  sweep: Pick<SweepResult, 'parameter' | 'scenario'>,
  point: SweepPoint,
): boolean {
  if (point.rssPerConnectionBytes === null) return false;
  const clients = sweep.parameter === 'clients' ? point.value : sweep.scenario.clients;
  return point.rssPerConnectionBytes * clients < RSS_NOISE_BYTES;
}

/** A sweep point's RSS per connection in KiB, marked `(noise)` where it rests on too little growth. */
export function rssCell(point: SweepPoint, sweep: Pick<SweepResult, 'parameter' | 'scenario'>): string {
  const cell = formatFigure(kibibytes(point.rssPerConnectionBytes));
  return rssPerConnectionIsNoise(sweep, point) ? `${cell} (noise)` : cell;
}

/** Why some of a sweep's RSS per connection is marked as noise; null when none is. */
export function rssNoiseExplained(sweep: Pick<SweepResult, 'parameter' | 'scenario' | 'series'>): string | null {
  const noisy = Object.values(sweep.series).some((points) => points?.some((p) => rssPerConnectionIsNoise(sweep, p)));
  return noisy ? `RSS per connection on ${RSS_NOISE_NOTE} (RSS moves by more on its own).` : null;
}
