import { describe, expect, it } from 'vitest';
import { checkResult } from '../../src/document/result-check.js';
import { RESULT_SCHEMA, type RunResult, type TransportResult } from '../../src/document/result.js';
import { compare } from '../../src/report/compare/compare.js';
import { serialize as csv } from '../../src/report/exporters/csv.js';
import { serialize as html } from '../../src/report/exporters/html.js';
import { serialize as markdown } from '../../src/report/exporters/markdown.js';
import { serialize as table } from '../../src/report/exporters/table.js';
import { crossServerTables } from '../../src/report/servers.js';
import { judgeThresholds } from '../../src/report/thresholds/judge.js';
import { parseThreshold } from '../../src/report/thresholds/parse.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';
import { load } from '../helpers/exporters.js';
import { validateResult } from '../helpers/result-schema.js';

const notify = load<RunResult>('result-notify.json');

/** A server whose processes im-bench could not see: every server figure null. */
function unseen(t: TransportResult): TransportResult {
  return {
    ...t,
    requests: { ...t.requests, serverCounted: null },
    server: {
      cpuSeconds: null,
      cpuMicrosPerMessage: null,
      idleRssBytes: null,
      connectedRssBytes: null,
      peakRssBytes: null,
      rssPerConnectionBytes: null,
    },
  };
}

/** The fixture's sse and websocket on the reference server, and again on nchan, its p99 doubled. */
function twoServers(): RunResult {
  const result = notify();
  const techniques = result.transports.filter((t) => t.transport === 'sse' || t.transport === 'websocket');
  const nchan = techniques.map((t) => ({
    ...unseen(t),
    profile: 'nchan',
    latency: { ...t.latency, p99: t.latency.p99! * 2 },
  }));
  return {
    ...result,
    schema: RESULT_SCHEMA,
    servers: [
      { name: 'reference', description: 'the reference server (the wire contract)', source: 'built-in' },
      { name: 'nchan', description: 'nginx + nchan, one message per poll answer', source: 'profiles/nchan.yaml' },
    ],
    transports: [...techniques.map((t) => ({ ...t, profile: 'reference' })), ...nchan],
  };
}

describe('a run that measured several kinds of server', () => {
  it('prints one table per server and each headline figure across them, within 80 columns', () => {
    const text = table(twoServers());
    expect(text.indexOf('Server: reference — the reference server')).toBeLessThan(
      text.indexOf('Server: nchan — nginx + nchan, one message per poll answer'),
    );
    expect(text).toMatch(/server CPU µs \/ msg\s*│\s*not measured\s*│\s*not measured/);
    for (const title of ['latency p50 (ms)', 'latency p99 (ms)', 'bytes / msg', 'server CPU µs / msg'])
      expect(text).toContain(`${title}, by server`);
    for (const line of text.split('\n').filter((row) => /^[│┌├└]/.test(row)))
      expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('puts each server beside the others per technique, and "not measured" where a server was not seen', () => {
    const result = twoServers();
    const [, p99, , cpu] = crossServerTables(result);
    const sse = result.transports.filter((t) => t.transport === 'sse');
    expect(p99!.head).toEqual(['', 'reference', 'nchan']);
    expect(p99!.rows.map((row) => row[0])).toEqual(['sse', 'websocket']);
    expect(Number(p99!.rows[0]![2]) / Number(p99!.rows[0]![1])).toBeCloseTo(
      sse[1]!.latency.p99! / sse[0]!.latency.p99!,
      1,
    );
    expect(cpu!.rows[0]![2]).toBe('not measured');
    expect(crossServerTables(notify())).toEqual([]);
  });

  it('gives each server its own section in Markdown and HTML, and a server column in CSV', () => {
    const result = twoServers();
    const md = markdown(result);
    expect(md).toContain('## Results: reference — the reference server (the wire contract)\n');
    expect(md).toContain('## Results: nchan — nginx + nchan, one message per poll answer\n');
    expect(md).toContain('## Across servers');
    const page = html(result);
    expect(page).toContain('Server: nchan');
    expect(page).toContain('<h2>Across servers</h2>');
    const lines = csv(result).split('\r\n');
    expect(lines[0]).toBe('server,technique,figure,value,unit');
    expect(lines.some((line) => line.startsWith('nchan,sse,server.cpuSeconds,,'))).toBe(true);
  });

  it('keeps documents valid with null server figures, and refuses a profile that is not a name', () => {
    const result = twoServers();
    // Null server figures are why this is result@3: the @2 schema has numbers there.
    expect(validateResult(result)).toEqual([]);
    expect(validateResult({ ...result, schema: 'im-bench/result@2' })).toContain(
      '/transports/2/server/cpuSeconds: must be number',
    );
    expect(() => checkResult(JSON.parse(JSON.stringify(result)), 'two.json', TRANSPORT_NAMES)).not.toThrow();
    const broken = JSON.parse(JSON.stringify(result)) as { transports: Array<{ profile: unknown }> };
    broken.transports[2]!.profile = 7;
    expect(() => checkResult(broken, 'two.json', TRANSPORT_NAMES)).toThrow(
      "two.json: transports[2].profile: expected the server's name (text), got 7",
    );
  });

  it('judges a PROFILE/TECHNIQUE threshold on that server only, and fails one naming a server not measured', () => {
    const parsed = ['nchan/sse:p99<1000ms', 'sse:cpu_per_msg<1ms', 'pushpin/sse:p99<1000ms'].map((expression) => {
      const threshold = parseThreshold(expression, TRANSPORT_NAMES);
      if (!threshold.ok) throw new Error(threshold.problem);
      return { ...threshold.value, source: 'flag' as const };
    });
    const [nchanOnly, everyServer, absent] = judgeThresholds(twoServers(), parsed);
    expect(nchanOnly!.results.map((r) => [r.profile, r.transport, r.pass])).toEqual([['nchan', 'sse', true]]);
    // Not measured on nchan: a gate must not read that as a pass.
    expect(everyServer!.results.map((r) => [r.profile ?? 'reference', r.pass])).toEqual([
      ['reference', true],
      ['nchan', false],
    ]);
    expect(absent!.pass).toBe(false);
  });

  it('compares a technique with itself on the same server, never across servers', () => {
    const base = twoServers();
    const comparison = compare(base, twoServers());
    expect(comparison.techniques.map((t) => [t.profile ?? 'reference', t.transport])).toEqual([
      ['reference', 'sse'],
      ['reference', 'websocket'],
      ['nchan', 'sse'],
      ['nchan', 'websocket'],
    ]);
    const onlyReference = { ...base, transports: base.transports.filter((t) => t.profile === 'reference') };
    expect(() => compare(base, onlyReference)).toThrow(/has no nchan\/sse, nchan\/websocket, which base measured/);
  });
});

describe('one non-reference server alone', () => {
  it('is named above its table, with what it is', () => {
    const result = twoServers();
    const alone = { ...result, transports: result.transports.filter((t) => t.profile === 'nchan') };
    expect(table(alone)).toContain('Server: nchan — nginx + nchan, one message per poll answer');
    expect(markdown(alone)).toContain('## Results: nchan — nginx + nchan, one message per poll answer\n');
    expect(table(alone)).not.toContain('by server');
  });
});

describe("a server's table in the terminal", () => {
  it("splits a server's table of every technique to stay within 80 columns, repeating the row labels", () => {
    const result = twoServers();
    const everyTechnique = { ...result, transports: notify().transports.map((t) => ({ ...t, profile: 'reference' })) };
    const text = table(everyTechnique);
    const heads = text.split('\n').filter((line) => /^│\s+│/.test(line));
    expect(heads.length).toBeGreaterThan(1);
    for (const name of everyTechnique.transports.map((t) => t.transport))
      expect(heads.filter((line) => line.includes(` ${name} `))).toHaveLength(1);
    for (const line of text.split('\n').filter((row) => /^[│┌├└]/.test(row)))
      expect(line.length, line).toBeLessThanOrEqual(80);
  });
});
