import { encodeHistogram, type Histogram, summarize } from '../../core/histogram.js';
import { perCount, ratioOf, wireBytes } from '../../document/figures.js';
import type { FaultResult, GeneratorHealth, PublishWait, TransportResult, WireSums } from '../../document/result.js';
import type { Scenario, TransportName } from '../../document/scenario.js';
import type { GroupSummary } from '../generator/client-group.js';
import type { PoolCounters, PoolStatus } from '../generator/client-pool.js';
import type { Struck } from './faults.js';
import { ownsMessage, type Shard } from './shard.js';
import { type Edge, serverCpuBetween } from './window-edges.js';

/** Everything one technique's measurement recorded, as plain data: what its result is made of. */
export interface TransportCounters {
  transport: TransportName;
  /** The profile's name, when the server is not the reference server (which alone keeps a journal). */
  profile?: string;
  scenario: Scenario;
  shard?: Shard;
  /** The run was stopped inside the window, which then ended early. */
  partial: boolean;
  /** This run's (or shard's) clients. */
  clients: number;
  window: { startNs: number; endNs: number };
  /** When each message was due, ms from the start of the warm-up. */
  schedule: Float64Array;
  published: { sent: number; failed: number };
  /** Microseconds from each publish's due time to its send, for publishes due inside the window. */
  lateness: Histogram;
  publishWait: PublishWait;
  /** Counters at the window's edges. */
  before: Edge;
  after: Edge;
  /** After the drain: the clients' totals, their status, and what they received against the logs. */
  final: PoolCounters;
  status: PoolStatus;
  summary: GroupSummary;
  /** The server's own counts at the end (`/stats`) for this technique; null where it keeps none, or was not measured. */
  server: {
    requests: number | null;
    shed: number | null;
    idleRssBytes: number | null;
    connectedRssBytes: number | null;
    peakRssBytes: number | null;
  };
  generator: GeneratorHealth;
  struck?: Struck;
  /** Over TLS: the bytes of one handshake, measured on a connection of its own. */
  handshakeBytes?: number;
  /** Clients shared HTTP/2 connections (`--h2-multiplex`): the bytes are reported per connection too. */
  sharedConnections?: boolean;
}

/** One technique's result from what its measurement recorded. Pure: the same counters give the same result. */
export function assembleTransportResult(counters: TransportCounters): TransportResult {
  const { status, summary, window } = counters;
  const windowSeconds = (window.endNs - window.startNs) / 1e9;
  const delivered = status.receivedInWindow;
  return {
    transport: counters.transport,
    partial: counters.partial,
    clients: { requested: counters.clients, connected: status.connected, failed: status.failed },
    windowSeconds,
    published: {
      total: counters.published.sent,
      inWindow: publishedInWindow(counters),
      failed: counters.published.failed,
    },
    delivery: { ...summary.delivery, deliveredInWindow: delivered, throughputPerSecond: delivered / windowSeconds },
    latency: summarize(summary.latency),
    latencyHistogram: encodeHistogram(summary.latency),
    publisher: {
      wait: counters.publishWait,
      lateness: summarize(counters.lateness),
      latenessHistogram: encodeHistogram(counters.lateness),
    },
    requests: requestFigures(counters),
    bytes: byteFigures(counters),
    server: serverFigures(counters),
    ...proxyFigures(counters),
    connect: {
      ...summarize(summary.connectTime),
      ...(counters.handshakeBytes === undefined ? {} : { handshakeBytes: counters.handshakeBytes }),
    },
    connectHistogram: encodeHistogram(summary.connectTime),
    generator: generatorFigures(counters.generator),
    errorSamples: summary.errorSamples,
    ...(counters.struck === undefined ? {} : { fault: faultResult(counters, counters.struck) }),
  };
}

/** This run's (shard's) messages scheduled inside the window, as it actually lasted. */
function publishedInWindow({ schedule, scenario, shard, window }: TransportCounters): number {
  const windowEndMs = scenario.warmupMs + (window.endNs - window.startNs) / 1e6;
  return schedule.filter(
    (offset, index) => ownsMessage(index, shard) && offset >= scenario.warmupMs && offset < windowEndMs,
  ).length;
}

function requestFigures({ before, after, final, status, server }: TransportCounters): TransportResult['requests'] {
  const inWindow = after.requests - before.requests;
  return {
    inWindow,
    total: final.requests,
    empty: after.emptyResponses - before.emptyResponses,
    perMessage: perCount(inWindow, status.receivedInWindow),
    reconnects: final.reconnects,
    errors: status.errors,
    // After a restart the live server counts only its own requests.
    serverCounted: server.requests,
  };
}

function byteFigures(counters: TransportCounters): TransportResult['bytes'] {
  const { before, after, status, scenario } = counters;
  const inWindow = after.bytes - before.bytes;
  const perDelivered = perCount(inWindow, status.receivedInWindow);
  const connections = after.serverConnections;
  return {
    inWindow,
    perMessage: perDelivered,
    payloadPerMessage: scenario.payloadBytes,
    overheadRatio: ratioOf(perDelivered, scenario.payloadBytes),
    wire: wireBytes(differenceOf(before.wire, after.wire), inWindow),
    ...(counters.sharedConnections === true && connections !== undefined
      ? { connections, perConnection: perCount(inWindow, connections) }
      : {}),
  };
}

function differenceOf(before: WireSums, after: WireSums): WireSums {
  const difference = { ...after };
  for (const key of Object.keys(after) as Array<keyof WireSums>) difference[key] -= before[key];
  return difference;
}

/** The reverse proxy's figures (`--via`): its CPU over the window per message delivered, its memory at the window's end. */
function proxyFigures({ before, after, status }: TransportCounters): Pick<TransportResult, 'proxy'> {
  if (before.proxy === undefined || after.proxy === undefined) return {};
  const cpuSeconds = after.proxy.cpuSeconds - before.proxy.cpuSeconds;
  return {
    proxy: {
      cpuSeconds,
      cpuMicrosPerMessage: perCount(cpuSeconds * 1e6, status.receivedInWindow),
      rssBytes: after.proxy.rssBytes,
    },
  };
}

function serverFigures({ before, after, status, server }: TransportCounters): TransportResult['server'] {
  const cpuSeconds = serverCpuBetween(before, after);
  const { idleRssBytes, connectedRssBytes } = server;
  return {
    cpuSeconds,
    cpuMicrosPerMessage: cpuSeconds === null ? null : perCount(cpuSeconds * 1e6, status.receivedInWindow),
    idleRssBytes,
    connectedRssBytes,
    peakRssBytes: server.peakRssBytes,
    rssPerConnectionBytes:
      idleRssBytes === null || connectedRssBytes === null
        ? null
        : perCount(connectedRssBytes - idleRssBytes, status.connected),
  };
}

/** The health figures alone: a worker's report may carry more than the document keeps. */
function generatorFigures(health: GeneratorHealth): GeneratorHealth {
  const { eventLoopDelayP99Ms, eventLoopDelayMaxMs, stalledShare, cpuUtilization, spinUtilization, bound } = health;
  return {
    eventLoopDelayP99Ms,
    eventLoopDelayMaxMs,
    stalledShare,
    cpuUtilization,
    ...(spinUtilization === undefined ? {} : { spinUtilization }),
    bound,
  };
}

function faultResult(counters: TransportCounters, struck: Struck): FaultResult {
  const { scenario, summary, window, server } = counters;
  const kind = scenario.fault as FaultResult['kind'];
  return {
    kind,
    atSeconds: (struck.atNs - window.startNs) / 1e9,
    affectedClients: struck.affected,
    recoveredClients: kind === 'slow' ? 0 : summary.recovered,
    recovery: summarize(summary.recovery),
    recoveryHistogram: encodeHistogram(summary.recovery),
    journal: kind === 'restart' && counters.profile === undefined ? scenario.journal : null,
    epochs: kind === 'restart' ? summary.epochs.length : null,
    shed: server.shed,
  };
}
