import { describe, expect, it } from 'vitest';
import { FIGURE_NAMES } from '../../src/document/comparison.js';
import { FIGURES } from '../../src/report/compare/figures.js';
import { parseThreshold } from '../../src/report/thresholds/parse.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';

function parsed(expression: string): unknown {
  const result = parseThreshold(expression, TRANSPORT_NAMES);
  if (!result.ok) throw new Error(`refused ${expression}: ${result.problem}`);
  const { figure, transport, profile, comparator, limit, unit } = result.value;
  return { figure, transport, ...(profile === undefined ? {} : { profile }), comparator, limit, unit };
}

function problem(expression: string): string {
  const result = parseThreshold(expression, TRANSPORT_NAMES);
  if (result.ok) throw new Error(`accepted ${expression}`);
  return result.problem;
}

describe('threshold expressions', () => {
  it.each([
    ['p99<50ms', { figure: 'p99', transport: null, comparator: '<', limit: 50, unit: 'ms' }],
    ['p99<=50ms', { figure: 'p99', transport: null, comparator: '<=', limit: 50, unit: 'ms' }],
    ['throughput>=1000msg/s', { figure: 'throughput', transport: null, comparator: '>=', limit: 1000, unit: 'msg/s' }],
    ['throughput>5', { figure: 'throughput', transport: null, comparator: '>', limit: 5, unit: 'msg/s' }],
    ['lost==0', { figure: 'lost', transport: null, comparator: '==', limit: 0, unit: 'copies' }],
    ['sse:bytes_per_msg<300', { figure: 'bytes_per_msg', transport: 'sse', comparator: '<', limit: 300, unit: 'B' }],
    [
      'reference/websocket:connect_p99<=20ms',
      { figure: 'connect_p99', transport: 'websocket', profile: 'reference', comparator: '<=', limit: 20, unit: 'ms' },
    ],
    ['nchan/sse:p99<1ms', { figure: 'p99', transport: 'sse', profile: 'nchan', comparator: '<', limit: 1, unit: 'ms' }],
    [' sse : p50 <= 1.5 ms ', { figure: 'p50', transport: 'sse', comparator: '<=', limit: 1.5, unit: 'ms' }],
    ['requests_per_msg<.5', { figure: 'requests_per_msg', transport: null, comparator: '<', limit: 0.5, unit: 'req' }],
  ])('reads %s', (expression, expected) => {
    expect(parsed(expression)).toEqual(expected);
  });

  it('keeps the expression as written, trimmed', () => {
    const result = parseThreshold('  sse:p99<50ms ', TRANSPORT_NAMES);
    expect(result.ok && result.value.expression).toBe('sse:p99<50ms');
  });

  it.each([
    ['p99<0.05s', 50],
    ['p99<250us', 0.25],
    ['p99<250µs', 0.25],
    ['p99<2', 2],
    ['cpu_per_msg<1ms', 1000],
    ['cpu_per_msg<0.5s', 500_000],
    ['cpu_per_msg<30', 30],
    ['bytes_per_msg<1KB', 1000],
    ['bytes_per_msg<1KiB', 1024],
    ['rss_per_conn<2MB', 2_000_000],
    ['rss_per_conn<1.5MiB', 1_572_864],
  ])('converts %s to the figure’s own unit: %d', (expression, limit) => {
    expect((parsed(expression) as { limit: number }).limit).toBe(limit);
  });

  it.each([
    ['p99<50xs', 'unit "xs" — p99 is a time, use us, ms or s (a bare number is ms)'],
    ['p99<5KB', 'unit "KB" — p99 is a time, use us, ms or s (a bare number is ms)'],
    ['cpu_per_msg<5B', 'unit "B" — cpu_per_msg is a time, use us, ms or s (a bare number is µs)'],
    ['bytes_per_msg<3ms', 'unit "ms" — bytes_per_msg is a size, use B, KB, KiB, MB or MiB (a bare number is B)'],
    ['throughput>5/s', 'unit "/s" — throughput is a rate, use msg/s (a bare number is msg/s)'],
    ['lost==0ms', 'unit "ms" — lost is a count, write a bare number'],
    ['requests_per_msg<1req', 'unit "req" — requests_per_msg is a count, write a bare number'],
  ])('refuses a unit of the wrong kind: %s', (expression, expected) => {
    expect(problem(expression)).toBe(expected);
  });

  it.each([
    ['p99', /^no comparator: expected \[TECHNIQUE:\]FIGURE COMPARATOR VALUE\[UNIT\].* with one of < <= > >= ==$/],
    ['p99=+10%', /\(NAME=\+N% is the syntax of compare --threshold\)$/],
    ['p99!=0', /^no comparator/],
    ['p99=<5', /^comparator: expected one of < <= > >= ==$/],
    ['p99<<5', /^comparator: expected one of/],
    ['p99>=<5', /^comparator: expected one of/],
    ['p98<1ms', /^figure "p98": expected one of min, p50, p90, p99, max, throughput, bytes_per_msg, /],
    ['<1ms', /^no figure: expected one of min, p50/],
    ['p99<', /^value "": expected a number with an optional unit, such as 50ms$/],
    ['p99<-5ms', /^value "-5ms": expected a number/],
    ['p99<1e3', /^unit "e3" — p99 is a time/],
    ['carrier-pigeon:p99<1ms', /^technique "carrier-pigeon": expected one of short-polling, long-polling, sse, /],
    ['ng inx/sse:p99<1ms', /^profile "ng inx": expected a server's name, such as reference or nchan/],
    ['/sse:p99<1ms', /^profile "": expected a server's name/],
    ['a/b/sse:p99<1ms', /^prefix "a\/b\/sse": expected TECHNIQUE or PROFILE\/TECHNIQUE$/],
    ['sse:websocket:p99<1ms', /^"sse:websocket:p99": expected \[TECHNIQUE:\]FIGURE, with one colon at most$/],
  ])('refuses %s, saying which part and what was expected', (expression, expected) => {
    expect(problem(expression)).toMatch(expected);
  });

  it('takes every figure name compare uses, in its own unit when bare', () => {
    for (const name of FIGURE_NAMES)
      expect(parsed(`${name}<=1`), name).toMatchObject({ figure: name, limit: 1, unit: FIGURES[name].unit });
  });
});
