import * as hdr from 'hdr-histogram-js';

/** The only histogram settings im-bench uses (DESIGN §3): values in microseconds, 1 µs … 60 s, 3 digits. */
export const HISTOGRAM_LOWEST_MICROS = 1;
export const HISTOGRAM_HIGHEST_MICROS = 60_000_000;
export const HISTOGRAM_SIGNIFICANT_DIGITS = 3;
/** 64-bit counts: 32-bit buckets (Uint32Array) wrap silently once merged runs pass 2^32 copies. */
const BIT_BUCKET_SIZE = 64;

export type Histogram = hdr.Histogram;

/**
 * Percentiles of an HDR histogram, in milliseconds. With no sample (`count` 0) every figure is
 * null: not measured, never 0 ms.
 */
export interface LatencySummary {
  count: number;
  min: number | null;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
}

/** The summary of a histogram with no sample: every figure not measured. */
export const NO_SAMPLES: Readonly<LatencySummary> = {
  count: 0,
  min: null,
  mean: null,
  p50: null,
  p90: null,
  p99: null,
  p999: null,
  max: null,
};

export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: BIT_BUCKET_SIZE,
    autoResize: false,
    lowestDiscernibleValue: HISTOGRAM_LOWEST_MICROS,
    highestTrackableValue: HISTOGRAM_HIGHEST_MICROS,
    numberOfSignificantValueDigits: HISTOGRAM_SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
}

/** Records one value, clamped into the trackable range and rounded to a whole microsecond (NaN counts as 1 µs). */
export function recordMicros(histogram: Histogram, micros: number): void {
  histogram.recordValue(
    micros >= HISTOGRAM_LOWEST_MICROS
      ? micros <= HISTOGRAM_HIGHEST_MICROS
        ? Math.round(micros)
        : HISTOGRAM_HIGHEST_MICROS
      : HISTOGRAM_LOWEST_MICROS,
  );
}

/** HdrHistogram V2 compressed encoding, base64: readable by the Java, Go, Rust … implementations too. */
export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, BIT_BUCKET_SIZE, false, HISTOGRAM_HIGHEST_MICROS);
}

export function mergeInto(target: Histogram, source: Histogram): void {
  target.add(source);
}

/**
 * Percentiles in milliseconds. `min` and `max` are the bounds of their buckets (as HdrHistogram
 * reports them), so a summary reads the same before and after an encode/decode round trip.
 */
export function summarize(histogram: Histogram): LatencySummary {
  const count = histogram.totalCount;
  if (count === 0) return { ...NO_SAMPLES };
  const at = (percentile: number): number => histogram.getValueAtPercentile(percentile) / 1000;
  return {
    count,
    min: at(0),
    mean: Math.round(histogram.mean) / 1000,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: at(100),
  };
}
