import { showValue } from './show-value.js';
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

/** A message that breaks the wire contract: counted as a protocol error, never as a copy or a duplicate. */
export class ProtocolError extends Error {
  constructor(problem: string, value: unknown) {
    super(`protocol error: ${problem}: ${showValue(value)}`);
    this.name = 'ProtocolError';
  }
}

/** What is wrong with a message that should be an envelope; null when it is one. */
export function envelopeProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const { seq, t, ch, from, data } = value as Record<string, unknown>;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return 'seq is not a positive integer';
  if (typeof t !== 'string' || !isDecimalNanos(t)) return 't is not a decimal string of nanoseconds';
  if (typeof ch !== 'string') return 'ch is not a string';
  if (from !== null && typeof from !== 'string') return 'from is neither a string nor null';
  if (typeof data !== 'string') return 'data is not a string';
  return null;
}

/** HRTIME_PATTERN's test (1 to 20 decimal digits), by hand: it runs for every copy received. */
function isDecimalNanos(t: string): boolean {
  const length = t.length;
  if (length === 0 || length > 20) return false;
  for (let i = 0; i < length; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** What is wrong with a message that should be a gap marker's `{from, to}`; null when it is one. */
export function gapProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'gap is not a JSON object';
  const { from, to } = value as Record<string, unknown>;
  const valid = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1;
  if (!valid(from) || !valid(to) || from > to) return 'gap is not {from, to} with 1 ≤ from ≤ to';
  return null;
}
