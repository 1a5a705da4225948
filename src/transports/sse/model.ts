import type { TransportResult } from '../../document/result.js';
import type { Scenario } from '../../document/scenario.js';
import { type ModelChecks, streamBytesModel } from '../model.js';

/** `id: 12345\ndata: ` + `\n\n` + the chunk's `xx\r\n` and `\r\n`. */
export const SSE_FRAME_BYTES = 27;

/** SSE (notation in ../model.ts): bytes per message = E + the frame's `id:`, `data:` and blank line + the chunk's size line and CRLFs. */
export function sseModel(result: TransportResult, scenario: Scenario): ModelChecks {
  return streamBytesModel(result, scenario, 'E + SSE framing', () => SSE_FRAME_BYTES);
}
