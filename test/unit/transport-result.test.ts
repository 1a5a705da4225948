import { describe, expect, it } from 'vitest';
import { createHistogram, decodeHistogram, recordMicros, summarize, type Histogram } from '../../src/core/histogram.js';
import { RESULT_SCHEMA, type RunResult } from '../../src/document/result.js';
import { assembleTransportResult, type TransportCounters } from '../../src/harness/run/transport-result.js';
import { defaultScenario } from '../../src/scenario/defaults.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';
import { noCounters } from '../../src/harness/generator/client-pool.js';
import { validateResult } from '../helpers/result-schema.js';

function histogramOf(...micros: number[]): Histogram {
  const histogram = createHistogram();
  for (const value of micros) recordMicros(histogram, value);
  return histogram;
}

const SECOND_NS = 1e9;

/** What a 2 s window of 10 clients at 5 msg/s might have recorded (numbers chosen to divide evenly). */
function recorded(overrides: Partial<TransportCounters> = {}): TransportCounters {
  const scenario = { ...defaultScenario(TRANSPORT_NAMES), warmupMs: 1_000, durationMs: 2_000, payloadBytes: 100 };
  return {
    transport: 'long-polling',
    scenario,
    partial: false,
    clients: 10,
    window: { startNs: 5 * SECOND_NS, endNs: 7 * SECOND_NS },
    // Every 200 ms from 0 to 3 s: 5 in the warm-up, 10 in the window.
    schedule: Float64Array.from({ length: 15 }, (_, i) => i * 200),
    published: { sent: 15, failed: 1 },
    lateness: histogramOf(40, 60, 900),
    publishWait: 'precise',
    before: {
      requests: 40,
      emptyResponses: 2,
      bytes: 10_000,
      wire: {
        messageExchanges: 38,
        messageHeadBytes: 7_600,
        emptyExchanges: 2,
        emptyHeadBytes: 300,
        envelopes: 38,
        envelopeBytes: 5_700,
      },
      serverCpuTicked: 1.0,
      serverCpuPrecise: 1.002,
      restarts: 0,
    },
    after: {
      requests: 140,
      emptyResponses: 6,
      bytes: 50_000,
      wire: {
        messageExchanges: 134,
        messageHeadBytes: 26_800,
        emptyExchanges: 6,
        emptyHeadBytes: 900,
        envelopes: 138,
        envelopeBytes: 20_700,
      },
      serverCpuTicked: 1.1,
      serverCpuPrecise: 1.052,
      restarts: 0,
    },
    final: { ...noCounters(), requests: 150, emptyResponses: 7, reconnects: 3, bytes: 60_000 },
    status: { connected: 10, failed: 0, receivedInWindow: 100, errors: 2 },
    summary: {
      delivery: {
        expected: 150,
        delivered: 148,
        lost: 2,
        duplicated: 1,
        outOfOrder: 0,
        gapReported: 0,
        protocolErrors: 0,
      },
      latency: histogramOf(1_000, 2_000, 3_000),
      connectTime: histogramOf(500),
      recovery: createHistogram(),
      recovered: 0,
      epochs: ['e1'],
      errorSamples: ['a sample'],
    },
    server: { requests: 150, shed: 0, idleRssBytes: 40e6, connectedRssBytes: 41e6, peakRssBytes: 45e6 },
    generator: {
      eventLoopDelayP99Ms: 1.5,
      eventLoopDelayMaxMs: 4,
      stalledShare: 0.01,
      cpuUtilization: 0.3,
      bound: false,
    },
    ...overrides,
  };
}

describe('a technique result from recorded counters', () => {
  it('turns edge counters into window figures, per delivered message', () => {
    const result = assembleTransportResult(recorded());
    expect(result.windowSeconds).toBe(2);
    expect(result.clients).toEqual({ requested: 10, connected: 10, failed: 0 });
    expect(result.published).toEqual({ total: 15, inWindow: 10, failed: 1 });
    expect(result.delivery).toEqual({
      expected: 150,
      delivered: 148,
      lost: 2,
      duplicated: 1,
      outOfOrder: 0,
      gapReported: 0,
      protocolErrors: 0,
      deliveredInWindow: 100,
      throughputPerSecond: 50,
    });
    expect(result.requests).toEqual({
      inWindow: 100,
      total: 150,
      empty: 4,
      perMessage: 1,
      reconnects: 3,
      errors: 2,
      serverCounted: 150,
    });
    const { wire, ...bytes } = result.bytes;
    expect(bytes).toEqual({ inWindow: 40_000, perMessage: 400, payloadPerMessage: 100, overheadRatio: 4 });
    // The model's inputs: what the window's exchanges and envelopes came to, and what is left over.
    expect(wire).toEqual({
      messageExchanges: 96,
      messageHeadBytes: 19_200,
      emptyExchanges: 4,
      emptyHeadBytes: 600,
      envelopes: 100,
      envelopeBytes: 15_000,
      otherBytes: 5_200,
      h200: 200,
      h204: 150,
      e: 150,
    });
    expect(result.server.cpuSeconds).toBeCloseTo(0.05, 9);
    expect(result.server.cpuMicrosPerMessage).toBeCloseTo(500, 6);
    expect(result.server.rssPerConnectionBytes).toBe(100_000);
    expect(result.server.peakRssBytes).toBe(45e6);
    expect(result.latency).toEqual(summarize(histogramOf(1_000, 2_000, 3_000)));
    expect(summarize(decodeHistogram(result.latencyHistogram))).toEqual(result.latency);
    expect(result.connect.count).toBe(1);
    expect(result).not.toHaveProperty('fault');
  });

  it('is a document the committed schema accepts', () => {
    const document: RunResult = {
      schema: RESULT_SCHEMA,
      tool: { name: 'im-bench', version: '0.0.0' },
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:10.000Z',
      aborted: false,
      repeat: 1,
      environment: {
        node: 'v20.20.0',
        os: 'Linux',
        platform: 'linux',
        arch: 'x64',
        cpuModel: 'test',
        cores: 2,
        totalMemoryBytes: 1,
        gitSha: null,
        target: null,
        placement: null,
      },
      scenario: recorded().scenario,
      transports: [assembleTransportResult(recorded())],
    };
    expect(validateResult(document)).toEqual([]);
  });
});

describe('a technique result at the edges', () => {
  it('takes the ticked CPU when the precise readings come from two server processes (a restart between)', () => {
    const after = { ...recorded().after, restarts: 1 };
    expect(assembleTransportResult(recorded({ after })).server.cpuSeconds).toBeCloseTo(0.1, 9);
  });

  it('gives null (not measured), never 0 or a division by zero, for per-message figures when nothing was delivered', () => {
    const status = { connected: 10, failed: 0, receivedInWindow: 0, errors: 0 };
    const result = assembleTransportResult(recorded({ status }));
    expect([result.requests.perMessage, result.bytes.perMessage, result.server.cpuMicrosPerMessage]).toEqual([
      null,
      null,
      null,
    ]);
    expect(result.bytes.overheadRatio).toBe(null);
    const alone = assembleTransportResult(recorded({ status: { ...status, connected: 0 } }));
    expect(alone.server.rssPerConnectionBytes).toBe(null);
  });

  it('leaves H and E null (not measured) when the window had no such answer and no envelope', () => {
    const counters = recorded();
    const result = assembleTransportResult({ ...counters, after: { ...counters.after, wire: counters.before.wire } });
    expect(result.bytes.wire).toMatchObject({ h200: null, h204: null, e: null, otherBytes: 40_000 });
  });

  it('counts as published in the window only what this shard owns, inside the window as it lasted', () => {
    const partial = recorded({
      shard: { index: 1, count: 2 },
      partial: true,
      window: { startNs: 5 * SECOND_NS, endNs: 6 * SECOND_NS },
    });
    const result = assembleTransportResult(partial);
    // Offsets 1000…1800 ms fall in a 1 s window; shard 1 of 2 owns the odd indices (5, 7, 9).
    expect(result.published.inWindow).toBe(3);
    expect(result.partial).toBe(true);
    expect(result.windowSeconds).toBe(1);
  });

  it('reports what a fault did: when, whom, recovery, and for a restart the journal and the logs read', () => {
    const counters = recorded({ struck: { atNs: 6.5 * SECOND_NS, affected: 10 } });
    counters.scenario = { ...counters.scenario, fault: 'restart', journal: false };
    counters.summary = {
      ...counters.summary,
      recovery: histogramOf(700_000, 800_000),
      recovered: 9,
      epochs: ['e1', 'e2'],
    };
    const { fault } = assembleTransportResult(counters);
    expect(fault).toMatchObject({
      kind: 'restart',
      atSeconds: 1.5,
      affectedClients: 10,
      recoveredClients: 9,
      journal: false,
      epochs: 2,
      shed: 0,
    });
    expect(fault!.recovery.count).toBe(2);
    const slow = recorded({ struck: { atNs: 6 * SECOND_NS, affected: 3 } });
    slow.scenario = { ...slow.scenario, fault: 'slow' };
    expect(assembleTransportResult(slow).fault).toMatchObject({
      kind: 'slow',
      recoveredClients: 0,
      journal: null,
      epochs: null,
    });
  });

  it('keeps only the generator health figures the document has', () => {
    const generator = { ...recorded().generator, extra: 1 } as TransportCounters['generator'];
    expect(Object.keys(assembleTransportResult(recorded({ generator })).generator)).toEqual([
      'eventLoopDelayP99Ms',
      'eventLoopDelayMaxMs',
      'stalledShare',
      'cpuUtilization',
      'bound',
    ]);
  });
});
