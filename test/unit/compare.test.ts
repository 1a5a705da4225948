import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ImBenchError } from '../../src/core/errors.js';
import {
  loadResult,
  parseResult,
  REQUIRED_FIGURES,
  REQUIRED_SCENARIO_FIELDS,
} from '../../src/document/result-check.js';
import { SCENARIO_RULES } from '../../src/report/compare/comparability.js';
import { FIGURES } from '../../src/report/compare/figures.js';
import { compare } from '../../src/report/compare/compare.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';
import { serialize as toJson } from '../../src/report/compare/format-json.js';
import { serialize as toMarkdown } from '../../src/report/compare/format-markdown.js';
import { serialize as toTable } from '../../src/report/compare/format-table.js';
import { DEFAULT_THRESHOLD_SPEC, DEFAULT_THRESHOLDS, parseThresholds } from '../../src/report/compare/thresholds.js';
import type { RunResult, TransportResult } from '../../src/document/result.js';
import { validateResult } from '../helpers/result-schema.js';
import type { TransportName } from '../../src/document/scenario.js';
import type { FigureComparison, Comparison } from '../../src/document/comparison.js';

type Case = 'pass' | 'regression' | 'noise' | 'schema' | 'scenario';
type Side = 'base' | 'head';

const NAMES = { base: 'base.json', head: 'head.json' };

function fixturePath(pair: Case, side: Side): string {
  return fileURLToPath(new URL(`../fixtures/compare/${pair}/${side}.json`, import.meta.url));
}

function fixture(pair: Case, side: Side): RunResult {
  return parseResult(readFileSync(fixturePath(pair, side), 'utf8'), `${side}.json`, TRANSPORT_NAMES);
}

function comparePair(pair: Case, spec?: string): Comparison {
  return compare(fixture(pair, 'base'), fixture(pair, 'head'), parseThresholds(spec), NAMES);
}

/** Every figure whose verdict is worth a line, as `technique figure: verdict`. */
function flagged(comparison: Comparison): string[] {
  return comparison.techniques.flatMap((technique) =>
    technique.figures
      .filter((figure) => !['ok', 'untracked'].includes(figure.verdict))
      .map((figure) => `${technique.transport} ${figure.figure}: ${figure.verdict}`),
  );
}

function figureOf(
  comparison: Comparison,
  transport: TransportName,
  name: FigureComparison['figure'],
): FigureComparison {
  const figure = comparison.techniques.find((t) => t.transport === transport)?.figures.find((f) => f.figure === name);
  if (figure === undefined) throw new Error(`no ${transport} ${name} in the comparison`);
  return figure;
}

function technique(result: RunResult, name: TransportName): TransportResult {
  return result.transports.find((t) => t.transport === name)!;
}

/** The error a call throws, so that code, exit code and message can all be checked. */
function thrown(action: () => unknown): ImBenchError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ImBenchError);
    return error as ImBenchError;
  }
  throw new Error('expected an ImBenchError, nothing was thrown');
}

async function rejected(action: () => Promise<unknown>): Promise<ImBenchError> {
  const error: unknown = await action().then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ImBenchError);
  return error as ImBenchError;
}

describe('compare fixtures', () => {
  it('are valid result documents, except the sweep that stands in for a wrong schema', () => {
    for (const pair of ['pass', 'regression', 'noise', 'scenario'] as const) {
      for (const side of ['base', 'head'] as const) {
        expect(validateResult(JSON.parse(readFileSync(fixturePath(pair, side), 'utf8'))), `${pair}/${side}`).toEqual(
          [],
        );
      }
    }
  });

  it('pass: small moves stay within their limits, a large fall in CPU is an improvement, exit 0', () => {
    const comparison = comparePair('pass');
    expect(flagged(comparison)).toEqual(['long-polling cpu_per_msg: improved']);
    expect(comparison.exitCode).toBe(0);
    expect(comparison.counts.regressed).toBe(0);
    expect(comparison.onlyInBase).toEqual([]);
    expect(comparison.onlyInHead).toEqual([]);
  });

  it('regression: p99 +40%, three lost copies and +9.8% bytes regress, exit 1', () => {
    const comparison = comparePair('regression');
    expect(flagged(comparison)).toEqual([
      'short-polling bytes_per_msg: regressed',
      'sse p99: regressed',
      'websocket lost: regressed',
    ]);
    expect(comparison.exitCode).toBe(1);
    const p99 = figureOf(comparison, 'sse', 'p99');
    expect(p99).toMatchObject({ base: 2.123, head: 2.972, unit: 'ms', worse: 'up', baseSpread: null });
    expect(p99.relative).toBeCloseTo(0.4, 3);
    expect(p99.threshold).toEqual({ kind: 'percent', limit: 10, text: '+10%', source: 'default' });
    expect(figureOf(comparison, 'websocket', 'lost')).toMatchObject({ base: 0, head: 3, delta: 3, relative: null });
  });

  it('noise: beyond the threshold but inside the base spread of 3 repetitions is noise, exit 0', () => {
    const comparison = comparePair('noise');
    expect(flagged(comparison)).toEqual(['sse p99: noise']);
    expect(comparison.exitCode).toBe(0);
    const p99 = figureOf(comparison, 'sse', 'p99');
    // Medians over the repetitions, and the base's min–max.
    expect(p99).toMatchObject({ base: 6.215, head: 8.7, baseSpread: { min: 5.399, max: 9.751, repetitions: 3 } });
    expect(comparison.techniques.map((t) => [t.baseRepetitions, t.headRepetitions])).toEqual([
      [3, 3],
      [3, 3],
    ]);
  });

  it('noise: the same change regresses once it leaves the base spread', () => {
    const head = fixture('noise', 'head');
    for (const repetition of technique(head, 'sse').repetitions!) repetition.latency.p99 = 12;
    const comparison = compare(fixture('noise', 'base'), head, DEFAULT_THRESHOLDS, NAMES);
    expect(flagged(comparison)).toEqual(['sse p99: regressed']);
    expect(comparison.exitCode).toBe(1);
  });

  it('noise: without repetitions in the base there is no spread, so the threshold alone decides', () => {
    const base = fixture('noise', 'base');
    for (const transport of base.transports) delete transport.repetitions;
    const comparison = compare(base, fixture('noise', 'head'), DEFAULT_THRESHOLDS, NAMES);
    expect(figureOf(comparison, 'sse', 'p99')).toMatchObject({ base: 6.215, verdict: 'regressed', baseSpread: null });
  });

  it('schema: a sweep document is refused, naming the file, exit 2', async () => {
    const error = await rejected(() => loadResult(fixturePath('schema', 'head'), TRANSPORT_NAMES));
    expect(error.code).toBe('IMB_ERR_INVALID_RESULT');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(fixturePath('schema', 'head'));
    expect(error.message).toContain('a sweep document (im-bench/sweep@1), not a run result (im-bench/result@1)');
    await expect(loadResult(fixturePath('schema', 'base'), TRANSPORT_NAMES)).resolves.toMatchObject({
      schema: 'im-bench/result@1',
    });
  });

  it('scenario: a different client count makes the documents incomparable, naming the field and both values, exit 2', () => {
    const error = thrown(() => comparePair('scenario'));
    expect(error.code).toBe('IMB_ERR_INCOMPARABLE');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      'scenario mismatch, the figures would not mean the same thing: clients: 100 in base.json, 50 in head.json',
    );
  });
});

describe('loading a result for compare', () => {
  const text = (): string => readFileSync(fixturePath('pass', 'base'), 'utf8');

  it.each([
    ['{"schema": "im-bench/result@2"}', 'old.json: schema: expected "im-bench/result@1", got "im-bench/result@2"'],
    ['{"transports": []}', 'old.json: schema: expected "im-bench/result@1", got nothing'],
    ['[1, 2]', 'old.json: expected a result document (a JSON object), got an array'],
  ])('refuses %s', (document, message) => {
    const error = thrown(() => parseResult(document, 'old.json', TRANSPORT_NAMES));
    expect(error.message).toBe(message);
    expect(error.exitCode).toBe(2);
  });

  it('refuses text that is not JSON', () => {
    expect(thrown(() => parseResult('{"schema": ', 'old.json', TRANSPORT_NAMES)).message).toMatch(
      /^old\.json: not JSON \(/,
    );
  });

  it('names the first figure that is missing or not a number', () => {
    const document = JSON.parse(text()) as { transports: Array<{ latency: Record<string, unknown> }> };
    document.transports[1]!.latency['p99'] = '3 ms';
    expect(thrown(() => parseResult(JSON.stringify(document), 'old.json', TRANSPORT_NAMES)).message).toBe(
      'old.json: transports[1].latency.p99: expected a number, got "3 ms"',
    );
  });

  it('checks the figures of every repetition too', () => {
    const document = JSON.parse(readFileSync(fixturePath('noise', 'base'), 'utf8')) as {
      transports: Array<{ repetitions: Array<{ delivery: Record<string, unknown> }> }>;
    };
    delete document.transports[0]!.repetitions[2]!.delivery['lost'];
    expect(thrown(() => parseResult(JSON.stringify(document), 'old.json', TRANSPORT_NAMES)).message).toBe(
      'old.json: transports[0].repetitions[2].delivery.lost: expected a number, got nothing',
    );
  });

  it('says when the file cannot be read', async () => {
    const error = await rejected(() => loadResult('/nonexistent/base.json', TRANSPORT_NAMES));
    expect(error.message).toBe('/nonexistent/base.json: cannot read it (ENOENT)');
    expect(error.exitCode).toBe(2);
  });

  it('refuses a technique the registry does not know', () => {
    const document = JSON.parse(text()) as { transports: Array<{ transport: string }> };
    document.transports[1]!.transport = 'carrier-pigeon';
    expect(thrown(() => parseResult(JSON.stringify(document), 'old.json', TRANSPORT_NAMES)).message).toBe(
      `old.json: transports[1].transport: expected one of ${TRANSPORT_NAMES.join(', ')}, got "carrier-pigeon"`,
    );
  });

  it('requires every number compare reads and every scenario field it matches', () => {
    const required = REQUIRED_FIGURES.map((path) => path.join('.'));
    for (const figure of Object.values(FIGURES)) {
      for (const path of [figure.path, figure.measuredWhen])
        if (path !== null) expect(required).toContain(path.join('.'));
    }
    for (const { property } of SCENARIO_RULES) expect(REQUIRED_SCENARIO_FIELDS).toContain(property);
  });
});

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
    const ordinary = reps.map((rep) => rep.latency.p99).sort((a, b) => a - b);
    const widest = reps.reduce((worst, rep) => (rep.latency.p99 > worst.latency.p99 ? rep : worst));
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

describe('verdicts', () => {
  it('a change of exactly the limit passes; one past it fails', () => {
    const base = fixture('pass', 'base');
    const head = fixture('pass', 'base');
    technique(head, 'short-polling').latency.p50 = 480.511 * 1.1;
    technique(head, 'short-polling').bytes.perMessage = 314.2 * 1.0501;
    const comparison = compare(base, head);
    expect(figureOf(comparison, 'short-polling', 'p50').verdict).toBe('ok');
    expect(figureOf(comparison, 'short-polling', 'bytes_per_msg').verdict).toBe('regressed');
  });

  it('never counts a change within the measurement resolution, whatever its share', () => {
    const head = fixture('pass', 'base');
    technique(head, 'websocket').latency.p99 = 1.472 + 0.45; // +31%, but under half a millisecond
    technique(head, 'sse').requests.perMessage = 0.000625; // one reconnect in 1,600 messages, from 0
    const comparison = compare(fixture('pass', 'base'), head);
    expect(figureOf(comparison, 'websocket', 'p99').verdict).toBe('ok');
    expect(figureOf(comparison, 'sse', 'requests_per_msg')).toMatchObject({ relative: null, verdict: 'ok' });
  });

  it('judges throughput by its fall', () => {
    const head = fixture('pass', 'base');
    technique(head, 'sse').delivery.throughputPerSecond = 180;
    technique(head, 'websocket').delivery.throughputPerSecond = 230;
    const comparison = compare(fixture('pass', 'base'), head);
    expect(figureOf(comparison, 'sse', 'throughput')).toMatchObject({ verdict: 'regressed', relative: -0.1 });
    expect(figureOf(comparison, 'websocket', 'throughput').verdict).toBe('improved');
  });

  it('marks figures that need a delivered copy as unmeasured when none was delivered', () => {
    const head = fixture('pass', 'base');
    const sse = technique(head, 'sse');
    sse.delivery = { ...sse.delivery, delivered: 0, deliveredInWindow: 0, lost: 1800, throughputPerSecond: 0 };
    sse.latency = { ...sse.latency, count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
    const comparison = compare(fixture('pass', 'base'), head);
    expect(Object.fromEntries(comparison.techniques[2]!.figures.map((f) => [f.figure, f.verdict]))).toMatchObject({
      p99: 'unmeasured',
      bytes_per_msg: 'unmeasured',
      cpu_per_msg: 'unmeasured',
      throughput: 'regressed',
      lost: 'regressed',
    });
  });

  it('takes the worst repetition for lost copies, so one lossy repetition is not hidden by a median', () => {
    const head = fixture('noise', 'head');
    technique(head, 'websocket').repetitions![1]!.delivery.lost = 2;
    const comparison = compare(fixture('noise', 'base'), head);
    expect(figureOf(comparison, 'websocket', 'lost')).toMatchObject({ base: 0, head: 2, verdict: 'regressed' });
  });

  it('applies user thresholds in place of the defaults', () => {
    expect(comparePair('regression', 'p99=+50%').exitCode).toBe(1);
    const relaxed = comparePair('regression', 'p99=+50%,lost=+5,bytes_per_msg=+10%');
    expect(flagged(relaxed)).toEqual([]);
    expect(relaxed.exitCode).toBe(0);
    expect(figureOf(relaxed, 'websocket', 'lost').threshold).toEqual({
      kind: 'absolute',
      limit: 5,
      text: '+5',
      source: 'user',
    });
    expect(figureOf(comparePair('regression', 'p99=off'), 'sse', 'p99').verdict).toBe('untracked');
  });
});

describe('threshold parsing', () => {
  it('has a documented default for every figure', () => {
    expect(parseThresholds(undefined)).toEqual(DEFAULT_THRESHOLDS);
    expect(parseThresholds('')).toEqual(DEFAULT_THRESHOLDS);
    expect(DEFAULT_THRESHOLD_SPEC).toBe(
      'p50=+10%,p90=+10%,p99=+10%,max=off,throughput=-5%,bytes_per_msg=+5%,requests_per_msg=+5%,cpu_per_msg=+15%,rss_per_conn=+20%,lost=+0,connect_p99=off',
    );
  });

  it('overrides the figures it names and keeps the other defaults', () => {
    const thresholds = parseThresholds(' p99=+20% , cpu_per_msg=off,max=+50%,throughput=-2.5%,connect_p99=+3 ');
    expect(thresholds.p99).toEqual({ kind: 'percent', limit: 20, text: '+20%', source: 'user' });
    expect(thresholds.cpu_per_msg).toBeNull();
    expect(thresholds.max).toEqual({ kind: 'percent', limit: 50, text: '+50%', source: 'user' });
    expect(thresholds.throughput).toEqual({ kind: 'percent', limit: -2.5, text: '-2.5%', source: 'user' });
    expect(thresholds.connect_p99).toEqual({ kind: 'absolute', limit: 3, text: '+3', source: 'user' });
    expect(thresholds.p50).toBe(DEFAULT_THRESHOLDS.p50);
    expect(thresholds.lost).toBe(DEFAULT_THRESHOLDS.lost);
  });

  it.each([
    ['p99=10', 'expected NAME=+N% or NAME=-N% (NAME=+N for an absolute limit, NAME=off for none), got "p99=10"'],
    ['p99', 'expected NAME=+N% or NAME=-N% (NAME=+N for an absolute limit, NAME=off for none), got "p99"'],
    ['p99=+10%%', 'got "p99=+10%%"'],
    [
      'p98=+10%',
      'expected a figure name before "=", one of p50, p90, p99, max, throughput, bytes_per_msg, requests_per_msg, cpu_per_msg, rss_per_conn, lost, connect_p99, got "p98=+10%"',
    ],
    ['throughput=+5%', 'expected throughput=-N%: throughput gets worse as it falls, got "throughput=+5%"'],
    ['lost=-1', 'expected lost=+N: lost gets worse as it rises, got "lost=-1"'],
    ['throughput=-150%', 'with N at most 100'],
    ['p50=+5%,p99=+10%,p50=+8%', 'expected each figure once; p50 is given twice, got "p50=+8%"'],
  ])('refuses %s, naming the item', (spec, message) => {
    const error = thrown(() => parseThresholds(spec));
    expect(error.code).toBe('IMB_ERR_INVALID_OPTION');
    expect(error.exitCode).toBe(2);
    expect(error.message.startsWith('--threshold: ')).toBe(true);
    expect(error.message).toContain(message);
  });
});

describe('comparison formats', () => {
  it('table: renders the regression pair', () => {
    expect(toTable(comparePair('regression'))).toMatchSnapshot();
  });

  it('table: renders the noise pair, with the base range', () => {
    expect(toTable(comparePair('noise'))).toMatchSnapshot();
  });

  it('table: names the documents, then sums up, with no colours', () => {
    const lines = toTable(comparePair('regression')).split('\n');
    expect(lines[0]).toBe(
      'Scenario notify: base.json (72e48da, 2025-06-03 09:14) → head.json (9c1d4e7, 2025-06-04 10:02)',
    );
    expect(lines[1]).toBe(
      '3 regressions beyond thresholds: short-polling bytes_per_msg +9.8% (limit +5%), sse p99 +40% (limit +10%), websocket lost +3 (limit +0).',
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what a colour code starts with
    expect(lines.join('\n')).not.toMatch(/\x1b\[/);
    expect(lines.find((line) => line.includes('latency p99') && line.includes('2.97 ms'))).toMatch(
      /\+40% \(\+0\.85 ms\) .* \+10% .* REGRESSED/,
    );
  });

  it('table: says why a noise verdict did not fail', () => {
    const text = toTable(comparePair('noise'));
    expect(text.split('\n')[1]).toBe(
      "No regression beyond thresholds; 1 change beyond thresholds but within the base's spread, not counted (noise): sse p99 +40% (limit +10%).",
    );
    expect(text).toContain(
      "  sse p99: noise, beyond its threshold but within the base's spread over 3 repetitions (5.40 ms – 9.75 ms)",
    );
  });

  it('table: without regressions says so, and asks for repetitions when the base has none', () => {
    const text = toTable(comparePair('pass'));
    expect(text.split('\n')[1]).toBe('No regression beyond thresholds.');
    expect(text).toContain('base.json has a single repetition: there is no spread to tell noise from change');
  });

  it('markdown: renders the regression and noise pairs', () => {
    expect(toMarkdown(comparePair('regression'))).toMatchSnapshot();
    expect(toMarkdown(comparePair('noise'))).toMatchSnapshot();
  });

  it('markdown: a heading with the outcome, the summary in bold, regressions marked ❌ and noise ⚠️', () => {
    const regression = toMarkdown(comparePair('regression')).split('\n');
    expect(regression[0]).toBe('## ❌ im-bench compare');
    expect(regression[2]).toMatch(/^\*\*3 regressions beyond thresholds: .*\*\*$/);
    expect(regression).toContain('| ❌ | latency p99 | 2.12 ms | 2.97 ms | +40% (+0.85 ms) | +10% | **regressed** |');
    expect(regression).toContain('| ❌ | lost copies | 0 | 3 | +3 | +0 | **regressed** |');

    const noise = toMarkdown(comparePair('noise')).split('\n');
    expect(noise[0]).toBe('## ✅ im-bench compare');
    expect(noise).toContain(
      "| ⚠️ | latency p99 | 6.22 ms | 8.70 ms | +40% (+2.48 ms) | +10% | noise: beyond the limit, within the base's spread (5.40 ms – 9.75 ms, 3 repetitions) |",
    );
  });

  it("markdown: folds away techniques with nothing to flag, and every table row has the header row's columns", () => {
    const text = toMarkdown(comparePair('regression'));
    expect(text).toContain('<summary><b>long-polling</b>: every figure within its limit</summary>');
    expect(text).toContain('### sse');
    const rows = text.split('\n').filter((line) => line.startsWith('|'));
    expect(rows.length).toBe(4 * 13);
    for (const row of rows) expect(row.split('|').length).toBe(9);
  });

  it('json: the Comparison object itself, stable and versioned', () => {
    const comparison = comparePair('noise');
    const text = toJson(comparison);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(comparison);
    const document = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(document)).toEqual([
      'schema',
      'base',
      'head',
      'scenario',
      'scenarioDifferences',
      'environmentDifferences',
      'thresholds',
      'techniques',
      'onlyInBase',
      'onlyInHead',
      'skipped',
      'counts',
      'exitCode',
    ]);
    expect(document).toMatchObject({ schema: 'im-bench/compare@1', exitCode: 0, counts: { regressed: 0, noise: 1 } });
    expect(figureOf(comparison, 'sse', 'p99')).toMatchSnapshot();
  });

  it('json: writes an unmeasured change as null, never as Infinity or NaN', () => {
    const head = fixture('pass', 'base');
    technique(head, 'sse').requests.perMessage = 0.5;
    const text = toJson(compare(fixture('pass', 'base'), head));
    expect(text).not.toMatch(/Infinity|NaN/);
    expect(figureOf(JSON.parse(text) as Comparison, 'sse', 'requests_per_msg')).toMatchObject({
      relative: null,
      delta: 0.5,
      verdict: 'regressed',
    });
  });
});
