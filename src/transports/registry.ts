import { longPolling } from './long-polling/index.js';
import { shortPolling } from './short-polling/index.js';
import { sse } from './sse/index.js';
import type { Transport, TransportName } from './transport.js';
import { webSocket } from './websocket/index.js';

/** Every technique im-bench knows, in the order reports show them. Add a fifth here. */
export const TRANSPORTS: readonly Transport[] = [shortPolling, longPolling, sse, webSocket];

export function getTransport(name: TransportName): Transport {
  const transport = TRANSPORTS.find((candidate) => candidate.name === name);
  if (transport === undefined) throw new Error(`unregistered transport ${name}`);
  return transport;
}
