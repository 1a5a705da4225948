import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { headroomOf, withHeadroom, type Ceilings } from '../../src/harness/capacity/headroom.js';
import type { CapacityResult } from '../../src/document/capacity.js';
import { checkCapacityDocument, loadCapacityFile } from '../../src/document/capacity-file.js';
import { serializeCapacityJson } from '../../src/report/exporters/capacity-json.js';
import { serializeCapacityTable } from '../../src/report/exporters/capacity-table.js';
import { serialize as toCsv } from '../../src/report/exporters/csv.js';
import { serialize as toMarkdown } from '../../src/report/exporters/markdown.js';
import { serialize as toTable } from '../../src/report/exporters/table.js';
import type { RunResult } from '../../src/document/result.js';
import { validateCapacity, validateResult } from '../helpers/result-schema.js';
import { POLLING_TRANSPORTS } from '../../src/transports/registry.js';
import { assembleCapacityMeasurement, saturation } from '../../src/harness/capacity/capacity-result.js';
import type { LoadResult } from '../../src/harness/capacity/load-generator.js';
import { createHistogram, encodeHistogram } from '../../src/core/histogram.js';

const CAPACITY_TEXT = readFileSync(new URL('../fixtures/capacity-small.json', import.meta.url), 'utf8');
const RESULT_TEXT = readFileSync(new URL('../fixtures/result-notify.json', import.meta.url), 'utf8');

const capacity = (): CapacityResult => JSON.parse(CAPACITY_TEXT) as CapacityResult;
const result = (): RunResult => JSON.parse(RESULT_TEXT) as RunResult;

/** The fixture's techniques with ceilings chosen for the arithmetic. */
function ceilings(shortPolling: number, longPolling: number): Ceilings {
  const document = capacity();
  document.techniques[0]!.requests.perSecond = shortPolling;
  document.techniques[1]!.requests.perSecond = longPolling;
  return { document, source: 'file' };
}

/** The run fixture, each technique with its headroom against `given`. */
function withCeilings(given: Ceilings): RunResult {
  const run = result();
  run.transports = run.transports.map((t) => withHeadroom(t, given));
  return run;
}

/** The row's cells, across every table the row's columns were cut into to fit 80 columns. */
function tableRow(table: string, label: string): string[] | undefined {
  const lines = table.split('\n').filter((candidate) => candidate.startsWith(`│ ${label} `));
  if (lines.length === 0) return undefined;
  return lines.flatMap((line) =>
    line
      .split('│')
      .slice(2, -1)
      .map((cell) => cell.trim()),
  );
}

describe('capacity document', () => {
  it('the fixture, from a real run, and what the json exporter writes match the committed schema', () => {
    expect(capacity().techniques.map((m) => m.transport)).toEqual(['short-polling', 'long-polling']);
    expect(validateCapacity(capacity())).toEqual([]);
    expect(serializeCapacityJson(capacity())).toBe(CAPACITY_TEXT);
  });

  it('the schema refuses a push technique, an unknown field and a run result', () => {
    const doc = capacity() as unknown as { techniques: Array<Record<string, unknown>> };
    doc.techniques[0]!['transport'] = 'websocket';
    doc.techniques[1]!['extra'] = 1;
    expect(validateCapacity(doc).sort()).toEqual([
      '/techniques/0/transport: must be equal to one of the allowed values',
      "/techniques/1: must NOT have additional properties 'extra'",
    ]);
    expect(validateCapacity(result())).toContain('/schema: must be equal to constant');
  });

  it.each([
    [
      (doc: Record<string, unknown>) => (doc['schema'] = 'im-bench/result@1'),
      'F: schema: expected "im-bench/capacity@1" (a document written by im-bench capacity --json or --out), got "im-bench/result@1"',
    ],
    [(doc: Record<string, unknown>) => delete doc['techniques'], 'F: techniques: expected an array, got nothing'],
    [
      (doc: Record<string, unknown>) => (doc['startedAt'] = 'yesterday'),
      'F: startedAt: expected a date and time, got "yesterday"',
    ],
    [
      (doc: Record<string, unknown>) =>
        ((doc['techniques'] as Array<{ requests: { perSecond: number } }>)[1]!.requests.perSecond = 0),
      'F: techniques[1].requests.perSecond: expected a positive number of requests per second, got 0',
    ],
    [
      (doc: Record<string, unknown>) => ((doc['techniques'] as Array<{ transport: string }>)[0]!.transport = 'sse'),
      'F: techniques[0].transport: expected short-polling or long-polling, got "sse"',
    ],
    [
      (doc: Record<string, unknown>) =>
        ((doc['techniques'] as Array<{ transport: string }>)[1]!.transport = 'short-polling'),
      'F: techniques[1].transport: expected each technique once, got "short-polling"',
    ],
  ])('a document for run --capacity is refused, naming the file and the field (%#)', (spoil, message) => {
    const doc = capacity() as unknown as Record<string, unknown>;
    spoil(doc);
    expect(() => checkCapacityDocument(doc, 'F', POLLING_TRANSPORTS)).toThrow(
      expect.objectContaining({ code: 'IMB_ERR_INVALID_RESULT', exitCode: 2, message }),
    );
  });

  it('a file that cannot be read is refused, naming it', async () => {
    await expect(loadCapacityFile('/nonexistent/capacity.json', POLLING_TRANSPORTS)).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_RESULT',
      message: '/nonexistent/capacity.json: cannot read it (ENOENT)',
    });
  });
});

describe('saturation', () => {
  it('names the process that used 90 % of a core or more', () => {
    expect(saturation(0.97, 0.6)).toBe('server');
    expect(saturation(0.6, 0.9)).toBe('generator');
    expect(saturation(1.1, 0.95)).toBe('both');
    expect(saturation(0.89, 0.89)).toBe('neither');
  });
});

describe('capacity table', () => {
  it('has a column per technique, the ceiling and the request each one was asked', () => {
    const doc = capacity();
    const table = serializeCapacityTable(doc);
    expect(tableRow(table, 'requests/s (ceiling)')).toEqual(
      doc.techniques.map((m) => Math.round(m.requests.perSecond).toLocaleString('en-US')),
    );
    expect(table).toContain('short-polling: GET /poll?ch=capacity&since=1 → 204, nothing new');
    expect(table).toContain('long-polling: GET /long-poll?ch=capacity&since=0&timeout=0 → 200, 1 message');
  });

  it("says when the figure is not the server's ceiling, and not when the server saturated", () => {
    const doc = capacity();
    doc.techniques[0]!.saturated = 'server';
    doc.techniques[1]!.saturated = 'generator';
    let table = serializeCapacityTable(doc);
    expect(table).toContain(
      "long-polling: the generator saturated before the server did: the server's ceiling is higher than this",
    );
    expect(table).not.toMatch(/^short-polling: (the|neither)/m);
    doc.techniques[1]!.saturated = 'neither';
    doc.techniques[0]!.saturated = 'neither';
    table = serializeCapacityTable(doc);
    expect(table).toContain('short-polling and long-polling: neither process reached 90 % of a core');
  });

  it('says when it was aborted and a technique was cut short', () => {
    const doc = capacity();
    doc.aborted = true;
    doc.techniques = doc.techniques.slice(0, 1);
    doc.techniques[0]!.partial = true;
    const table = serializeCapacityTable(doc);
    expect(table).toContain('Aborted: the figures cover what was measured before it stopped.');
    expect(table).toMatch(/^short-polling: stopped after [\d.]+ s$/m);
  });
});

describe('headroom', () => {
  it("is the window's requests per second over the ceiling, for polling techniques only", () => {
    const run = withCeilings(ceilings(1_000, 3_200));
    const [short, long, sse, websocket] = run.transports;
    expect(short!.headroom).toEqual({
      ceilingPerSecond: 1_000,
      requestsPerSecond: short!.requests.inWindow / short!.windowSeconds,
      ratio: short!.requests.inWindow / short!.windowSeconds / 1_000,
      source: 'file',
      measuredAt: capacity().startedAt,
    });
    expect(long!.headroom?.ratio).toBeCloseTo(long!.requests.inWindow / long!.windowSeconds / 3_200, 12);
    expect(sse).not.toHaveProperty('headroom');
    expect(websocket).not.toHaveProperty('headroom');
    expect(validateResult(run)).toEqual([]);
  });

  it('is left out for a technique the capacity document did not measure', () => {
    const given = ceilings(1_000, 3_200);
    given.document.techniques = given.document.techniques.filter((m) => m.transport === 'short-polling');
    expect(headroomOf(result().transports[1]!, given)).toBeUndefined();
    expect(headroomOf(result().transports[0]!, given)).toBeDefined();
  });

  it('shows as a row of the table only when a ceiling was given, "–" for push techniques', () => {
    expect(toTable(result())).not.toContain('share of poll ceiling');
    const run = withCeilings(ceilings(1_000, 3_200));
    const ratio = (run.transports[0]!.headroom!.ratio * 100).toFixed(1);
    expect(tableRow(toTable(run), 'share of poll ceiling')).toEqual([
      `${ratio} % of 1,000/s`,
      expect.stringMatching(/ % of 3,200\/s$/),
      '–',
      '–',
    ]);
    expect(toMarkdown(run)).toMatch(/^\| share of poll ceiling \| [\d.]+ % of 1,000\/s \|/m);
  });

  it('warns near the ceiling, and not below it', () => {
    const requestsPerSecond = (t: RunResult['transports'][number]): number => t.requests.inWindow / t.windowSeconds;
    const fixture = result();
    const shortRate = requestsPerSecond(fixture.transports[0]!);
    const longRate = requestsPerSecond(fixture.transports[1]!);
    const near = withCeilings(ceilings(shortRate / 0.85, longRate / 0.5));
    const table = toTable(near);
    expect(table).toMatch(
      /^short-polling: ran at 85\.0 % of the server's ceiling for its polls \([\d,]+ requests\/s\): its latencies include queueing at the server/m,
    );
    expect(table).not.toMatch(/^long-polling: ran at/m);
  });

  it('CSV carries its figures with units', () => {
    const csv = toCsv(withCeilings(ceilings(1_000, 3_200)));
    expect(csv).toContain('short-polling,headroom.ceilingPerSecond,1000,requests/s\r\n');
    expect(csv).toMatch(/^long-polling,headroom\.ratio,[\d.e-]+,fraction\r$/m);
    expect(csv).not.toMatch(/^sse,headroom/m);
  });
});

describe('a capacity measurement from recorded counters', () => {
  const load: LoadResult = {
    requests: { total: 50_000, mean: 10_000, stddev: 150, min: 9_700, max: 10_200, samples: 5 },
    latency: { count: 50_000, min: 0.2, mean: 1, p50: 0.9, p90: 1.4, p99: 2.5, p999: 4, max: 9 },
    latencyHistogram: encodeHistogram(createHistogram()),
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    durationSeconds: 5,
    stopped: false,
  };
  const counters = {
    transport: 'short-polling',
    probe: { path: '/poll?ch=capacity&since=1', status: 204, messages: 0 },
    connections: 100,
    load,
    wallSeconds: 5,
    serverCpuSeconds: 4.9,
    generatorCpuSeconds: 3,
  };

  it('gives the rate over the measured time as the ceiling, and says which side was saturated', () => {
    const measured = assembleCapacityMeasurement(counters);
    expect(measured).toMatchObject({
      transport: 'short-polling',
      request: 'GET /poll?ch=capacity&since=1',
      answer: { status: 204, messages: 0 },
      partial: false,
      connections: 100,
      durationSeconds: 5,
      requests: { total: 50_000, perSecond: 10_000, samples: { count: 5, mean: 10_000, stddev: 150 } },
      server: { cpuSeconds: 4.9 },
      generator: { cpuSeconds: 3, cpuUtilization: 0.6 },
      saturated: 'server',
    });
    expect(measured.server.cpuUtilization).toBeCloseTo(0.98, 9);
  });

  it('gives no rate for a load that ran no time, and marks a stopped one partial', () => {
    const stopped = { ...load, durationSeconds: 0, stopped: true };
    expect(assembleCapacityMeasurement({ ...counters, load: stopped })).toMatchObject({
      partial: true,
      requests: { perSecond: 0 },
    });
  });
});
