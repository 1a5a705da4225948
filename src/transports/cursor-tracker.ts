import type { Envelope, Gap } from '../core/envelope.js';
import type { ClientHandlers } from './transport.js';

function isGapMarker(value: object): value is { gap: Gap } {
  const gap = (value as { gap?: unknown }).gap;
  return typeof gap === 'object' && gap !== null;
}

function isEnvelope(value: object): value is Envelope {
  return typeof (value as { seq?: unknown }).seq === 'number';
}

/**
 * Hands each decoded message to the handlers and keeps the resume cursor: the highest
 * sequence number seen, or the end of a reported gap.
 */
export class CursorTracker {
  cursor: number;

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

  /** One decoded JSON message of the polling or WebSocket contract. */
  message(value: unknown): void {
    if (typeof value !== 'object' || value === null) {
      this.handlers.onError(new Error(`unexpected message: ${JSON.stringify(value)}`));
    } else if (isEnvelope(value)) {
      this.envelope(value);
    } else if (isGapMarker(value)) {
      this.gap(value.gap);
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
