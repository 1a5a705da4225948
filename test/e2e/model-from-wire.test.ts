import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { modelChecks } from '../../src/report/model.js';
import { ACCOUNTING_TOLERANCE, MODEL_TOLERANCE } from '../../src/transports/model.js';
import { temporaryFolder } from '../helpers/cleanup.js';
import { runCli, spawnServe } from '../helpers/cli.js';
import { flagged } from '../helpers/model.js';
import { PaddingProxy } from '../helpers/padding-proxy.js';

// A default-shaped run flags nothing, and prints the H and E it used under the table: checked on
// the README's first quick run in test/e2e/run-cli.test.ts (expectModelHolds), which is that run.
const POLLING = ['short-polling', 'long-polling'];

describe('the model, with H and E measured in the run', () => {
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
