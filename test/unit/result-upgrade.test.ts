import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/document/document-file.js';
import { checkResult } from '../../src/document/result-check.js';
import type { RunResult } from '../../src/document/result.js';
import type { SweepResult } from '../../src/document/sweep.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';
import { validateResult } from '../helpers/result-schema.js';

const path = (name: string): string => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const raw = (name: string): RunResult => JSON.parse(readFileSync(path(name), 'utf8')) as RunResult;

describe('documents of im-bench/result@1 are read as @2', () => {
  it('keeps every measured figure and adds the counters @2 introduced', () => {
    const v1 = raw('result-notify-v1.json');
    expect(v1.schema).toBe('im-bench/result@1');
    const read = checkResult(v1, 'v1.json', TRANSPORT_NAMES);
    expect(read.schema).toBe('im-bench/result@3');
    expect(read.transports.map((t) => t.latency)).toEqual(v1.transports.map((t) => t.latency));
    expect(read.transports.every((t) => t.delivery.protocolErrors === 0)).toBe(true);
    expect(validateResult(read)).toEqual([]);
  });

  it('turns the zeros @1 wrote for what it did not measure into null', () => {
    const v1 = raw('result-notify-v1.json');
    const sse = v1.transports[2]!;
    sse.delivery.deliveredInWindow = 0;
    sse.latency = { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    sse.requests.perMessage = 0;
    sse.bytes.perMessage = 0;
    sse.server.cpuMicrosPerMessage = 0;
    const read = checkResult(v1, 'v1.json', TRANSPORT_NAMES).transports[2]!;
    expect(read.latency.p99).toBeNull();
    expect([read.requests.perMessage, read.bytes.perMessage, read.bytes.overheadRatio]).toEqual([null, null, null]);
    expect(read.server.cpuMicrosPerMessage).toBeNull();
    expect(read.server.rssPerConnectionBytes).toBe(sse.server.rssPerConnectionBytes);
  });

  it('refuses null in an @1 document, which never wrote one', () => {
    const v1 = raw('result-notify-v1.json');
    (v1.transports[0]!.latency as { p99: number | null }).p99 = null;
    expect(() => checkResult(v1, 'v1.json', TRANSPORT_NAMES)).toThrow(
      /transports\[0\]\.latency\.p99: expected a number/,
    );
  });

  it('reads a sweep@1 as sweep@3, its points made again from its runs', async () => {
    const v1 = JSON.parse(readFileSync(path('sweep-clients-v1.json'), 'utf8')) as SweepResult;
    const read = (await loadDocument(path('sweep-clients-v1.json'), TRANSPORT_NAMES)) as SweepResult;
    expect(read.schema).toBe('im-bench/sweep@3');
    expect(read.runs.every((run) => (run.schema as string) === 'im-bench/result@3')).toBe(true);
    expect(read.series).toEqual(v1.series);
  });

  it('refuses an @2 result without its protocol-error count, and an @1 fault without its recovery', () => {
    const v2 = raw('result-notify.json');
    delete (v2.transports[1]!.delivery as { protocolErrors?: number }).protocolErrors;
    expect(() => checkResult(v2, 'v2.json', TRANSPORT_NAMES)).toThrow(
      /transports\[1\]\.delivery\.protocolErrors: expected a count, got nothing/,
    );
    const v1 = raw('result-notify-v1.json');
    (v1.transports[0] as { fault?: unknown }).fault = {};
    expect(() => checkResult(v1, 'v1.json', TRANSPORT_NAMES)).toThrow(
      /transports\[0\]\.fault\.recovery: expected a latency summary, got nothing/,
    );
  });

  it('names a value nested too deep to show instead of failing on it', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const v2 = raw('result-notify.json');
    (v2.transports[0]!.latency as { p99: unknown }).p99 = deep;
    expect(() => checkResult(v2, 'v2.json', TRANSPORT_NAMES)).toThrow(
      /latency\.p99: expected a number, got a list nested too deep to show/,
    );
  });
});
