import { ProtocolError } from '../../core/envelope.js';
import type { Decoding } from '../dialect.js';
import type { CursorTracker } from './cursor-tracker.js';
import { parseJsonBody } from './client-support.js';
import { multipartBoundary, multipartParts } from './multipart-mixed.js';

/** One message body as the publisher sent it (a poll answer's, an event's, a frame's): an envelope, measured at its own size. */
export function takeEnvelope(
  text: string,
  bytes: number,
  tracker: CursorTracker,
  onError: (error: Error) => void,
): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    onError(new ProtocolError('a message is not JSON', text));
    return;
  }
  tracker.envelope(value, bytes);
}

/**
 * A poll answer with messages, decoded as the dialect says: a JSON array (the wire contract), one
 * envelope, or `multipart/mixed` parts of one envelope each. A multipart dialect answered with a
 * plain body holds one message (nchan sends a lone message unwrapped).
 */
export function takePollAnswer(
  decode: Decoding,
  body: Buffer,
  contentType: string | undefined,
  tracker: CursorTracker,
  onError: (error: Error) => void,
): void {
  if (decode === 'envelope-array') {
    tracker.batch(parseJsonBody(body), body);
    return;
  }
  const text = body.toString('utf8');
  const boundary = decode === 'multipart' ? multipartBoundary(contentType) : null;
  if (boundary === null) {
    takeEnvelope(text, body.length, tracker, onError);
    return;
  }
  const parts = multipartParts(text, boundary);
  if (parts === null) {
    onError(new ProtocolError('a multipart answer does not parse', text));
    return;
  }
  for (const part of parts) takeEnvelope(part, Buffer.byteLength(part), tracker, onError);
}
