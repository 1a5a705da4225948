/** The message as it travels on the wire (DESIGN.md §2). */
export interface Envelope {
  seq: number;
  /** Scheduled publish time, `process.hrtime.bigint()` nanoseconds as a decimal string. */
  t: string;
  ch: string;
  from: string | null;
  data: string;
}

/** Sequence numbers from..to (inclusive) fell out of the ring before this client read them. */
export interface Gap {
  from: number;
  to: number;
}
