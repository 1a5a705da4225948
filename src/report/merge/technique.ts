import { ERROR_SAMPLES_KEPT } from '../../core/constants.js';
import { ImBenchError } from '../../core/errors.js';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  mergeInto,
  summarize,
  type Histogram,
} from '../../core/histogram.js';
import { perCount, ratioOf, wireBytes } from '../../document/figures.js';
import { combineHealth } from '../../harness/generator/generator-health.js';
import type { FaultResult, PublisherTiming, TransportResult, WireBytes, WireSums } from '../../document/result.js';

/** One shard's result for one technique and repetition, and where it sits in its document. */
export interface ShardPart {
  /** The document's name (its file), for errors. */
  name: string;
  /** `transports[1]` or `transports[1].repetitions[2]`. */
  where: string;
  result: TransportResult;
}

const sum = (parts: readonly ShardPart[], pick: (result: TransportResult) => number): number =>
  parts.reduce((total, part) => total + pick(part.result), 0);
const max = (parts: readonly ShardPart[], pick: (result: TransportResult) => number): number =>
  Math.max(...parts.map((part) => pick(part.result)));
const min = (parts: readonly ShardPart[], pick: (result: TransportResult) => number): number =>
  Math.min(...parts.map((part) => pick(part.result)));

function decodeNamed(part: ShardPart, field: string, encoded: string): Histogram {
  try {
    return decodeHistogram(encoded);
  } catch (error) {
    throw new ImBenchError(
      'IMB_ERR_INVALID_RESULT',
      `${part.name}: ${part.where}.${field}: not an HDR histogram (${(error as Error).message})`,
    );
  }
}

/** Bucket by bucket, so the merged percentiles are those of one histogram that recorded every value. */
function mergeHistograms(parts: readonly ShardPart[], field: string, pick: (part: ShardPart) => string): Histogram {
  const merged = createHistogram();
  for (const part of parts) mergeInto(merged, decodeNamed(part, field, pick(part)));
  return merged;
}

function mergeFaults(parts: readonly ShardPart[]): FaultResult | undefined {
  const struck = parts.filter((part) => part.result.fault !== undefined);
  if (struck.length === 0) return undefined;
  const first = struck[0]!.result.fault!;
  const fault = (t: TransportResult): FaultResult => t.fault!;
  const recovery = mergeHistograms(struck, 'fault.recoveryHistogram', (part) => part.result.fault!.recoveryHistogram);
  return {
    kind: first.kind,
    atSeconds: max(struck, (t) => fault(t).atSeconds),
    affectedClients: sum(struck, (t) => fault(t).affectedClients),
    recoveredClients: sum(struck, (t) => fault(t).recoveredClients),
    recovery: summarize(recovery),
    recoveryHistogram: encodeHistogram(recovery),
    journal: first.journal,
    epochs: first.epochs === null ? null : max(struck, (t) => fault(t).epochs ?? 0),
    shed: max(struck, (t) => fault(t).shed!),
  };
}

function unionOfErrorSamples(parts: readonly ShardPart[]): string[] {
  return [...new Set(parts.flatMap((part) => part.result.errorSamples))].slice(0, ERROR_SAMPLES_KEPT);
}

/**
 * One technique's (or one repetition's) result for all the clients, from every shard's result
 * for its slice of them. The rules are those of `mergeShards` (merge.ts).
 */
export function mergeTechnique(parts: readonly ShardPart[]): TransportResult {
  const first = parts[0]!.result;
  const deliveredInWindow = sum(parts, (t) => t.delivery.deliveredInWindow);
  const connected = sum(parts, (t) => t.clients.connected);
  const requestsInWindow = sum(parts, (t) => t.requests.inWindow);
  // A shard's figures are all numbers (checkShards refuses a null): shards drive the reference server only.
  const serverCpuSeconds = max(parts, (t) => t.server.cpuSeconds!);
  const idleRssBytes = min(parts, (t) => t.server.idleRssBytes!);
  const connectedRssBytes = max(parts, (t) => t.server.connectedRssBytes!);
  const latency = mergeHistograms(parts, 'latencyHistogram', (part) => part.result.latencyHistogram);
  const connect = mergeHistograms(parts, 'connectHistogram', (part) => part.result.connectHistogram);
  const fault = mergeFaults(parts);
  const publisher = mergePublishers(parts);
  return {
    transport: first.transport,
    partial: parts.some((part) => part.result.partial),
    clients: {
      requested: sum(parts, (t) => t.clients.requested),
      connected,
      failed: sum(parts, (t) => t.clients.failed),
    },
    windowSeconds: max(parts, (t) => t.windowSeconds),
    published: {
      total: sum(parts, (t) => t.published.total),
      inWindow: sum(parts, (t) => t.published.inWindow),
      failed: sum(parts, (t) => t.published.failed),
    },
    delivery: {
      expected: sum(parts, (t) => t.delivery.expected),
      delivered: sum(parts, (t) => t.delivery.delivered),
      deliveredInWindow,
      lost: sum(parts, (t) => t.delivery.lost),
      duplicated: sum(parts, (t) => t.delivery.duplicated),
      outOfOrder: sum(parts, (t) => t.delivery.outOfOrder),
      gapReported: sum(parts, (t) => t.delivery.gapReported),
      protocolErrors: sum(parts, (t) => t.delivery.protocolErrors),
      throughputPerSecond: sum(parts, (t) => t.delivery.throughputPerSecond),
    },
    latency: summarize(latency),
    latencyHistogram: encodeHistogram(latency),
    requests: {
      inWindow: requestsInWindow,
      total: sum(parts, (t) => t.requests.total),
      empty: sum(parts, (t) => t.requests.empty),
      perMessage: perCount(requestsInWindow, deliveredInWindow),
      reconnects: sum(parts, (t) => t.requests.reconnects),
      errors: sum(parts, (t) => t.requests.errors),
      serverCounted: max(parts, (t) => t.requests.serverCounted!),
    },
    bytes: mergeBytes(parts, deliveredInWindow),
    server: {
      cpuSeconds: serverCpuSeconds,
      cpuMicrosPerMessage: perCount(serverCpuSeconds * 1e6, deliveredInWindow),
      idleRssBytes,
      connectedRssBytes,
      peakRssBytes: max(parts, (t) => t.server.peakRssBytes!),
      rssPerConnectionBytes: perCount(connectedRssBytes - idleRssBytes, connected),
    },
    connect: summarize(connect),
    connectHistogram: encodeHistogram(connect),
    generator: combineHealth(parts.map((part) => part.result.generator)),
    errorSamples: unionOfErrorSamples(parts),
    ...(publisher === undefined ? {} : { publisher }),
    ...(fault === undefined ? {} : { fault }),
  };
}

function mergeBytes(parts: readonly ShardPart[], deliveredInWindow: number): TransportResult['bytes'] {
  const inWindow = sum(parts, (t) => t.bytes.inWindow);
  const perMessage = perCount(inWindow, deliveredInWindow);
  const payloadPerMessage = parts[0]!.result.bytes.payloadPerMessage;
  const wire = mergeWire(parts, inWindow);
  return {
    inWindow,
    perMessage,
    payloadPerMessage,
    overheadRatio: ratioOf(perMessage, payloadPerMessage),
    ...(wire === undefined ? {} : { wire }),
  };
}

/** The shards' wire counts added up, and H and E from the sums; absent when a shard did not measure them. */
function mergeWire(parts: readonly ShardPart[], inWindow: number): WireBytes | undefined {
  if (parts.some((part) => part.result.bytes.wire === undefined)) return undefined;
  const total = (pick: (wire: WireBytes) => number): number => sum(parts, (t) => pick(t.bytes.wire!));
  const sums: WireSums = {
    messageExchanges: total((wire) => wire.messageExchanges),
    messageHeadBytes: total((wire) => wire.messageHeadBytes),
    emptyExchanges: total((wire) => wire.emptyExchanges),
    emptyHeadBytes: total((wire) => wire.emptyHeadBytes),
    envelopes: total((wire) => wire.envelopes),
    envelopeBytes: total((wire) => wire.envelopeBytes),
  };
  return wireBytes(sums, inWindow);
}

/** Each shard publishes its share: their lateness histograms together; absent when a shard did not record one. */
function mergePublishers(parts: readonly ShardPart[]): PublisherTiming | undefined {
  if (parts.some((part) => part.result.publisher === undefined)) return undefined;
  const lateness = mergeHistograms(
    parts,
    'publisher.latenessHistogram',
    (part) => part.result.publisher!.latenessHistogram,
  );
  const waits = new Set(parts.map((part) => part.result.publisher!.wait));
  const [wait] = waits;
  return {
    // Shards that waited differently have no one way to name.
    ...(waits.size === 1 && wait !== undefined ? { wait } : {}),
    lateness: summarize(lateness),
    latenessHistogram: encodeHistogram(lateness),
  };
}
