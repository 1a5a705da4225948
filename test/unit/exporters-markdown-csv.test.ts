import { describe, expect, it } from 'vitest';
import {
  csvField,
  flattenFigures,
  serialize as toCsv,
  serializeSweep as sweepToCsv,
} from '../../src/report/exporters/csv.js';
import { serialize as toMarkdown, serializeSweep as sweepToMarkdown } from '../../src/report/exporters/markdown.js';
import type { RunResult } from '../../src/document/result.js';
import { ROWS } from '../../src/report/rows.js';
import type { SweepResult } from '../../src/document/sweep.js';
import type { TransportName } from '../../src/document/scenario.js';
import { findings, load, section, transport } from '../helpers/exporters.js';

const notify = load<RunResult>('result-notify.json');
const repeat3 = load<RunResult>('result-repeat3.json');
const sweep = load<SweepResult>('sweep-clients.json');

/** CSV records, split on the RFC 4180 line ending (no field in these documents spans lines). */
function records(csv: string): string[] {
  expect(csv.endsWith('\r\n')).toBe(true);
  return csv.slice(0, -2).split('\r\n');
}

describe('markdown exporter (run)', () => {
  it('renders the four-technique fixture', () => {
    expect(toMarkdown(notify())).toMatchSnapshot();
  });

  it('renders the --repeat 3 fixture', () => {
    expect(toMarkdown(repeat3())).toMatchSnapshot();
  });

  it("is titled by what was run, not by the scenario file's description", () => {
    const result = notify();
    result.scenario.clients = 30;
    result.scenario.rate = 12.5;
    expect(toMarkdown(result).split('\n')[0]).toBe('# im-bench: notify, 30 clients at 12.5 msg/s');
  });

  it('has a heading, the environment, the key settings and the same rows as the terminal table', () => {
    const text = toMarkdown(notify());
    expect(text.split('\n')[0]).toBe('# im-bench: notify, 100 clients at 2 msg/s');
    expect(text).toContain('**Environment:** im-bench 0.1.0 · Node v20.19.2 · Linux 6.8.0-60-generic (x64) · ');
    expect(text).toContain(
      'server on CPU 2, generator on CPUs 4-7 · git 72e48da3c1f9b6e0d4a2e8c7b5f3a1d9e6c4b2a0 · 2025-06-03 09:14 UTC',
    );
    expect(text).toContain(
      '**Scenario:** 100 clients · 2 msg/s constant · 100 B payload · 8s window after 1s warm-up · polls every 1s · long polls held up to 25s\n',
    );
    expect(text).toContain(
      '|  | short-polling | long-polling | sse | websocket |\n| :--- | ---: | ---: | ---: | ---: |',
    );
    for (const [label] of ROWS) expect(text).toMatch(new RegExp(`^\\| ${label.replace(/[()]/g, '\\$&')} \\|`, 'm'));
    expect(text).toContain('| latency p99 (ms) | 990 | 2.98 | 2.12 | 1.47 |');
  });

  it('shows median and range over repetitions, and whether the p99 ranges overlap', () => {
    const text = toMarkdown(repeat3());
    const across = section(text, 'Across 3 repetitions');
    expect(across).toContain('| latency p99 (ms) | 6.22 (5.40–9.75) | 4.26 (3.82–5.31) |');
    expect(across).toContain('| bytes / msg | 188 B (all equal) | 171 B (all equal) |');
    expect(findings(text)[0]).toMatch(
      /Over every repetition its p99 \(3\.82–5\.31 ms\) stayed below sse's \(5\.40–9\.75 ms\)\.$/,
    );

    const result = repeat3();
    transport(result, 'websocket').repetitions![1]!.latency.p99 = 7;
    expect(findings(toMarkdown(result))[0]).toMatch(
      /their p99 ranges overlap \(websocket 3\.82–7\.00 ms, sse 5\.40–9\.75 ms\): the order between them may be noise\.$/,
    );
  });

  it('has no repetitions section for a single run', () => {
    expect(toMarkdown(notify())).not.toContain('## Across');
    expect(toMarkdown(notify())).not.toContain('run 3 times');
    expect(toMarkdown(repeat3())).toContain('· each technique run 3 times');
  });

  it('says when the run was aborted, and escapes text that Markdown would read as markup', () => {
    const result = notify();
    result.aborted = true;
    result.transports = result.transports.slice(0, 2);
    result.transports[1]!.partial = true;
    result.transports[1]!.windowSeconds = 2.5;
    result.transports[1]!.errorSamples = ['<b>bad</b> | *gateway*'];
    const text = toMarkdown(result);
    expect(text.split('\n\n')[1]).toBe(
      '> ⚠ Aborted: long-polling was stopped 2.5 s into its window; techniques after it did not run.',
    );
    expect(text).toContain('(first: \\<b\\>bad\\</b\\> \\| \\*gateway\\*)');
    expect(text).not.toMatch(/(^|[^\\])<[a-z/]/im);
  });
});

describe('markdown exporter (sweep)', () => {
  it('renders the client sweep fixture', () => {
    expect(sweepToMarkdown(sweep())).toMatchSnapshot();
  });

  it('has one table per curve, one row per value and one column per technique', () => {
    const text = sweepToMarkdown(sweep());
    expect(text).toContain('**Swept:** clients: 10, 50, 200');
    expect(text).toContain('**Base scenario:** 5 msg/s constant · ');
    for (const heading of [
      'p99 latency (ms)',
      'Throughput (delivered msg/s)',
      'Server CPU (% of a core)',
      'Server RSS per connection (KiB)',
      'Requests / s',
      'Bytes / msg',
    ]) {
      const rows = section(text, heading)
        .split('\n')
        .filter((line) => line.startsWith('|'));
      expect(rows, heading).toHaveLength(5);
      expect(rows[0]).toBe('| clients | short-polling | long-polling | sse | websocket |');
    }
    expect(section(text, 'p99 latency (ms)')).toContain('| 200 | 495 | 26.8 | 15.4 | 14.2 |');
  });

  it('derives p99 growth, generator-bound values and loss from the series', () => {
    expect(findings(sweepToMarkdown(sweep()))).toContain(
      'websocket: p99 grew from 3.47 ms at 10 clients to 14.2 ms at 200 clients (4.1×).',
    );
    const result = sweep();
    const websocket = result.series.websocket!;
    websocket[2]!.latencyP99Ms = 34.7;
    websocket[2]!.generatorBound = true;
    websocket[1]!.lost = 3;
    const text = sweepToMarkdown(result);
    const lines = findings(text);
    expect(lines).toContain('websocket: p99 grew from 3.47 ms at 10 clients to 34.7 ms at 200 clients (10.0×).');
    expect(lines).toContain(
      'websocket was generator-bound at 200 clients: its latencies there describe the load generator, not the server.',
    );
    expect(lines).toContain('websocket lost messages at 50 clients (3 copies).');
    expect(lines).toContain('At 200 clients, sse had the lowest p99 (15.4 ms), short-polling the highest (495 ms).');
    expect(lines).not.toContain('No technique lost a message or went generator-bound at any value.');
    expect(section(text, 'p99 latency (ms)')).toContain('| 200 | 495 | 26.8 | 15.4 | 34.7 ⚠ |');
  });
});

describe('csv exporter', () => {
  it('renders the fixtures', () => {
    expect(toCsv(notify())).toMatchSnapshot();
    expect(sweepToCsv(sweep())).toMatchSnapshot();
  });

  it('writes one row per technique per numeric figure, histograms and error samples left out', () => {
    const result = notify();
    const figures = flattenFigures(result.transports[0]!).map(([name]) => name);
    expect(figures).toEqual(
      expect.arrayContaining([
        'latency.p99',
        'bytes.perMessage',
        'requests.empty',
        'server.cpuMicrosPerMessage',
        'generator.bound',
      ]),
    );
    expect(figures.some((name) => /histogram|errorSamples|transport|repetitions/i.test(name))).toBe(false);
    const lines = records(toCsv(result));
    expect(lines[0]).toBe('technique,figure,value,unit');
    expect(lines).toHaveLength(1 + result.transports.length * figures.length);
    expect(lines).toContain('websocket,latency.p99,1.472,ms');
    expect(lines).toContain('long-polling,bytes.perMessage,468.9,B/msg');
    expect(lines).toContain('sse,server.cpuMicrosPerMessage,14.8,us/msg');
    expect(lines).toContain('sse,generator.bound,0,bool');
  });

  it('quotes fields as RFC 4180 says', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    const result = notify();
    result.transports[0]!.transport = 'short,polling' as TransportName;
    expect(records(toCsv(result))[1]).toBe('"short,polling",partial,0,bool');
  });

  it('adds a repetition column: empty for the headline, 1..N for each repetition', () => {
    const result = repeat3();
    const perTechnique = flattenFigures(result.transports[0]!).length;
    const lines = records(toCsv(result));
    expect(lines[0]).toBe('technique,figure,value,unit,repetition');
    expect(lines).toHaveLength(1 + result.transports.length * perTechnique * 4);
    const p99 = lines.filter((line) => line.startsWith('sse,latency.p99,'));
    expect(p99).toEqual([
      'sse,latency.p99,6.215,ms,',
      'sse,latency.p99,6.215,ms,1',
      'sse,latency.p99,9.751,ms,2',
      'sse,latency.p99,5.399,ms,3',
    ]);
  });

  it('writes a sweep as one row per technique per value per figure', () => {
    const document = sweep();
    const lines = records(sweepToCsv(document));
    expect(lines[0]).toBe('technique,parameter,value,figure,result,unit');
    expect(lines).toHaveLength(1 + 4 * document.values.length * 12);
    expect(lines).toContain('websocket,clients,200,latencyP99Ms,14.247,ms');
    expect(lines).toContain('short-polling,clients,50,generatorBound,0,bool');
  });
});
