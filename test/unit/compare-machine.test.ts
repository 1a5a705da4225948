import { describe, expect, it } from 'vitest';
import { compare } from '../../src/report/compare/compare.js';
import { inconclusiveWarnings, notes } from '../../src/report/compare/describe.js';
import { DEFAULT_THRESHOLDS } from '../../src/report/compare/thresholds.js';
import type { RunResult } from '../../src/document/result.js';
import { figureOf, fixture, flagged, NAMES, repeated, technique } from '../helpers/compare.js';

/** Both sides repeated on a quiet machine; the head's server 1 ms and 30 % slower, its machine `speed` × slower. */
function slowerHead(speed: number): { base: RunResult; head: RunResult } {
  const base = repeated(fixture('pass', 'base'));
  const changed = fixture('pass', 'base');
  const sse = technique(changed, 'sse');
  sse.latency.p50 = sse.latency.p50! + 1;
  sse.server.cpuMicrosPerMessage = sse.server.cpuMicrosPerMessage! * 1.3;
  sse.bytes.perMessage = sse.bytes.perMessage! * 1.3;
  const head = repeated(changed);
  for (const result of head.transports) for (const run of result.repetitions!) run.generator.cpuUtilization *= speed;
  return { base, head };
}

describe('a machine that ran at another speed', () => {
  it('leaves latency and CPU regressions inconclusive, saying why, when the generator itself took 30 % more per copy', () => {
    const { base, head } = slowerHead(1.3);
    const comparison = compare(base, head, DEFAULT_THRESHOLDS, NAMES);
    expect(comparison.machine.ratio).toBeCloseTo(1.3, 6);
    // Bytes do not depend on the machine's speed: they still fail the gate.
    expect(flagged(comparison)).toEqual([
      'sse p50: inconclusive',
      'sse bytes_per_msg: regressed',
      'sse cpu_per_msg: inconclusive',
    ]);
    expect(figureOf(comparison, 'sse', 'p50')).toMatchObject({
      machineRatio: comparison.machine.ratio,
      repeatToDecide: null,
    });
    expect(inconclusiveWarnings(comparison)[0]).toContain('the load generator took 30 % more CPU per copy in head');
    expect(notes(comparison).join('\n')).toContain('The machine ran at another speed');
  });

  it('judges them as usual when the generator cost moved less than 20 %', () => {
    const { base, head } = slowerHead(1.1);
    const comparison = compare(base, head, DEFAULT_THRESHOLDS, NAMES);
    expect(comparison.machine.ratio).toBeCloseTo(1.1, 6);
    expect(flagged(comparison)).toEqual([
      'sse p50: regressed',
      'sse bytes_per_msg: regressed',
      'sse cpu_per_msg: regressed',
    ]);
    expect(figureOf(comparison, 'sse', 'p50').machineRatio).toBeUndefined();
    expect(notes(comparison).join('\n')).not.toContain('another speed');
  });

  it('does not count an improvement a faster machine could have made', () => {
    const { base, head } = slowerHead(1);
    const faster = compare(head, base, DEFAULT_THRESHOLDS, NAMES);
    expect(figureOf(faster, 'sse', 'p50').verdict).toBe('improved');
    for (const result of base.transports) for (const run of result.repetitions!) run.generator.cpuUtilization *= 0.7;
    const onAFasterMachine = compare(head, base, DEFAULT_THRESHOLDS, NAMES);
    expect(onAFasterMachine.machine.ratio).toBeCloseTo(0.7, 6);
    expect(figureOf(onAFasterMachine, 'sse', 'p50').verdict).toBe('ok');
    expect(figureOf(onAFasterMachine, 'sse', 'bytes_per_msg').verdict).toBe('improved');
  });
});
