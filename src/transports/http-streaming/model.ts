import type { TransportResult } from '../../document/result.js';
import { chunkFramingBytes, type ModelChecks, streamBytesModel } from '../model.js';

/**
 * HTTP streaming (notation in ../model.ts): bytes per message = E + its line's `\n` + the chunk's
 * size line and CRLFs (one chunk per line).
 */
export function httpStreamingModel(result: TransportResult): ModelChecks {
  return streamBytesModel(result, 'E + line and chunk framing', (envelope) => 1 + chunkFramingBytes(envelope + 1));
}
