import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { modelChecks } from '../../src/report/model.js';
import { ACCOUNTING_TOLERANCE, MODEL_TOLERANCE } from '../../src/transports/model.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';
import { temporaryFolder } from '../helpers/cleanup.js';
import { runCli, spawnServe } from '../helpers/cli.js';
import { PaddingProxy } from '../helpers/padding-proxy.js';

const POLLING = ['short-polling', 'long-polling'];

/** The figures the model flagged, per technique. */
function flagged(result: RunResult): Record<string, string[]> {
  return Object.fromEntries(
    result.transports.map((t) => [
      t.transport,
      modelChecks(t, result)
        .filter((check) => check.flagged)
        .map((check) => check.figure),
    ]),
  );
}

describe('the model, with H and E measured in the run', () => {
  it('flags nothing in a default-shaped run, and prints the H and E it used under the table', async () => {
    const out = join(temporaryFolder('imb-model-'), 'run.json');
    const run = await runCli(
      ['run', '--transport', 'all', '--clients', '20', '--duration', '2s', '--quiet', '--out', out],
      90_000,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
    expect(result.transports.map((t) => t.transport)).toEqual([...TRANSPORT_NAMES]);
    expect(flagged(result)).toEqual(Object.fromEntries(TRANSPORT_NAMES.map((name) => [name, []])));
    for (const t of result.transports) {
      const wire = t.bytes.wire!;
      // E: the reference server's envelope of a 100-byte payload is about 170 bytes, whatever the constant said.
      expect(wire.e, t.transport).toBeGreaterThan(100 + 60);
      expect(wire.e, t.transport).toBeLessThan(100 + 80);
      expect(wire.h204 === null, t.transport).toBe(wire.emptyExchanges === 0);
      if (!POLLING.includes(t.transport)) continue;
      // H200: a request with its cursor and epoch, and a 200's status line and headers.
      expect(wire.h200, t.transport).toBeGreaterThan(300);
      const bytes = modelChecks(t, result).find((check) => check.figure === 'bytes / msg')!;
      expect(Math.abs(bytes.deviation!), t.transport).toBeLessThan(0.01);
    }
    const table = run.stdout.slice(run.stdout.indexOf('Model inputs measured'));
    expect(table).toMatch(/^ {2}short-polling +H200 \d+ B · H204 (–|\d+ B) · E \d+ B · other [\d.]+ B\/msg$/m);
    expect(table).toMatch(/^ {2}websocket +E \d+ B · other [\d.]+ B\/msg$/m);
    expect(table).toContain('Every figure the model predicts was within its tolerance of its prediction');
    expect(run.stdout).not.toContain('strayed from its model');
  }, 120_000);

  it('flags the bytes of another server that pads its poll answers, from its own H and E, and nothing else', async () => {
    const serve = await spawnServe();
    // 25 bytes of whitespace before each envelope and before the closing bracket: 5 to 15 % of an exchange.
    const proxy = await PaddingProxy.start(serve.url, `\n${' '.repeat(24)}`);
    const folder = temporaryFolder('imb-padded-');
    const run = await runCli(
      [
        'run',
        '--target',
        proxy.url,
        '--transport',
        POLLING.join(','),
        '--clients',
        '20',
        '--duration',
        '2s',
        '--quiet',
        '--json',
        '--out',
        join(folder, 'run.md'),
      ],
      60_000,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as RunResult;
    expect(flagged(result)).toEqual({ 'short-polling': ['bytes / msg'], 'long-polling': ['bytes / msg'] });
    for (const t of result.transports) {
      const wire = t.bytes.wire!;
      const bytes = modelChecks(t, result).find((check) => check.figure === 'bytes / msg')!;
      // What the prediction misses is the padding alone, 25 bytes per envelope and per answer: the
      // proxy's heads (its Via header) and envelopes are in it, as the clients counted them.
      const padding = (25 * (wire.envelopes + wire.messageExchanges)) / t.delivery.deliveredInWindow;
      expect(bytes.measured - bytes.predicted!, t.transport).toBeCloseTo(padding, 0);
      // Caught by the account of measured bytes, though within the tolerance of the arithmetic predictions.
      expect(bytes.deviation!, t.transport).toBeGreaterThan(ACCOUNTING_TOLERANCE);
      expect(bytes.deviation!, t.transport).toBeLessThan(MODEL_TOLERANCE);
    }
    const markdown = readFileSync(join(folder, 'run.md'), 'utf8');
    expect(markdown).toMatch(
      /\| bytes \/ msg \| requests\/msg × H \+ E \+ separators \| [\d,]+ B \| [\d,]+ B \| \+[\d.]+ % ⚠ \| ±5 % \|/,
    );
    expect(markdown).toContain("short-polling's bytes / msg strayed from its model");
  }, 90_000);
});
