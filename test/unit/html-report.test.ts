import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nothingDelivered } from '../helpers/exporters.js';
import { serialize, serializeSweep } from '../../src/report/exporters/html.js';
import { percentileCurve, supportedNines } from '../../src/report/exporters/html/run-page.js';
import type { RunResult } from '../../src/document/result.js';
import type { SweepResult } from '../../src/document/sweep.js';
import { escapeXml } from '../../src/report/svg/escape.js';
import { rssPerConnectionIsNoise } from '../../src/report/rss-noise.js';
import { linearTicks, logTicks } from '../../src/report/svg/ticks.js';

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

const REPORTS = {
  'result-notify': () => serialize(load<RunResult>('result-notify.json')),
  'result-repeat3': () => serialize(load<RunResult>('result-repeat3.json')),
  'sweep-clients': () => serializeSweep(load<SweepResult>('sweep-clients.json')),
};

/** A run: the latency percentile chart and four cost bar charts; a sweep: four curves. */
const CHARTS: Record<keyof typeof REPORTS, number> = { 'result-notify': 5, 'result-repeat3': 5, 'sweep-clients': 4 };

function charts(html: string): string[] {
  return html.match(/<svg\b[^>]*\bclass="chart"[^>]*>[\s\S]*?<\/svg>/g) ?? [];
}

describe.each(Object.keys(REPORTS) as Array<keyof typeof REPORTS>)('html report of %s', (name) => {
  const html = REPORTS[name]();

  it('is one self-contained page: no script, no URL outside an xmlns attribute', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html.replace(/\sxmlns="[^"]*"/g, '')).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<(img|link|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/url\(|@import|@font-face/i);
  });

  it('has one svg.chart per chart, each with a title', () => {
    const found = charts(html);
    expect(found).toHaveLength(CHARTS[name]);
    for (const chart of found) expect(chart).toMatch(/^<svg[^>]*>\s*<title>[^<]+<\/title>/);
  });
});

describe('html report of a run', () => {
  it('shows the rows of the terminal table with the same figures', () => {
    const html = serialize(load<RunResult>('result-notify.json'));
    for (const label of [
      'delivered msg/s',
      'latency p99 (ms)',
      'bytes / msg (× payload)',
      'server RSS / conn (KiB)',
      'generator-bound',
    ]) {
      expect(html).toContain(`<th scope="row">${escapeXml(label)}</th>`);
    }
    expect(html).toContain('<td>314 B (3.1×)</td>');
  });

  it('escapes text from the document', () => {
    const result = load<RunResult>('result-notify.json');
    result.scenario.name = '<&> <b> "c"';
    result.scenario.description = '<script>alert(1)</script>';
    result.transports[1]!.errorSamples = ['<img src=x onerror=alert(1)>'];
    const html = serialize(result);
    expect(html).toContain('<h1>im-bench: &lt;&amp;&gt; &lt;b&gt; &quot;c&quot;, 100 clients at 2 msg/s</h1>');
    expect(html).toContain('<title>im-bench: &lt;&amp;&gt; &lt;b&gt; &quot;c&quot;, 100 clients at 2 msg/s</title>');
    expect(html).not.toContain('<b>');
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('shows the range over repetitions beside the headline figure', () => {
    const result = load<RunResult>('result-repeat3.json');
    const html = serialize(result);
    const sse = result.transports.find((t) => t.transport === 'sse')!;
    const p99 = sse.repetitions!.map((r) => r.latency.p99!);
    expect(html).toContain(`<span class="range">${Math.min(...p99).toFixed(2)}–${Math.max(...p99).toFixed(2)}</span>`);
    expect(html).toContain('median p99');
  });

  it('sets the model beside the measurement, flagged rows marked', () => {
    const result = load<RunResult>('result-notify.json');
    result.transports[3]!.bytes.perMessage! *= 2;
    const html = serialize(result);
    expect(html).toContain('Model beside measurement');
    expect(html).toContain('<code>E + frame header</code>');
    expect(html.match(/class="flag"/g)).toHaveLength(1);
    expect(html).toMatch(/<td class="flag">\+[\d.]+ % ⚑<\/td>/);
    expect(html).toContain('Measured inputs: H200 285 B · H204 322 B · E 170 B · other 1.50 B/msg');
    expect(html).toContain('<td>±5 %</td>');
    for (const t of result.transports) delete t.bytes.wire;
    const older = serialize(result);
    expect(older).toContain('<td>not measured</td>');
    expect(older).toContain('Measured inputs: H and E not measured');
  });

  it('lists caveats: aborted, partial, generator-bound, lost, errors', () => {
    const clean = load<RunResult>('result-notify.json');
    clean.transports[1]!.requests.errors = 0;
    expect(serialize(clean)).toContain('None: every technique ran its full window');

    const result = load<RunResult>('result-notify.json');
    result.aborted = true;
    result.transports[2]!.partial = true;
    result.transports[2]!.windowSeconds = 2.5;
    result.transports[3]!.generator.bound = true;
    result.transports[3]!.delivery.lost = 7;
    const html = serialize(result);
    expect(html).toContain('class="banner"');
    expect(html).toContain('Aborted: sse was stopped 2.5 s into its window');
    expect(html).toContain('websocket: generator-bound');
    expect(html).toMatch(/websocket: 7 of [\d,]+ copies lost/);
    expect(html).toContain('long-polling: 1 error (first: socket hang up)');
  });

  it('shows "–" for per-message figures when nothing was delivered', () => {
    const result = load<RunResult>('result-notify.json');
    result.transports[2] = nothingDelivered(result.transports[2]!);
    expect(() => serialize(result)).not.toThrow();
    const html = serialize(result);
    expect(html).toMatch(/<th scope="row">server CPU µs \/ msg<\/th>(<td>[^<]*<\/td>){2}<td>–<\/td>/);
    for (const row of ['latency p50 (ms)', 'latency p99 (ms)', 'latency max (ms)'])
      expect(html).toMatch(
        new RegExp(`<th scope="row">${row.replace(/[()]/g, '\\$&')}</th>(<td>[^<]*</td>){2}<td>–</td>`),
      );
  });
});

describe('html report of a sweep', () => {
  it('plots clients 10–200 on a log axis and tabulates every point', () => {
    const html = serializeSweep(load<SweepResult>('sweep-clients.json'));
    expect(html).toContain('clients, log scale');
    expect(html).toContain('Figures at each value');
    expect(html).toContain('10, 50, 200 (swept)');
  });

  it('marks generator-bound points and an interrupted sweep', () => {
    const sweep = load<SweepResult>('sweep-clients.json');
    sweep.aborted = true;
    sweep.series.sse![2]!.generatorBound = true;
    sweep.scenario.name = '<&>';
    const html = serializeSweep(sweep);
    expect(html).toContain('sse: generator-bound at 200 clients');
    expect(html).toContain('Hollow markers');
    expect(html).toContain(
      'Aborted: the curves cover 3 of 3 values; points from a shortened window are marked partial in the table.',
    );
    expect(html).toContain('&lt;&amp;&gt;');
    expect(html).not.toContain('<&>');
  });
});

describe('memory per connection in a sweep', () => {
  it('sets points on under 1 MiB of growth apart as noise: hollow, off the line, "(noise)" in the table', () => {
    const sweep = load<SweepResult>('sweep-clients.json');
    // short-polling grew RSS by 640 KiB at 10 clients, 756 at 50 and 1,707 at 200; long-polling by 196 KiB at most.
    const noise = (name: 'short-polling' | 'long-polling'): boolean[] =>
      sweep.series[name]!.map((point) => rssPerConnectionIsNoise(sweep, point));
    expect(noise('short-polling')).toEqual([true, true, false]);
    expect(noise('long-polling')).toEqual([true, true, true]);
    const html = serializeSweep(sweep);
    expect(html).toContain('Hollow markers off the memory line: RSS per connection on under 1 MiB of growth');
    expect(html).toMatch(/<title>short-polling at 10 clients: [\d.]+ KiB \(under 1 MiB of growth over the idle server/);
    expect(html).not.toMatch(/<title>short-polling at 200 clients: [\d.]+ KiB \(under/);
    expect(html).toMatch(/<td>[\d.]+ \(noise\)<\/td>/);
    // The memory chart's long-polling line has no point left to join: no path, markers only.
    const memory = charts(html).find((chart) => chart.includes('Server memory per connection'))!;
    const longPolling = memory.slice(memory.indexOf('<g><title>long-polling</title>'));
    expect(longPolling.slice(0, longPolling.indexOf('</g>'))).not.toContain('fill="none"');
  });
});

describe('axis ticks', () => {
  it('picks round linear steps from zero', () => {
    expect(linearTicks(0, 7.3).ticks.map((t) => t.label)).toEqual(['0', '2', '4', '6', '8']);
    expect(linearTicks(0, 0.33).domain).toEqual([0, 0.4]);
    expect(linearTicks(0, 0).domain).toEqual([0, 1]);
  });

  it('labels powers of ten over many decades, 1-2-5 over few', () => {
    const wide = logTicks(2.4, 1000.4);
    expect(wide.domain).toEqual([2, 2000]);
    expect(wide.ticks.map((t) => t.label)).toEqual(['2', '10', '100', '1,000']);
    expect(logTicks(3.4, 26.8).ticks.map((t) => t.label)).toEqual(['2', '5', '10', '20', '50']);
    expect(logTicks(0.15, 0.9).ticks.map((t) => t.value)).toEqual([0.1, 0.2, 0.5, 1]);
  });
});

describe('the latency curve', () => {
  it('stops where fewer than 10 samples lie beyond the percentile, and says where', () => {
    const sse = load<RunResult>('result-notify.json').transports.find((t) => t.transport === 'sse')!;
    for (const count of [180, 1_000, 25_000]) {
      const curve = percentileCurve({ ...sse, latency: { ...sse.latency, count } });
      const last = curve.points.at(-1)!;
      // At p = 1 − 10^−x, count × 10^−x samples lie beyond it: at least 10 all along the curve.
      for (const point of curve.points) expect(count * 10 ** -point.x).toBeGreaterThanOrEqual(10 - 1e-6);
      expect(last.x).toBeCloseTo(Math.min(4, Math.log10(count / 10)), 9);
      if (count < 100_000) expect(last.note).toMatch(/stops at p\d+(\.\d+)?: beyond it lie fewer than 10 of its/);
    }
    expect(percentileCurve({ ...sse, latency: { ...sse.latency, count: 180 } }).points.at(-1)!.note).toContain(
      'stops at p94.44:',
    );
  });

  it('runs to p99.99 with enough samples, and is a single point with fewer than 10', () => {
    const sse = load<RunResult>('result-notify.json').transports.find((t) => t.transport === 'sse')!;
    const full = percentileCurve({ ...sse, latency: { ...sse.latency, count: 100_000 } });
    expect(full.points.at(-1)).toEqual({ x: 4, y: expect.any(Number) });
    expect(supportedNines(9)).toBe(0);
    expect(percentileCurve({ ...sse, latency: { ...sse.latency, count: 9 } }).points).toHaveLength(1);
  });

  it('marks the end of a curve cut short in the chart', () => {
    const result = load<RunResult>('result-notify.json');
    for (const t of result.transports) t.latency.count = 180;
    expect(serialize(result)).toMatch(
      /<title>sse: the curve stops at p94\.44: beyond it lie fewer than 10 of its 180 samples/,
    );
  });
});
