import type { TransportResult } from '../../document/result.js';
import { type ModelChecks, streamBytesModel } from '../model.js';

/** A server frame's header: 2 bytes up to 125 payload bytes, 4 up to 65,535, else 10 (RFC 6455 §5.2; unmasked). */
export function webSocketFrameHeaderBytes(payloadBytes: number): number {
  if (payloadBytes <= 125) return 2;
  return payloadBytes <= 65_535 ? 4 : 10;
}

/** WebSocket (notation in ../model.ts): bytes per message = E + the frame header. */
export function webSocketModel(result: TransportResult): ModelChecks {
  return streamBytesModel(result, 'E + frame header', webSocketFrameHeaderBytes);
}
