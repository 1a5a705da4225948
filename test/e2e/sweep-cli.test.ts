import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import type { SweepResult } from '../../src/document/sweep.js';
import { temporaryFolder } from '../helpers/cleanup.js';
import { runCli } from '../helpers/cli.js';
import { validateResult } from '../helpers/result-schema.js';

const scratch = (): string => temporaryFolder('im-bench-report-');

describe('im-bench sweep (a tiny real one)', () => {
  it('runs every technique at each client count and writes one document with a series per technique', async () => {
    const dir = scratch();
    const out = join(dir, 'sweep.json');
    const result = await runCli(
      [
        'sweep',
        '--clients',
        '5,15',
        '--transport',
        'sse,websocket',
        '--duration',
        '1s',
        '--warmup',
        '300ms',
        '--rate',
        '10',
        '--out',
        out,
        '--quiet',
      ],
      60_000,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const sweep = JSON.parse(readFileSync(out, 'utf8')) as SweepResult;
    expect(sweep).toMatchObject({ schema: 'im-bench/sweep@3', parameter: 'clients', values: [5, 15], aborted: false });
    for (const transport of ['sse', 'websocket'] as const) {
      expect(sweep.series[transport]!.map((point) => point.value)).toEqual([5, 15]);
      for (const point of sweep.series[transport]!) {
        expect(point.lost).toBe(0);
        expect(point.throughputPerSecond).toBeCloseTo(10 * point.value, -1);
      }
    }
    expect(sweep.runs.map((run) => run.scenario.clients)).toEqual([5, 15]);
    for (const run of sweep.runs) expect(validateResult(run as RunResult)).toEqual([]);
    expect(result.stdout).toContain('sse');
  }, 90_000);

  it('needs exactly one of --clients or --rate as a list', async () => {
    const none = await runCli(['sweep', '--clients', '10']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Error: --clients/--rate: expected a comma-separated list for exactly one of them');
    const both = await runCli(['sweep', '--clients', '10,20', '--rate', '1,2']);
    expect(both.code).toBe(2);
    const bad = await runCli(['sweep', '--clients', '10,zero']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Error: --clients: expected an integer from 1 to 1000000, got "zero"');
  });
});
