import type { WireBytes, WireSums } from './result.js';

/**
 * Figures divided by a count: a figure over nothing (no copy delivered, no client connected)
 * was not measured, and is null — never a flattering 0.
 */
export function perCount(amount: number, count: number): number | null {
  return count > 0 ? amount / count : null;
}

/** A figure's multiple of another (bytes per message over the payload); null when either is unknown or 0. */
export function ratioOf(value: number | null, base: number): number | null {
  return value !== null && base > 0 ? value / base : null;
}

/** The wire figures of a window whose clients counted `sums` out of `inWindow` bytes. */
export function wireBytes(sums: WireSums, inWindow: number): WireBytes {
  const accounted = sums.messageHeadBytes + sums.emptyHeadBytes + sums.envelopeBytes;
  return {
    ...sums,
    otherBytes: inWindow - accounted,
    h200: perCount(sums.messageHeadBytes, sums.messageExchanges),
    h204: perCount(sums.emptyHeadBytes, sums.emptyExchanges),
    e: perCount(sums.envelopeBytes, sums.envelopes),
  };
}
