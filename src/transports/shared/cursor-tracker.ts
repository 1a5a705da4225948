import { type Envelope, envelopeProblem, type Gap, gapProblem, ProtocolError } from '../../core/envelope.js';
import type { ClientHandlers } from '../transport.js';
import type { ClientMeter } from './client-meter.js';
import { jsonArrayItemLengths } from './json-array-items.js';

function isGapMarker(value: object): value is { gap: unknown } {
  return 'gap' in value;
}

function isResetMarker(value: object): value is { reset: unknown } {
  return 'reset' in value;
}

function isEnvelopeLike(value: object): boolean {
  return 'seq' in value;
}

/** An object that is meant as an envelope (it has a `seq`), valid or not: its bytes are an envelope's. */
function isEnvelopeObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && isEnvelopeLike(value);
}

function resetEpoch(value: unknown): string | undefined {
  const epoch = typeof value === 'object' && value !== null ? (value as { epoch?: unknown }).epoch : undefined;
  return typeof epoch === 'string' && epoch !== '' ? epoch : undefined;
}

/**
 * Hands each decoded message to the handlers and keeps the resume token: the highest sequence
 * number seen (or the end of a reported gap), and the epoch of the log it belongs to.
 */
export class CursorTracker {
  cursor: number;
  /** The log the cursor belongs to, once a response has named it. */
  epoch: string | undefined;

  /** `meter` counts each envelope at the size it came in (E, valid or not; markers are not envelopes). */
  constructor(
    since: number,
    private readonly handlers: ClientHandlers,
    private readonly meter: ClientMeter,
  ) {
    this.cursor = since;
  }

  /**
   * A decoded envelope, checked against the contract first: one that breaks it is a protocol
   * error, reported and dropped, so it neither moves the cursor nor counts as a copy.
   */
  envelope(value: unknown, bytes: number): void {
    // The contract's check first: on the per-copy path, a valid envelope is looked at once.
    const problem = envelopeProblem(value);
    if (problem === null || isEnvelopeObject(value)) this.meter.envelope(bytes);
    this.take(value, problem);
  }

  private take(value: unknown, problem: string | null): void {
    if (!this.conforms(problem, value)) return;
    const envelope = value as Envelope;
    if (envelope.seq > this.cursor) this.cursor = envelope.seq;
    this.handlers.onEnvelope(envelope);
  }

  gap(value: unknown): void {
    if (!this.conforms(gapProblem(value), value)) return;
    const gap = value as Gap;
    if (gap.to > this.cursor) this.cursor = gap.to;
    this.handlers.onGap(gap);
  }

  /** A reset marker's `{epoch}`; one without a usable epoch is a protocol error (false) and changes nothing. */
  resetTo(value: unknown): boolean {
    const epoch = resetEpoch(value);
    if (epoch === undefined) return this.conforms('reset without an epoch', value);
    this.reset(epoch);
    return true;
  }

  /** True when `problem` is null; otherwise reports the message as a protocol error. */
  private conforms(problem: string | null, value: unknown): boolean {
    if (problem === null) return true;
    this.handlers.onError(new ProtocolError(problem, value));
    return false;
  }

  /**
   * A response named the log it reads (the epoch header). Only the first one is taken: once
   * the cursor belongs to a log, only a reset marker moves it to another, so a header read from
   * an answer cut off before its marker cannot relabel an old cursor as new.
   */
  noteEpoch(epoch: string | undefined): void {
    if (epoch === undefined || this.epoch !== undefined) return;
    this.adopt(epoch);
  }

  /** The server says the cursor belonged to another log: start over in this one, from 0. */
  reset(epoch: string): void {
    this.cursor = 0;
    if (epoch !== this.epoch) this.adopt(epoch);
  }

  private adopt(epoch: string): void {
    this.epoch = epoch;
    this.handlers.onEpoch?.(epoch);
  }

  /** Subscribe parameters that hand the resume token back: the cursor and, once known, its epoch. */
  resumeParams(): Record<string, string | number> {
    return this.epoch === undefined ? { since: this.cursor } : { since: this.cursor, epoch: this.epoch };
  }

  /** One decoded JSON message of the polling or WebSocket contract. */
  /** A decoded message of `bytes` bytes as received (undefined: not measured), an envelope or a marker. */
  message(value: unknown, bytes: number | undefined): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.handlers.onError(new ProtocolError('not an envelope or a marker', value));
    } else if (isEnvelopeLike(value)) {
      if (bytes !== undefined) this.meter.envelope(bytes);
      this.take(value, envelopeProblem(value));
    } else if (isGapMarker(value)) {
      this.gap(value.gap);
    } else if (isResetMarker(value)) {
      this.resetTo(value.reset);
    } else {
      this.handlers.onError(new ProtocolError('not an envelope or a marker', value));
    }
  }

  /**
   * A polling answer: a JSON array of messages, `body` its bytes as received. Each item is
   * measured on them (jsonArrayItemLengths), so what a server puts around the items (padding,
   * separators) is no part of any envelope.
   */
  batch(value: unknown, body: Uint8Array): void {
    if (!Array.isArray(value)) {
      this.handlers.onError(new ProtocolError('a poll answer is not a JSON array', value));
      return;
    }
    const lengths = jsonArrayItemLengths(body);
    // Only a body JSON.parse accepted gets here, so the lengths match its items; if ever they did not, none is measured.
    const matched = lengths.length === value.length;
    for (let i = 0; i < value.length; i++) this.message(value[i], matched ? lengths[i] : undefined);
  }
}
