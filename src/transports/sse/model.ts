import type { TransportResult } from '../../document/result.js';
import type { Scenario } from '../../document/scenario.js';
import { chunkFramingBytes, type ModelChecks, streamBytesModel } from '../model.js';

/** `id: ` and `\n`, `data: ` and the blank line's `\n\n` around an envelope: the event's own text. */
const SSE_EVENT_TEXT_BYTES = 13;

/**
 * The digits of the event ids: those of the last seq on a channel, taken as the messages
 * published per channel (a log that starts with the run). A target with a longer history has
 * longer ids, a byte or two an event.
 */
function idDigits(result: TransportResult, scenario: Scenario): number {
  return String(Math.max(1, Math.round(result.published.total / scenario.channels))).length;
}

/**
 * SSE (notation in ../model.ts): bytes per message = E + the event's `id:` line, `data: ` and
 * blank line + the chunk's size line and CRLFs (one chunk per event).
 */
export function sseModel(result: TransportResult, scenario: Scenario): ModelChecks {
  const eventText = SSE_EVENT_TEXT_BYTES + idDigits(result, scenario);
  return streamBytesModel(result, 'E + SSE framing', (envelope) => {
    const event = envelope + eventText;
    return eventText + chunkFramingBytes(event);
  });
}
