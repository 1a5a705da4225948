import { longPolling } from './long-polling/index.js';
import { shortPolling } from './short-polling/index.js';
import { sse } from './sse/index.js';
import type { Transport } from './transport.js';
import { webSocket } from './websocket/index.js';
import type { TransportName } from '../document/scenario.js';
import { httpStreaming } from './http-streaming/index.js';

/** Every technique im-bench knows, in the order reports show them: the one list. Add a fifth here. */
export const TRANSPORTS: readonly Transport[] = [shortPolling, longPolling, sse, webSocket, httpStreaming];

/** Their names, in the same order: what option parsing and document loading check names against. */
export const TRANSPORT_NAMES: readonly TransportName[] = TRANSPORTS.map((transport) => transport.name);

/** The techniques `im-bench capacity` can drive to a request ceiling: those that answer requests (polling). */
export const POLLING_TRANSPORTS: readonly TransportName[] = TRANSPORTS.filter((t) => t.capacityProbe !== undefined).map(
  (t) => t.name,
);

/** Each technique's aliases, to its name: what a "did you mean" finds where no edit distance would (`ws`). */
export const TRANSPORT_ALIASES: ReadonlyMap<string, TransportName> = new Map(
  TRANSPORTS.flatMap((transport) => (transport.aliases ?? []).map((alias) => [alias, transport.name] as const)),
);

export function findTransport(name: TransportName): Transport | undefined {
  return TRANSPORTS.find((candidate) => candidate.name === name);
}

export function getTransport(name: TransportName): Transport {
  const transport = findTransport(name);
  if (transport === undefined) throw new Error(`unregistered transport ${name}`);
  return transport;
}
