const MAX_TRACKED_HOLES = 100_000;

/**
 * One client's account of a channel's sequence numbers: what arrived once, twice, late,
 * or was announced lost by a gap marker. In-order arrival costs one comparison.
 */
export class SeqTracker {
  highest: number;
  unique = 0;
  duplicated = 0;
  outOfOrder = 0;
  gapReported = 0;
  /** Numbers below `highest` not yet seen: they may still arrive, late. */
  private readonly holes = new Set<number>();

  /** `start`: the log's last seq when the client subscribed; only what comes after it is expected. */
  constructor(readonly start = 0) {
    this.highest = start;
  }

  /** Returns true when this is the first copy of `seq`. */
  accept(seq: number): boolean {
    if (seq === this.highest + 1) {
      this.highest = seq;
      this.unique++;
      return true;
    }
    if (seq > this.highest) {
      // A jump too long to wait for seq by seq (a foreign target's numbering, say) counts as lost.
      if (seq - this.highest <= MAX_TRACKED_HOLES)
        for (let missing = this.highest + 1; missing < seq; missing++) this.holes.add(missing);
      this.highest = seq;
      this.unique++;
      return true;
    }
    if (this.holes.delete(seq)) {
      this.outOfOrder++;
      this.unique++;
      return true;
    }
    this.duplicated++;
    return false;
  }

  /** The server says `from`..`to` are gone: they will never arrive, so they are not holes to wait for. */
  gap(from: number, to: number): void {
    this.gapReported += to - from + 1;
    if (from === this.highest + 1) this.highest = to;
  }

  /** True when everything up to `lastSeq` has arrived or was announced lost. */
  caughtUp(lastSeq: number): boolean {
    return this.highest >= lastSeq && this.holes.size === 0;
  }

  lost(lastSeq: number): number {
    return Math.max(0, lastSeq - this.start - this.unique);
  }

  expected(lastSeq: number): number {
    return Math.max(0, lastSeq - this.start);
  }
}
