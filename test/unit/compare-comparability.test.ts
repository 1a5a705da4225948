import { describe, expect, it } from 'vitest';
import { compare } from '../../src/report/compare/compare.js';
import { DEFAULT_THRESHOLDS } from '../../src/report/compare/thresholds.js';
import { figureOf, fixture, NAMES, technique, thrown } from '../helpers/compare.js';

describe('comparability', () => {
  it('compares the techniques in both and lists the ones only in the head', () => {
    const base = fixture('pass', 'base');
    const head = fixture('pass', 'head');
    base.transports = base.transports.filter((t) => t.transport !== 'websocket');
    const comparison = compare(base, head, DEFAULT_THRESHOLDS, NAMES);
    expect(comparison.techniques.map((t) => t.transport)).toEqual(['short-polling', 'long-polling', 'sse']);
    expect(comparison.onlyInBase).toEqual([]);
    expect(comparison.onlyInHead).toEqual(['websocket']);
  });

  it('refuses a head that lacks a technique the base measured: what was not measured cannot pass', () => {
    const base = fixture('pass', 'base');
    const head = fixture('pass', 'head');
    head.transports = head.transports.filter((t) => t.transport !== 'short-polling');
    const error = thrown(() => compare(base, head, DEFAULT_THRESHOLDS, NAMES));
    expect(error.code).toBe('IMB_ERR_INCOMPARABLE');
    expect(error.message).toBe('head.json has no short-polling, which base.json measured: run the same techniques');
  });

  it('refuses a head from a run that did not finish', () => {
    const head = fixture('pass', 'head');
    head.aborted = true;
    expect(thrown(() => compare(fixture('pass', 'base'), head, DEFAULT_THRESHOLDS, NAMES)).message).toMatch(
      /^head\.json is from a run that did not finish/,
    );
  });

  it('fails any lost copy in the head, even when the base lost more', () => {
    const base = fixture('pass', 'base');
    const head = fixture('pass', 'head');
    base.transports[3]!.delivery.lost = 3;
    head.transports[3]!.delivery.lost = 2;
    const comparison = compare(base, head, DEFAULT_THRESHOLDS, NAMES);
    expect(figureOf(comparison, 'websocket', 'lost').verdict).toBe('regressed');
    expect(comparison.exitCode).toBe(1);
  });

  it('leaves a generator-bound base repetition out of the latency spread, so it cannot hide a regression as noise', () => {
    const base = fixture('noise', 'base');
    const head = fixture('noise', 'head');
    const reps = base.transports.find((t) => t.transport === 'sse')!.repetitions!;
    const ordinary = reps.map((rep) => rep.latency.p99!).sort((a, b) => a - b);
    const widest = reps.reduce((worst, rep) => (rep.latency.p99! > worst.latency.p99! ? rep : worst));
    widest.latency.p99 = ordinary.at(-1)! * 20;
    widest.generator.bound = true;
    for (const rep of head.transports.find((t) => t.transport === 'sse')!.repetitions ?? [
      head.transports.find((t) => t.transport === 'sse')!,
    ]) {
      rep.latency.p99 = ordinary.at(-1)! * 8;
    }
    head.transports.find((t) => t.transport === 'sse')!.latency.p99 = ordinary.at(-1)! * 8;
    const verdict = figureOf(compare(base, head, DEFAULT_THRESHOLDS, NAMES), 'sse', 'p99');
    expect(verdict.baseSpread!.max).toBeLessThan(ordinary.at(-1)! * 2);
    expect(verdict.verdict).toBe('regressed');
  });

  it('skips a technique cut short by an interruption, and leaves out interrupted repetitions', () => {
    const head = fixture('noise', 'head');
    technique(head, 'websocket').partial = true;
    for (const repetition of technique(head, 'websocket').repetitions!) repetition.partial = true;
    technique(head, 'sse').repetitions![2]!.partial = true;
    const comparison = compare(fixture('noise', 'base'), head, DEFAULT_THRESHOLDS, NAMES);
    expect(comparison.techniques.map((t) => t.transport)).toEqual(['sse']);
    expect(comparison.skipped).toEqual([
      { transport: 'websocket', reason: 'cut short by an interruption in head.json' },
    ]);
    expect(comparison.techniques[0]).toMatchObject({
      headRepetitions: 2,
      warnings: ['head.json: 1 of 3 repetitions cut short by an interruption, left out'],
    });
  });

  it('warns when a run was generator-bound', () => {
    const head = fixture('regression', 'head');
    technique(head, 'sse').generator.bound = true;
    const comparison = compare(fixture('regression', 'base'), head, DEFAULT_THRESHOLDS, NAMES);
    expect(comparison.techniques.find((t) => t.transport === 'sse')!.warnings).toEqual([
      'head.json: generator-bound: its latencies describe the load generator, not the server',
    ]);
  });
});

describe('comparability of deployments', () => {
  it('refuses two deployments (TLS against cleartext) unless asked, and then says so', () => {
    const base = fixture('pass', 'base');
    const head = fixture('pass', 'head');
    head.environment.deployment = { tls: true, http: 'http/1.1', via: 'none' };
    const error = thrown(() => compare(base, head, DEFAULT_THRESHOLDS, NAMES));
    expect(error.code).toBe('IMB_ERR_INCOMPARABLE');
    expect(error.message).toBe(
      'deployment mismatch, the figures would not mean the same thing: cleartext http/1.1, direct in base.json, TLS http/1.1, direct in head.json (--allow-mismatch compares them anyway)',
    );
    const allowed = compare(base, head, DEFAULT_THRESHOLDS, NAMES, undefined, true);
    expect(allowed.environmentDifferences).toContainEqual({
      field: 'deployment',
      base: 'cleartext http/1.1, direct',
      head: 'TLS http/1.1, direct',
    });
    // A document from before deployments were recorded was cleartext HTTP/1.1, direct.
    base.environment.deployment = { tls: false, http: 'http/1.1', via: 'none' };
    head.environment.deployment = undefined;
    expect(compare(base, head, DEFAULT_THRESHOLDS, NAMES).environmentDifferences.map((d) => d.field)).not.toContain(
      'deployment',
    );
  });
});
