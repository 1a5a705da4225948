import type { Gap } from '../../core/envelope.js';
import type { BrokerEntry } from '../../broker/broker.js';

/** The text/event-stream frames of the wire contract. Envelope JSON never holds a newline. */
export function messageFrame(entry: BrokerEntry): Buffer {
  return Buffer.concat([Buffer.from(`id: ${entry.seq}\ndata: `), entry.bytes, DOUBLE_NEWLINE]);
}

export function gapFrame(gap: Gap): Buffer {
  return Buffer.from(`event: gap\ndata: ${JSON.stringify(gap)}\n\n`);
}

/** `id: 0` restarts the client's Last-Event-ID in the new log, for clients that cannot forget it themselves. */
export function resetFrame(epoch: string): Buffer {
  return Buffer.from(`id: 0\nevent: reset\ndata: ${JSON.stringify({ epoch })}\n\n`);
}

export function retryFrame(ms: number): string {
  return `retry: ${ms}\n\n`;
}

const DOUBLE_NEWLINE = Buffer.from('\n\n');
export const HEARTBEAT_FRAME = Buffer.from(': heartbeat\n\n');
