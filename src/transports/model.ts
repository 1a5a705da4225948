import type { TransportResult } from '../document/result.js';
import type { Scenario } from '../document/scenario.js';

/*
 * What simple arithmetic predicts for each technique, to set beside what was measured. Each
 * technique's own model is in its folder (model.ts); this module holds what they share.
 * Notation: C clients, W the window (s), I the poll interval (s), T the long-poll timeout (s),
 * λ the publish rate one client's channel sees (messages/s = rate / channels), E the bytes of
 * one envelope, H the bytes of one HTTP exchange without its body.
 *
 * Bytes per delivered message
 *   - HTTP techniques: (requests per message) × H + E (+1 for the array's separator).
 *   - Streams: E + the technique's framing around each message.
 * H and E are counted from the exact bytes the reference server and im-bench's clients send
 * (request line and headers, status line and headers, the envelope's JSON around the payload).
 */

/** Request (`GET /poll?ch=default&since=12345 HTTP/1.1`, host, connection) plus a 200's status line and headers. */
export const HTTP_EXCHANGE_BYTES = 275;
/** `{"seq":12345,"t":"1234567890123456","ch":"default","from":null,"data":""}` around the payload. */
export const ENVELOPE_OVERHEAD_BYTES = 70;
/** Past this deviation from its model a figure is flagged: the model or the run is telling something. */
export const MODEL_TOLERANCE = 0.25;

export interface ModelCheck {
  figure: string;
  unit: string;
  /** The formula, in the notation above, for a report's reader. */
  formula: string;
  predicted: number;
  measured: number;
  /** measured / predicted − 1 (0 when both are 0). */
  deviation: number;
  flagged: boolean;
}

/** A technique's checks; null where the run could not inform one (its figure was not measured). */
export type ModelChecks = Array<ModelCheck | null>;

export function check(
  figure: string,
  unit: string,
  formula: string,
  predicted: number | null,
  measured: number | null,
  minimum = 0,
): ModelCheck | null {
  if (predicted === null || measured === null) return null;
  const deviation = predicted === 0 ? (measured === 0 ? 0 : Number.POSITIVE_INFINITY) : measured / predicted - 1;
  // A prediction too small to judge (a handful of timeouts, say) is shown but never flagged.
  const flagged = predicted >= minimum && Math.abs(deviation) > MODEL_TOLERANCE;
  return { figure, unit, formula, predicted, measured, deviation, flagged };
}

export function envelopeBytes(payloadBytes: number): number {
  return payloadBytes + ENVELOPE_OVERHEAD_BYTES;
}

/**
 * A stream's one check: bytes per message = E + the framing the technique puts around each
 * envelope (`framing` of the envelope's size); the stream's own headers are paid once, not per message.
 */
export function streamBytesModel(
  result: TransportResult,
  scenario: Scenario,
  formula: string,
  framing: (envelope: number) => number,
): ModelChecks {
  const envelope = envelopeBytes(scenario.payloadBytes);
  return [check('bytes / msg', 'B', formula, envelope + framing(envelope), result.bytes.perMessage)];
}

/** requests/msg × H + `body` bytes: the bytes per message of an HTTP technique; null when requests/msg was not measured. */
export function httpBytesPerMessage(requestsPerMessage: number | null, body: number): number | null {
  return requestsPerMessage === null ? null : requestsPerMessage * HTTP_EXCHANGE_BYTES + body;
}

/** The chance that a client's channel sees no message for `seconds`. */
export function chanceOfSilence(scenario: Scenario, seconds: number): number {
  const perChannel = scenario.rate / scenario.channels;
  if (scenario.pattern === 'poisson') return Math.exp(-perChannel * seconds);
  const events = scenario.pattern === 'burst' ? perChannel / scenario.burstSize : perChannel;
  return Math.max(0, 1 - events * seconds);
}
