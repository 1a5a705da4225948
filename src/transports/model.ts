import type { TransportResult } from '../document/result.js';
import type { Scenario } from '../document/scenario.js';

/*
 * What simple arithmetic predicts for each technique, to set beside what was measured. Each
 * technique's own model is in its folder (model.ts); this module holds what they share.
 * Notation: C clients, W the window (s), I the poll interval (s), T the long-poll timeout (s),
 * λ the publish rate one client's channel sees (messages/s = rate / channels), E the bytes of
 * one envelope, H the bytes of one HTTP exchange without its body: H200 for an answer with
 * envelopes, H204 for an empty one.
 *
 * Bytes per delivered message
 *   - HTTP techniques: (requests/msg) × H + E + the answer array's brackets and commas.
 *   - Streams: E + the technique's framing around each message.
 * H and E are never constants: they are measured in the run itself (`bytes.wire`), from what the
 * clients wrote and read, heads counted apart from bodies and envelopes at their exact size. So
 * another server's headers (`run --target`) are its own H, and bytes that belong to no head and
 * no envelope (padding, say) are left over for the check to find. A document written before they
 * were measured has no H or E: its bytes check shows the prediction as not measured.
 */

/** Past this deviation from its model a figure is flagged: the model or the run is telling something. */
export const MODEL_TOLERANCE = 0.25;
/**
 * The HTTP techniques' bytes per message is less a prediction than an account: H, E and the
 * exchange counts are measured in the same window as the bytes. In a sound run what is left over
 * is a few bytes of brackets the formula already counts and an exchange cut off at the window's
 * edges, well under 1 %. Past 5 % the run has bytes that belong to no exchange's head and no
 * envelope (a server padding its answers, polls that failed, markers): tens of bytes an exchange.
 */
export const ACCOUNTING_TOLERANCE = 0.05;

export interface ModelCheck {
  figure: string;
  unit: string;
  /** The formula, in the notation above, for a report's reader. */
  formula: string;
  /** null when the model's inputs were not measured (a document written before they were). */
  predicted: number | null;
  measured: number;
  /** measured / predicted − 1 (0 when both are 0); null with no prediction. */
  deviation: number | null;
  /** The deviation past which this figure is flagged. */
  tolerance: number;
  flagged: boolean;
}

/** A technique's checks; null where the run could not inform one (its figure was not measured). */
export type ModelChecks = Array<ModelCheck | null>;

/** What a technique's model takes from the run's bytes (`bytes.wire`), for reports to print beside the checks. */
export type ModelInput = 'h200' | 'h204' | 'e';

export interface CheckOptions {
  /** A prediction below this is too small to judge: shown, never flagged (a handful of timeouts, say). */
  minimum?: number;
  tolerance?: number;
}

export function check(
  figure: string,
  unit: string,
  formula: string,
  predicted: number | null,
  measured: number | null,
  { minimum = 0, tolerance = MODEL_TOLERANCE }: CheckOptions = {},
): ModelCheck | null {
  if (measured === null) return null;
  if (predicted === null)
    return { figure, unit, formula, predicted, measured, deviation: null, tolerance, flagged: false };
  const deviation = predicted === 0 ? (measured === 0 ? 0 : Number.POSITIVE_INFINITY) : measured / predicted - 1;
  const flagged = predicted >= minimum && Math.abs(deviation) > tolerance;
  return { figure, unit, formula, predicted, measured, deviation, tolerance, flagged };
}

/** The bytes of HTTP/1.1 chunk framing around `size` bytes sent as one chunk: its hex size line and two CRLFs. */
export function chunkFramingBytes(size: number): number {
  return size.toString(16).length + 4;
}

/*
 * The byte predictions count exchanges and envelopes as the clients counted them in the window
 * (one envelope per delivered message in a sound run), not by the delivered messages: a delivery
 * counted on one side of the window's edge and its bytes on the other (worker processes answer
 * the edge's reading a little late) must not pass for padding.
 */

/**
 * A stream's one check: bytes per message = E + the framing the technique puts around each
 * envelope (`framing` of the envelope's size); the stream's own headers are paid once, not per message.
 */
export function streamBytesModel(
  result: TransportResult,
  formula: string,
  framing: (envelope: number) => number,
): ModelChecks {
  const wire = result.bytes.wire;
  const messages = result.delivery.deliveredInWindow;
  const predicted =
    wire === undefined || wire.e === null || messages === 0
      ? null
      : (wire.envelopes * (wire.e + framing(wire.e))) / messages;
  return [check('bytes / msg', 'B', formula, predicted, result.bytes.perMessage)];
}

/**
 * An HTTP technique's bytes per delivered message from the run's own H and E: the head of every
 * exchange (H200 answered with envelopes, H204 empty), E for each envelope, and the JSON array's
 * brackets and commas (one byte per envelope and one more per answer). null without a measured E.
 */
function httpBytesPerMessage(result: TransportResult): number | null {
  const wire = result.bytes.wire;
  const messages = result.delivery.deliveredInWindow;
  if (wire === undefined || wire.e === null || messages === 0) return null;
  const heads = wire.messageExchanges * (wire.h200 ?? 0) + wire.emptyExchanges * (wire.h204 ?? 0);
  const separators = wire.envelopes + wire.messageExchanges;
  return (heads + wire.envelopes * wire.e + separators) / messages;
}

/** The check of an HTTP technique's bytes per message: an account of every byte, held to ACCOUNTING_TOLERANCE. */
export function httpBytesCheck(result: TransportResult): ModelCheck | null {
  return check(
    'bytes / msg',
    'B',
    'requests/msg × H + E + separators',
    httpBytesPerMessage(result),
    result.bytes.perMessage,
    { tolerance: ACCOUNTING_TOLERANCE },
  );
}

/** The chance that a client's channel sees no message for `seconds`. */
export function chanceOfSilence(scenario: Scenario, seconds: number): number {
  const perChannel = scenario.rate / scenario.channels;
  if (scenario.pattern === 'poisson') return Math.exp(-perChannel * seconds);
  const events = scenario.pattern === 'burst' ? perChannel / scenario.burstSize : perChannel;
  return Math.max(0, 1 - events * seconds);
}
