/** The stretch of scheduled publish times whose deliveries count: warm-up before it is excluded. */
export class MeasurementWindow {
  startNs = Number.POSITIVE_INFINITY;
  endNs = Number.POSITIVE_INFINITY;

  contains(scheduledNs: number): boolean {
    return scheduledNs >= this.startNs && scheduledNs < this.endNs;
  }

  get seconds(): number {
    return (this.endNs - this.startNs) / 1e9;
  }
}
