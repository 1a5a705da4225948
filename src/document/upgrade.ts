import { type LatencySummary, NO_SAMPLES } from '../core/histogram.js';
import { RESULT_SCHEMA, type RunResult, type TransportResult } from './result.js';

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

/** A checked @1 result read as @2; an @2 result as it is. */
export function upgradeResult(result: RunResult): RunResult {
  if (result.schema === RESULT_SCHEMA) return result;
  return { ...result, schema: RESULT_SCHEMA, transports: result.transports.map(upgradeTransport) };
}
