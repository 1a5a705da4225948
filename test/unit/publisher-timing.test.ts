import { describe, expect, it } from 'vitest';
import type { TransportResult } from '../../src/document/result.js';
import { latenessCaveat, publisherTimingNote } from '../../src/report/publisher-timing.js';

function technique(
  transport: string,
  latencyP50: number | null,
  lateness: { p50: number; p99: number; max: number } | undefined,
  wait: 'precise' | 'coarse' | null = 'precise',
): TransportResult {
  const summary = lateness && {
    count: 100,
    min: 0,
    mean: lateness.p50,
    p90: lateness.p99,
    p999: lateness.max,
    ...lateness,
  };
  return {
    transport,
    latency: { p50: latencyP50 },
    ...(summary === undefined
      ? {}
      : { publisher: { ...(wait ? { wait } : {}), lateness: summary, latenessHistogram: '' } }),
  } as unknown as TransportResult;
}

describe('the publisher timing in reports', () => {
  it('gives each technique its lateness in microseconds and says how the publisher waited', () => {
    const note = publisherTimingNote([
      technique('sse', 1.2, { p50: 0.002, p99: 0.045, max: 1.5 }),
      technique('websocket', 1.1, { p50: 0.0031, p99: 0.05, max: 2 }),
    ]);
    expect(note).toContain('waiting precise');
    expect(note).toContain('sse p50 2.00, p99 45.0, max 1,500');
    expect(note).toContain('websocket p50 3.10, p99 50.0, max 2,000');
  });

  it('says nothing for documents written before the lateness was measured', () => {
    expect(publisherTimingNote([technique('sse', 1.2, undefined)])).toBeNull();
    // Before the precise wait, the publisher waited as `coarse` does.
    expect(publisherTimingNote([technique('sse', 1.2, { p50: 0.6, p99: 1, max: 2 }, null)])).toContain(
      'waiting coarse',
    );
  });

  it('flags a technique whose lateness p99 is over a tenth of its p50 latency, and only that', () => {
    expect(latenessCaveat(technique('websocket', 1, { p50: 0.002, p99: 0.2, max: 1 }))).toContain(
      'publisher lateness p99 0.20 ms is over 10 % of its p50 latency (1.00 ms)',
    );
    expect(latenessCaveat(technique('websocket', 1, { p50: 0.002, p99: 0.09, max: 1 }))).toBeNull();
    expect(latenessCaveat(technique('short-polling', 500, { p50: 0.6, p99: 2, max: 5 }))).toBeNull();
    expect(latenessCaveat(technique('websocket', null, { p50: 0.6, p99: 2, max: 5 }))).toBeNull();
  });
});
