import type { Envelope, Gap } from '../../core/envelope.js';
import type { ClientHandlers } from '../transport.js';

function isGapMarker(value: object): value is { gap: Gap } {
  const gap = (value as { gap?: unknown }).gap;
  return typeof gap === 'object' && gap !== null;
}

function isResetMarker(value: object): value is { reset: { epoch: string } } {
  const reset = (value as { reset?: { epoch?: unknown } }).reset;
  return typeof reset === 'object' && reset !== null && typeof reset.epoch === 'string';
}

function isEnvelope(value: object): value is Envelope {
  return typeof (value as { seq?: unknown }).seq === 'number';
}

/**
 * Hands each decoded message to the handlers and keeps the resume token: the highest sequence
 * number seen (or the end of a reported gap), and the epoch of the log it belongs to.
 */
export class CursorTracker {
  cursor: number;
  /** The log the cursor belongs to, once a response has named it. */
  epoch: string | undefined;

  constructor(
    since: number,
    private readonly handlers: ClientHandlers,
  ) {
    this.cursor = since;
  }

  envelope(envelope: Envelope): void {
    if (envelope.seq > this.cursor) this.cursor = envelope.seq;
    this.handlers.onEnvelope(envelope);
  }

  gap(gap: Gap): void {
    if (gap.to > this.cursor) this.cursor = gap.to;
    this.handlers.onGap(gap);
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
  message(value: unknown): void {
    if (typeof value !== 'object' || value === null) {
      this.handlers.onError(new Error(`unexpected message: ${JSON.stringify(value)}`));
    } else if (isEnvelope(value)) {
      this.envelope(value);
    } else if (isGapMarker(value)) {
      this.gap(value.gap);
    } else if (isResetMarker(value)) {
      this.reset(value.reset.epoch);
    } else {
      this.handlers.onError(new Error(`unexpected message: ${JSON.stringify(value).slice(0, 200)}`));
    }
  }

  /** A polling answer: a JSON array of messages. */
  batch(value: unknown): void {
    if (!Array.isArray(value)) {
      this.handlers.onError(new Error('poll answer is not a JSON array'));
      return;
    }
    for (const item of value) this.message(item);
  }
}
