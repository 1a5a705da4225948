import type { TransportResult } from '../../document/result.js';
import type { Scenario } from '../../document/scenario.js';
import { type ModelChecks, streamBytesModel } from '../model.js';

/** The line's `\n` + the chunk's `xx\r\n` and `\r\n` (a two-digit hex size: envelopes of 16 to 255 bytes). */
export const NDJSON_FRAME_BYTES = 7;

/** HTTP streaming (notation in ../model.ts): bytes per message = E + its newline + the chunk's size line and CRLFs. */
export function httpStreamingModel(result: TransportResult, scenario: Scenario): ModelChecks {
  return streamBytesModel(result, scenario, 'E + line and chunk framing', () => NDJSON_FRAME_BYTES);
}
