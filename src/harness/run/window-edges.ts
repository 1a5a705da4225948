import type { ClientGroup } from '../generator/client-group.js';
import type { MessageSender } from '../publish/message-sender.js';
import type { ProcessUsage } from '../machine/process-usage.js';
import { ProxiedTarget } from '../target/proxied-target.js';
import type { Target } from '../target/target.js';
import type { WireSums } from '../../document/result.js';

/** Counters taken at each edge of the window; figures are their differences. */
export interface Edge {
  requests: number;
  emptyResponses: number;
  bytes: number;
  /** Where the clients' bytes went (their heads and envelopes): the model's inputs. */
  wire: WireSums;
  /** Server CPU from /proc (10 ms ticks, every incarnation), read at the edge itself; null: not measured. */
  serverCpuTicked: number | null;
  /** Server CPU from its own process.cpuUsage() (µs) via /stats, when it answered promptly. */
  serverCpuPrecise: number | undefined;
  /** Server restarts so far: a precise reading only compares with one from the same process. */
  restarts: number;
  /** The reverse proxy's processes (`--via`), read at the edge: CPU apart from the origin's, and memory. */
  proxy?: ProcessUsage;
  /** The connections the server held (its /stats, every technique's), when it answered promptly. */
  serverConnections?: number;
}

/** /stats answered later than this is read too far from the edge to stand for it. */
const PROMPT_STATS_MS = 100;

export async function edge(group: ClientGroup, publishing: MessageSender, server: Target): Promise<Edge> {
  const clients = await group.counters();
  const publishers = publishing.clientsShare();
  const serverCpuTicked = await server.cpuSeconds();
  const asked = performance.now();
  const stats = server.selfReported ? await server.stats(PROMPT_STATS_MS).catch(() => undefined) : undefined;
  const proxy = server instanceof ProxiedTarget ? await server.proxyUsage(true) : undefined;
  return {
    requests: clients.requests + publishers.requests,
    emptyResponses: clients.emptyResponses,
    // Clients that share an HTTP/2 connection each count a fraction of its bytes; together, whole ones.
    bytes: Math.round(clients.bytes + publishers.bytes),
    wire: {
      messageExchanges: clients.messageExchanges,
      messageHeadBytes: clients.messageHeadBytes,
      emptyExchanges: clients.emptyExchanges,
      emptyHeadBytes: clients.emptyHeadBytes,
      envelopes: clients.envelopes,
      envelopeBytes: clients.envelopeBytes,
    },
    serverCpuTicked,
    serverCpuPrecise:
      stats !== undefined && performance.now() - asked <= PROMPT_STATS_MS ? stats.cpuSeconds.total : undefined,
    restarts: server.restarts,
    ...(proxy === undefined ? {} : { proxy }),
    ...(stats === undefined ? {} : { serverConnections: Object.values(stats.connections).reduce((a, b) => a + b, 0) }),
  };
}

/** The precise reading when one process answered promptly at both edges; else the ticks, coarse but on time. */
export function serverCpuBetween(before: Edge, after: Edge): number | null {
  if (
    before.serverCpuPrecise !== undefined &&
    after.serverCpuPrecise !== undefined &&
    before.restarts === after.restarts
  ) {
    return after.serverCpuPrecise - before.serverCpuPrecise;
  }
  if (after.serverCpuTicked === null || before.serverCpuTicked === null) return null;
  return after.serverCpuTicked - before.serverCpuTicked;
}
