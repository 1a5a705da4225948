import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serialize } from '../../src/report/exporters/json.js';
import { RESULT_SCHEMA, type LatencySummary, type RunResult, type TransportResult } from '../../src/document/result.js';
import { generateSchema, SCHEMA_FILES, schemaPath } from '../../src/report/schemas.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';
import { validateResult } from '../helpers/result-schema.js';
import { FIGURE_NAMES } from '../../src/document/comparison.js';
import { COMPARATORS, type ThresholdCheck } from '../../src/document/threshold-check.js';
import { FIGURES } from '../../src/report/compare/figures.js';

function fixture(): RunResult {
  return JSON.parse(readFileSync(new URL('../fixtures/result-notify.json', import.meta.url), 'utf8')) as RunResult;
}

const EMPTY_SUMMARY: LatencySummary = { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
const EMPTY_HISTOGRAM = 'HISTFAAAAB14nJNpmSzMwMDACMXMDBAAYjMwT25ngPMBP/YCaw==';

/** A threshold on one technique, judged on nothing measured; one on every technique, with none to judge. */
const EDGE_THRESHOLDS: ThresholdCheck[] = [
  {
    expression: 'reference/websocket:cpu_per_msg>=0.5ms',
    figure: 'cpu_per_msg',
    transport: 'websocket',
    comparator: '>=',
    limit: 500,
    unit: 'µs',
    source: 'scenario',
    results: [{ transport: 'websocket', value: null, pass: false }],
    pass: false,
  },
  {
    expression: 'lost==0',
    figure: 'lost',
    transport: null,
    comparator: '==',
    limit: 0,
    unit: 'copies',
    source: 'flag',
    results: [],
    pass: false,
  },
];

/**
 * Typed against result.ts: a field added to the types fails to compile here until it is added,
 * and then the schema (no additional properties) rejects it until the schema learns it too.
 */
function minimalResult(): RunResult {
  const transport: TransportResult = {
    transport: 'websocket',
    partial: true,
    clients: { requested: 1, connected: 0, failed: 1 },
    windowSeconds: 0,
    published: { total: 0, inWindow: 0, failed: 0 },
    delivery: {
      expected: 0,
      delivered: 0,
      deliveredInWindow: 0,
      lost: 0,
      duplicated: 0,
      outOfOrder: 0,
      gapReported: 0,
      protocolErrors: 0,
      throughputPerSecond: 0,
    },
    latency: EMPTY_SUMMARY,
    latencyHistogram: EMPTY_HISTOGRAM,
    requests: { inWindow: 0, total: 1, empty: 0, perMessage: 0, reconnects: 0, errors: 1, serverCounted: 0 },
    bytes: { inWindow: 0, perMessage: 0, payloadPerMessage: 0, overheadRatio: 0 },
    server: {
      cpuSeconds: 0,
      cpuMicrosPerMessage: 0,
      idleRssBytes: 0,
      connectedRssBytes: 0,
      peakRssBytes: 0,
      rssPerConnectionBytes: 0,
    },
    connect: EMPTY_SUMMARY,
    connectHistogram: EMPTY_HISTOGRAM,
    generator: { eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, stalledShare: 0, cpuUtilization: 0, bound: false },
    errorSamples: ['connect ECONNREFUSED 127.0.0.1:1'],
    headroom: {
      ceilingPerSecond: 0.5,
      requestsPerSecond: 0,
      ratio: 0,
      source: 'probe',
      measuredAt: '2025-01-01T00:00:00Z',
    },
  };
  return {
    schema: RESULT_SCHEMA,
    tool: { name: 'im-bench', version: '0.0.0' },
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:00:01.000+01:00',
    aborted: true,
    repeat: 1,
    environment: {
      node: 'v20.18.0',
      os: 'Darwin 24.0.0',
      platform: 'darwin',
      arch: 'arm64',
      cpuModel: 'Apple M2',
      cores: 8,
      totalMemoryBytes: 17_179_869_184,
      gitSha: null,
      target: null,
      placement: null,
    },
    scenario: {
      name: 'connect-storm',
      description: '',
      transports: ['websocket'],
      clients: 1,
      rampUpMs: 0,
      warmupMs: 0,
      durationMs: 0,
      drainMs: 0,
      rate: 0.5,
      pattern: 'poisson',
      burstSize: 1,
      payloadBytes: 0,
      publisher: 'clients',
      channels: 1,
      pollIntervalMs: 250,
      longPollTimeoutMs: 0,
      sseRetryMs: 0,
      sseClient: 'eventsource',
      heartbeatMs: 100,
      fault: 'drop',
      faultAtMs: 0,
      faultShare: 1,
      journal: false,
    },
    transports: [transport],
  };
}

describe('result schema', () => {
  it('accepts the fixture and what the json exporter writes', () => {
    expect(validateResult(fixture())).toEqual([]);
    expect(validateResult(JSON.parse(serialize(fixture())))).toEqual([]);
  });

  it('accepts every field of the result types at its edge values', () => {
    expect(validateResult(minimalResult())).toEqual([]);
    const calibrated: RunResult = {
      ...minimalResult(),
      calibration: { delayMs: 0, cpuMicrosPerCopy: { websocket: 2.5 } },
    };
    expect(validateResult(calibrated)).toEqual([]);
    expect(validateResult({ ...minimalResult(), thresholds: EDGE_THRESHOLDS })).toEqual([]);
  });

  it("accepts a polling technique's headroom and refuses a malformed one", () => {
    const doc = fixture();
    doc.transports[0]!.headroom = {
      ceilingPerSecond: 25_000,
      requestsPerSecond: 100,
      ratio: 0.004,
      source: 'file',
      measuredAt: '2026-11-22T09:10:34.933Z',
    };
    expect(validateResult(doc)).toEqual([]);
    doc.transports[0]!.headroom.ceilingPerSecond = 0;
    (doc.transports[0]!.headroom as { source: string }).source = 'guess';
    delete (doc.transports[0]!.headroom as { ratio?: number }).ratio;
    expect(validateResult(doc).sort()).toEqual([
      '/transports/0/headroom/ceilingPerSecond: must be > 0',
      '/transports/0/headroom/source: must be equal to one of the allowed values',
      "/transports/0/headroom: must have required property 'ratio'",
    ]);
  });
});

describe('result schema: calibration and thresholds', () => {
  it('refuses a calibration naming no technique or a negative amount', () => {
    const doc = { ...fixture(), calibration: { delayMs: 20, cpuMicrosPerCopy: { pigeon: 1, sse: -1 } } };
    expect(validateResult(doc).length).toBeGreaterThan(0);
    expect(validateResult({ ...fixture(), calibration: { delayMs: 20, cpuMicrosPerCopy: { sse: 3 } } })).toEqual([]);
  });

  it('refuses a malformed threshold', () => {
    const doc = { ...minimalResult(), thresholds: structuredClone(EDGE_THRESHOLDS) };
    const [check] = doc.thresholds;
    (check as { figure: string }).figure = 'p98';
    (check as { comparator: string }).comparator = '!=';
    (check!.results[0] as { value: unknown }).value = '1 ms';
    delete (check as { pass?: boolean }).pass;
    expect(validateResult(doc).sort()).toEqual([
      '/thresholds/0/comparator: must be equal to one of the allowed values',
      '/thresholds/0/figure: must be equal to one of the allowed values',
      '/thresholds/0/results/0/value: must be number,null',
      "/thresholds/0: must have required property 'pass'",
    ]);
  });

  it("names a threshold's figures, units and comparators as the code does", () => {
    const schema = JSON.parse(readFileSync(schemaPath('result-v2.schema.json'), 'utf8')) as {
      $defs: { thresholdCheck: { properties: Record<string, { enum: string[] }> } };
    };
    const { properties } = schema.$defs.thresholdCheck;
    expect(properties['figure']!.enum).toEqual([...FIGURE_NAMES]);
    expect(properties['comparator']!.enum).toEqual([...COMPARATORS]);
    expect(properties['unit']!.enum.sort()).toEqual(
      [...new Set(FIGURE_NAMES.map((name) => FIGURES[name].unit))].sort(),
    );
  });

  it('rejects a missing field', () => {
    const doc = fixture() as unknown as { transports: { latency: Record<string, unknown> }[] };
    delete doc.transports[0]!.latency['p99'];
    expect(validateResult(doc)).toEqual(["/transports/0/latency: must have required property 'p99'"]);
  });

  it('rejects a wrong type', () => {
    const doc = fixture() as unknown as { transports: { requests: Record<string, unknown> }[] };
    doc.transports[1]!.requests['inWindow'] = '1601';
    expect(validateResult(doc)).toEqual(['/transports/1/requests/inWindow: must be integer']);
  });

  it('rejects unknown fields, other schema versions and values out of range', () => {
    const extra = { ...fixture(), extra: 1 };
    expect(validateResult(extra)).toEqual(["(root): must NOT have additional properties 'extra'"]);

    const version = { ...fixture(), schema: 'im-bench/result@4' };
    expect(validateResult(version)).toEqual(['/schema: must be equal to constant']);

    const bad = fixture();
    bad.transports[2]!.delivery.lost = -1;
    (bad.transports[3] as { transport: string }).transport = 'carrier-pigeon';
    bad.transports[0]!.latencyHistogram = 'not a histogram';
    bad.startedAt = 'yesterday';
    (bad.scenario as { pattern: string }).pattern = 'random';
    expect(validateResult(bad).sort()).toEqual([
      '/scenario/pattern: must be equal to one of the allowed values',
      '/startedAt: must match format "date-time"',
      '/transports/0/latencyHistogram: must match pattern "^HIST[A-Za-z0-9+/]*={0,2}$"',
      '/transports/2/delivery/lost: must be >= 0',
      '/transports/3/transport: must be equal to one of the allowed values',
    ]);
  });
});

describe('schema technique enums', () => {
  it.each(SCHEMA_FILES)(
    'schema/%s lists exactly the registry’s techniques (npm run schemas writes them)',
    async (file) => {
      expect(readFileSync(schemaPath(file), 'utf8')).toBe(await generateSchema(file));
    },
  );

  it('would notice a technique the registry has and a schema lacks', async () => {
    const committed = JSON.parse(readFileSync(schemaPath('result-v1.schema.json'), 'utf8')) as {
      $defs: { transportName: { enum: string[] } };
    };
    expect(committed.$defs.transportName.enum).toEqual([...TRANSPORT_NAMES]);
    committed.$defs.transportName.enum.pop();
    expect(`${JSON.stringify(committed, null, 2)}\n`).not.toBe(await generateSchema('result-v1.schema.json'));
  });
});
