import type { Gap } from '../../core/envelope.js';
import type { BrokerEntry } from '../../server/broker.js';

/** The text/event-stream frames of the wire contract. Envelope JSON never holds a newline. */
export function messageFrame(entry: BrokerEntry): string {
  return `id: ${entry.seq}\ndata: ${entry.json}\n\n`;
}

export function gapFrame(gap: Gap): string {
  return `event: gap\ndata: ${JSON.stringify(gap)}\n\n`;
}

export function retryFrame(ms: number): string {
  return `retry: ${ms}\n\n`;
}

export const HEARTBEAT_FRAME = ': heartbeat\n\n';
