import { getTransport, TRANSPORTS } from '../../src/transports/registry.js';
import type { ClientOptions, Transport } from '../../src/transports/transport.js';

// Shared by the contract suite (test/transports/contract*.test.ts).

/** Every registered technique, plus SSE read by the eventsource package (`--sse-client eventsource`). */
export const VARIANTS: Array<readonly [string, Transport, Partial<ClientOptions>]> = [
  ...TRANSPORTS.map((transport) => [transport.name, transport, {}] as const),
  ['sse with the eventsource package', getTransport('sse'), { clientVariant: 'eventsource' }],
];
