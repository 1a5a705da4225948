import type { TransportResult } from '../document/result.js';
import { formatFigure, formatMs } from './format.js';

/** Past this share of a technique's median latency, the publisher's own lateness is worth a caveat. */
const LATENESS_SHARE_FLAGGED = 0.1;

/** Microseconds from a figure in milliseconds: the publisher's lateness is often a few of them. */
function formatMicros(ms: number | null): string {
  return ms === null ? formatFigure(null) : formatFigure(ms * 1000);
}

/**
 * How late the publisher sent, per technique, as one sentence: the generator's own part of
 * every latency figure. Null when no technique recorded it (documents from before it was).
 */
export function publisherTimingNote(transports: readonly TransportResult[]): string | null {
  const timed = transports.filter((t) => t.publisher !== undefined && t.publisher.lateness.count > 0);
  if (timed.length === 0) return null;
  const each = timed.map((t) => {
    const { p50, p99, max } = t.publisher!.lateness;
    return `${t.transport} p50 ${formatMicros(p50)}, p99 ${formatMicros(p99)}, max ${formatMicros(max)}`;
  });
  const waits = new Set(timed.map((t) => t.publisher!.wait ?? 'coarse'));
  const how = waits.size === 1 ? `, waiting ${[...waits][0]}` : '';
  return (
    `Publisher lateness (µs from each message's due time to the start of its send${how}): ${each.join('; ')}. ` +
    'Latency is measured from the due time, so this is inside every latency figure.'
  );
}

/** The caveat when the publisher's lateness p99 is a tenth or more of the technique's p50 latency; null otherwise. */
export function latenessCaveat(t: TransportResult): string | null {
  const lateness = t.publisher?.lateness.p99 ?? null;
  const p50 = t.latency.p50;
  if (lateness === null || p50 === null || lateness <= LATENESS_SHARE_FLAGGED * p50) return null;
  return (
    `publisher lateness p99 ${formatMs(lateness)} ms is over ${LATENESS_SHARE_FLAGGED * 100} % of its p50 latency ` +
    `(${formatMs(p50)} ms): part of its latency is the generator's own delay in sending`
  );
}
