import { describe, expect, it } from 'vitest';
import { compare } from '../../src/report/compare/compare.js';
import { serialize as toMarkdown } from '../../src/report/compare/format-markdown.js';
import { DEFAULT_THRESHOLDS } from '../../src/report/compare/thresholds.js';
import { fixture, NAMES, thrown } from '../helpers/compare.js';

describe('comparability', () => {
  it("checks a technique's own setting only when that technique is compared", () => {
    // The noise pair runs SSE and WebSocket only: the poll interval means nothing to them.
    const head = fixture('noise', 'head');
    head.scenario.pollIntervalMs = 250;
    expect(compare(fixture('noise', 'base'), head).exitCode).toBe(0);

    const withPolling = fixture('pass', 'head');
    withPolling.scenario.pollIntervalMs = 250;
    expect(thrown(() => compare(fixture('pass', 'base'), withPolling, DEFAULT_THRESHOLDS, NAMES)).message).toContain(
      'poll-interval: 1s in base.json, 250ms in head.json',
    );
  });

  it('accepts a window up to twice as long or short, and lists it; refuses more', () => {
    const head = fixture('pass', 'head');
    head.scenario.durationMs = 16_000;
    head.scenario.warmupMs = 2_000;
    expect(compare(fixture('pass', 'base'), head).scenarioDifferences).toEqual([
      { field: 'duration', base: '8s', head: '16s' },
      { field: 'warmup', base: '1s', head: '2s' },
    ]);
    head.scenario.durationMs = 17_000;
    expect(thrown(() => compare(fixture('pass', 'base'), head, DEFAULT_THRESHOLDS, NAMES)).message).toBe(
      'scenario mismatch, the figures would not mean the same thing: duration: 8s in base.json, 17s in head.json (durations may differ by up to 2×)',
    );
  });

  it('names every mismatched field at once', () => {
    const head = fixture('pass', 'head');
    head.scenario.rate = 20;
    head.scenario.payloadBytes = 1_000;
    expect(thrown(() => compare(fixture('pass', 'base'), head, DEFAULT_THRESHOLDS, NAMES)).message).toBe(
      'scenario mismatch, the figures would not mean the same thing: rate: 2 in base.json, 20 in head.json; payload: 100 in base.json, 1000 in head.json',
    );
  });

  it('lists machine differences without refusing them', () => {
    const head = fixture('pass', 'head');
    head.environment.cpuModel = 'AMD EPYC 7763 64-Core Processor';
    head.environment.cores = 4;
    head.environment.placement = null;
    const comparison = compare(fixture('pass', 'base'), head, DEFAULT_THRESHOLDS, NAMES);
    expect(comparison.environmentDifferences.map((d) => d.field)).toEqual(['cpuModel', 'cores', 'placement']);
    expect(toMarkdown(comparison)).toContain(
      '- The machines differ (cpuModel AMD Ryzen 7 5800X 8-Core Processor → AMD EPYC 7763 64-Core Processor, cores 16 → 4, placement server 2, generator 4-7 → not pinned)',
    );
  });
});
