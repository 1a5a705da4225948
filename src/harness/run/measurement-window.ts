/**
 * The measurement window on the shared hrtime clock. Latency counts messages *scheduled*
 * inside it; throughput and the per-message figures count copies *received* inside it, the
 * same interval their requests, bytes and CPU are counted over. Warm-up comes before it.
 */
export class MeasurementWindow {
  startNs = Number.POSITIVE_INFINITY;
  endNs = Number.POSITIVE_INFINITY;

  contains(ns: number): boolean {
    return ns >= this.startNs && ns < this.endNs;
  }

  get seconds(): number {
    return (this.endNs - this.startNs) / 1e9;
  }
}
