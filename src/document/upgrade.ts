import { type LatencySummary, NO_SAMPLES } from '../core/histogram.js';
import { RESULT_SCHEMA, RESULT_SCHEMA_V1, type RunResult, type TransportResult } from './result.js';

/*
 * `im-bench/result@1` wrote 0 for figures it had not measured: the latencies of a technique
 * that received nothing, the per-message figures when no copy was delivered, the memory per
 * connection when none connected. @2 writes null there. A loaded @1 document is read as @2:
 * those zeros become null (a 0 with nothing under it was never a measurement), and the
 * counters @2 added start at 0.
 */

function latencyOf(summary: LatencySummary): LatencySummary {
  return summary.count > 0 ? summary : { ...NO_SAMPLES };
}

function upgradeTransport(t: TransportResult): TransportResult {
  const delivered = t.delivery.deliveredInWindow > 0;
  const upgraded: TransportResult = {
    ...t,
    delivery: { ...t.delivery, protocolErrors: t.delivery.protocolErrors ?? 0 },
    latency: latencyOf(t.latency),
    connect: latencyOf(t.connect),
    requests: { ...t.requests, perMessage: delivered ? t.requests.perMessage : null },
    bytes: {
      ...t.bytes,
      perMessage: delivered ? t.bytes.perMessage : null,
      overheadRatio: delivered && t.bytes.payloadPerMessage > 0 ? t.bytes.overheadRatio : null,
    },
    server: {
      ...t.server,
      cpuMicrosPerMessage: delivered ? t.server.cpuMicrosPerMessage : null,
      rssPerConnectionBytes: t.clients.connected > 0 ? t.server.rssPerConnectionBytes : null,
    },
  };
  if (t.fault !== undefined) upgraded.fault = { ...t.fault, recovery: latencyOf(t.fault.recovery) };
  if (t.repetitions !== undefined) upgraded.repetitions = t.repetitions.map(upgradeTransport);
  return upgraded;
}

/**
 * A checked older result read as the current one: @1 as above; @2 as it is (@3 only lets a
 * server's figures be null, which an @2 document never holds, and adds `profile`).
 */
export function upgradeResult(result: RunResult): RunResult {
  if (result.schema === RESULT_SCHEMA) return result;
  const transports = result.schema === RESULT_SCHEMA_V1 ? result.transports.map(upgradeTransport) : result.transports;
  return { ...result, schema: RESULT_SCHEMA, transports };
}
