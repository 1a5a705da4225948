import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { serialize as toMarkdown } from '../../src/report/exporters/markdown.js';
import { findings, load, section, transport } from '../helpers/exporters.js';

const notify = load<RunResult>('result-notify.json');

describe('markdown exporter (run)', () => {
  it('names the technique with the lowest p99 from the data, not from the fixture', () => {
    expect(findings(toMarkdown(notify()))[0]).toBe(
      "websocket had the lowest p99 latency, 1.47 ms; sse's was 1.4× that (2.12 ms), long-polling's 2.0× (2.98 ms), short-polling's 672× (990 ms).",
    );
    const result = notify();
    transport(result, 'sse').latency.p99 = 0.5;
    expect(findings(toMarkdown(result))[0]).toMatch(
      /^sse had the lowest p99 latency, 0\.50 ms; websocket's was 2\.9× that \(1\.47 ms\)/,
    );
  });

  it('leaves a generator-bound technique out of the latency comparison and says why', () => {
    const result = notify();
    transport(result, 'websocket').generator.bound = true;
    const text = toMarkdown(result);
    const lines = findings(text);
    expect(lines[0]).toMatch(/^sse had the lowest p99 latency, .* \(websocket left out: generator-bound\)\.$/);
    expect(lines).toContain(
      'websocket was generator-bound: its latencies describe the load generator, not the server.',
    );
    expect(text).toMatch(/^- ⚠ websocket: generator-bound \(event-loop delay p99 2\.80 ms/m);
  });

  it('counts short polling requests and empty answers from the figures', () => {
    const result = notify();
    transport(result, 'short-polling').requests.empty = 200;
    expect(findings(toMarkdown(result))).toContain(
      'short-polling sent 0.50 requests per delivered message (800 in the window); 200 of them (25 %) came back empty.',
    );
  });

  it('compares bytes per message of the cheapest and the dearest technique', () => {
    expect(findings(toMarkdown(notify()))).toContain(
      'Bytes on the wire per delivered message ranged from 184 B (websocket, 1.8× the payload) to 469 B (long-polling, 4.7× the payload): 2.6× as much.',
    );
  });

  it('reports loss instead of claiming none', () => {
    const clean = findings(toMarkdown(notify()));
    expect(clean).toContain('No technique lost or duplicated a message.');
    const result = notify();
    transport(result, 'sse').delivery.lost = 5;
    const text = toMarkdown(result);
    expect(findings(text)).toContain('sse lost 5 of 1,800 copies (0.3 %).');
    expect(findings(text)).not.toContain('No technique lost or duplicated a message.');
    expect(text).toContain('- ⚠ sse: 5 of 1,800 copies lost');
  });

  it('marks a model check that strays past the tolerance with ⚠, and says so', () => {
    expect(toMarkdown(notify())).not.toMatch(/% ⚠/);
    const result = notify();
    transport(result, 'websocket').bytes.perMessage = 400;
    const text = toMarkdown(result);
    const websocket = section(text, 'Model beside measurement').split('### websocket')[1]!;
    expect(websocket).toContain('| bytes / msg | E + frame header | 174 B | 400 B | +129.9 % ⚠ | ±25 % |');
    expect(findings(text)).toContain(
      "websocket's bytes / msg strayed from its model (E + frame header): 400 B measured, 174 B predicted (+129.9 %, tolerance ±25 %).",
    );
    expect(findings(text)).not.toContainEqual(expect.stringMatching(/^Every figure the model predicts/));
  });

  it('shows a prediction too small to judge without a ⚠', () => {
    const shortPolling = section(toMarkdown(notify()), 'Model beside measurement').split('### long-polling')[0]!;
    expect(shortPolling).toContain(
      '| empty responses | requests × P(no message in I) | 0 | 3 | +∞ (too small to judge) | ±25 % |',
    );
  });
});

describe('markdown exporter: the model beside measurement, from measured H and E', () => {
  it('prints under each technique the H and E its model took from the run', () => {
    const model = section(toMarkdown(notify()), 'Model beside measurement');
    expect(model.split('### long-polling')[0]).toContain(
      'Measured inputs: H200 285 B · H204 322 B · E 170 B · other 1.50 B/msg.',
    );
    expect(model.split('### websocket')[1]).toContain('Measured inputs: E 170 B · other 13.7 B/msg.');
  });

  it('flags the HTTP bytes of a run with bytes in no head and no envelope, at the accounting tolerance', () => {
    const result = notify();
    const polling = transport(result, 'long-polling');
    // 30 bytes an answer that no head, envelope or separator accounts for: 6.4 %, over the 5 % of an account.
    polling.bytes.wire!.otherBytes += 30 * polling.delivery.deliveredInWindow;
    polling.bytes.perMessage! += 30;
    const text = toMarkdown(result);
    const longPolling = section(text, 'Model beside measurement').split('### long-polling')[1]!.split('###')[0]!;
    expect(longPolling).toContain(
      '| bytes / msg | requests/msg × H + E + separators | 469 B | 499 B | +6.4 % ⚠ | ±5 % |',
    );
    expect(longPolling).toContain('other 32.1 B/msg');
    expect(findings(text)).toContainEqual(expect.stringMatching(/^long-polling's bytes \/ msg strayed from its model/));
  });

  it('shows the bytes prediction as not measured, never from a constant, for a document without H and E', () => {
    const result = notify();
    for (const t of result.transports) delete t.bytes.wire;
    const text = toMarkdown(result);
    const shortPolling = section(text, 'Model beside measurement').split('### long-polling')[0]!;
    expect(shortPolling).toContain(
      '| bytes / msg | requests/msg × H + E + separators | not measured | 314 B | – | ±5 % |',
    );
    expect(shortPolling).toContain('Measured inputs: H and E not measured');
    expect(text).not.toMatch(/% ⚠/);
  });
});
