import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { checkResult } from '../../src/document/result-check.js';
import type { AbsoluteThreshold } from '../../src/document/threshold-check.js';
import { compare } from '../../src/report/compare/compare.js';
import { FIGURES } from '../../src/report/compare/figures.js';
import { DEFAULT_THRESHOLDS } from '../../src/report/compare/thresholds.js';
import { serialize as html } from '../../src/report/exporters/html.js';
import { serialize as markdown } from '../../src/report/exporters/markdown.js';
import { serialize as table } from '../../src/report/exporters/table.js';
import { summarizeFigure } from '../../src/report/figure-summary.js';
import { thresholdLines } from '../../src/report/thresholds/describe.js';
import { holds, judgeThresholds } from '../../src/report/thresholds/judge.js';
import { parseThreshold } from '../../src/report/thresholds/parse.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';
import { fixture as comparePair, NAMES } from '../helpers/compare.js';
import { load, nothingDelivered, section, transport } from '../helpers/exporters.js';

const repeated = load<RunResult>('result-repeat3.json');

function thresholds(...expressions: string[]): AbsoluteThreshold[] {
  return expressions.map((expression) => {
    const parsed = parseThreshold(expression, TRANSPORT_NAMES);
    if (!parsed.ok) throw new Error(parsed.problem);
    return { ...parsed.value, source: 'flag' };
  });
}

/** `expression technique=value:pass` for every outcome. */
function outcomes(result: RunResult, ...expressions: string[]): string[] {
  return judgeThresholds(result, thresholds(...expressions)).flatMap((check) =>
    check.results.map((r) => `${check.expression} ${r.transport}=${r.value}:${r.pass}`),
  );
}

describe('a figure over the repetitions, as compare reads it', () => {
  it('is the median of the repetitions, the worst for lost', () => {
    const result = repeated();
    const sse = transport(result, 'sse');
    sse.repetitions![1]!.delivery.lost = 2;
    expect(summarizeFigure(sse, FIGURES.p99)).toBe(6.215);
    expect(summarizeFigure(sse, FIGURES.lost)).toBe(2);
    // The headline is one repetition: its own lost is 0, the worst is what counts.
    expect(sse.delivery.lost).toBe(0);
  });

  it('leaves out a generator-bound repetition from a latency while others are not, and a cut-short one', () => {
    const result = repeated();
    const sse = transport(result, 'sse');
    sse.repetitions![0]!.generator.bound = true;
    expect(summarizeFigure(sse, FIGURES.p99)).toBeCloseTo((9.751 + 5.399) / 2, 9);
    for (const repetition of sse.repetitions!) repetition.generator.bound = true;
    expect(summarizeFigure(sse, FIGURES.p99)).toBe(6.215);
    const websocket = transport(result, 'websocket');
    websocket.repetitions![2]!.partial = true;
    expect(summarizeFigure(websocket, FIGURES.p99)).toBeCloseTo((4.259 + 5.307) / 2, 9);
  });

  it('is null when no repetition measured it', () => {
    const websocket = nothingDelivered(transport(load<RunResult>('result-notify.json')(), 'websocket'));
    expect(summarizeFigure(websocket, FIGURES.p99)).toBeNull();
    expect(summarizeFigure(websocket, FIGURES.lost)).toBe(0);
  });
});

describe('judging thresholds', () => {
  it.each([
    ['<', 6, false],
    ['<', 7, true],
    ['<=', 6.215, true],
    ['<', 6.215, false],
    ['>', 6.215, false],
    ['>=', 6.215, true],
    ['==', 6.215, true],
    ['==', 6.2, false],
  ] as const)('%s %d holds for 6.215: %s', (comparator, limit, expected) => {
    expect(holds(6.215, comparator, limit)).toBe(expected);
  });

  it('judges every technique of the run without a prefix, and only the named one with one', () => {
    expect(outcomes(repeated(), 'p99<7ms', 'sse:p99<6ms')).toEqual([
      'p99<7ms sse=6.215:true',
      'p99<7ms websocket=4.259:true',
      'sse:p99<6ms sse=6.215:false',
    ]);
    const [all, sse] = judgeThresholds(repeated(), thresholds('p99<7ms', 'sse:p99<6ms'));
    expect([all!.pass, sse!.pass]).toEqual([true, false]);
    expect(sse).toMatchObject({
      figure: 'p99',
      transport: 'sse',
      comparator: '<',
      limit: 6,
      unit: 'ms',
      source: 'flag',
    });
  });

  it('fails a figure that was not measured, and a named technique the document lacks', () => {
    const result = repeated();
    result.transports[1] = nothingDelivered(result.transports[1]!);
    delete result.transports[1]!.repetitions;
    const checks = judgeThresholds(result, thresholds('p99<1s', 'short-polling:lost==0'));
    expect(checks.map((check) => check.pass)).toEqual([false, false]);
    expect(checks[0]!.results.map((r) => [r.transport, r.value, r.pass])).toEqual([
      ['sse', 6.215, true],
      ['websocket', null, false],
    ]);
    expect(checks[1]!.results).toEqual([{ transport: 'short-polling', value: null, pass: false }]);
  });

  it('fails a threshold with no technique to judge', () => {
    const result = { ...repeated(), transports: [] };
    expect(judgeThresholds(result, thresholds('lost==0'))[0]).toMatchObject({ results: [], pass: false });
  });
});

describe('judged thresholds in the reports', () => {
  function judged(): RunResult {
    const result = repeated();
    result.transports[1] = { ...nothingDelivered(result.transports[1]!), repetitions: undefined };
    result.thresholds = judgeThresholds(result, thresholds('lost==0', 'sse:bytes_per_msg<100', 'p99<50ms'));
    return result;
  }

  it('prints one line per threshold and technique, with its mark and measured value', () => {
    expect(thresholdLines(judged().thresholds!)).toEqual([
      'Thresholds (from --threshold): 2 of 3 failed',
      '  ✓ lost==0                sse        0',
      '  ✓ lost==0                websocket  0',
      '  ✗ sse:bytes_per_msg<100  sse        188 B',
      '  ✓ p99<50ms               sse        6.22 ms',
      '  ✗ p99<50ms               websocket  not measured',
    ]);
  });

  it('ends the terminal table with them, and leaves a run without thresholds as it was', () => {
    const result = judged();
    expect(table(result).endsWith(`${thresholdLines(result.thresholds!).join('\n')}\n`)).toBe(true);
    delete result.thresholds;
    expect(table(result)).not.toContain('Thresholds');
    expect(markdown(result)).not.toContain('Thresholds');
    expect(html(result)).not.toContain('Thresholds');
  });

  it('gives them a section in Markdown and HTML', () => {
    const result = judged();
    const part = section(markdown(result), 'Thresholds');
    expect(part).toContain('Thresholds (from --threshold): 2 of 3 failed.');
    expect(part).toContain('| sse:bytes\\_per\\_msg\\<100 | sse | 188 B | ✗ fail |');
    expect(part).toContain('| p99\\<50ms | websocket | not measured | ✗ fail |');
    const page = html(result);
    expect(page).toContain('<h2>Thresholds</h2>');
    expect(page).toContain(
      '<tr><td><code>sse:bytes_per_msg&lt;100</code></td><td class="text">sse</td><td>188 B</td><td class="text"><span class="flag">✗ fail</span></td></tr>',
    );
  });

  it('says where they came from', () => {
    const result = repeated();
    const fromFile = thresholds('lost==0').map((t) => ({ ...t, source: 'scenario' as const }));
    expect(thresholdLines(judgeThresholds(result, fromFile))[0]).toBe(
      "Thresholds (from the scenario file's thresholds): the one passed",
    );
  });
});

describe('a loaded document’s thresholds', () => {
  it('are read back as written, and refused, naming the field, when malformed', () => {
    const result = repeated();
    result.thresholds = judgeThresholds(result, thresholds('lost==0', 'sse:p99<1ms'));
    const reloaded = JSON.parse(JSON.stringify(result)) as unknown;
    expect(checkResult(reloaded, 'r.json', TRANSPORT_NAMES).thresholds).toEqual(result.thresholds);
    (result.thresholds[1]!.results[0] as { value: unknown }).value = '6 ms';
    expect(() => checkResult(result, 'r.json', TRANSPORT_NAMES)).toThrow(
      'r.json: thresholds[1].results: expected a list of {transport, value, pass}, got [{"transport":"sse","value":"6 ms","pass":false}]',
    );
    (result as { thresholds: unknown }).thresholds = [{ expression: 'lost==0', unit: 'parsecs' }];
    expect(() => checkResult(result, 'r.json', TRANSPORT_NAMES)).toThrow(
      'r.json: thresholds[0].unit: expected one of ms, msg/s, B, req, µs, copies, got "parsecs"',
    );
  });
});

describe('compare and thresholds', () => {
  it('compares documents whose thresholds differ: they are the gate of a run, not what it measured', () => {
    const base = comparePair('pass', 'base');
    const head = comparePair('pass', 'head');
    head.thresholds = judgeThresholds(head, thresholds('p99<1ms', 'sse:lost==0'));
    expect(head.thresholds.some((check) => !check.pass)).toBe(true);
    const comparison = compare(base, head, DEFAULT_THRESHOLDS, NAMES);
    expect(comparison.exitCode).toBe(0);
    expect(comparison.scenarioDifferences).toEqual([]);
  });
});
