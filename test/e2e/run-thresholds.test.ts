import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { temporaryFolder } from '../helpers/cleanup.js';
import { runCli } from '../helpers/cli.js';
import { validateResult } from '../helpers/result-schema.js';

/** A short run of one technique, with a gate of its own that fails: no message is 1 byte on the wire. */
function gateFile(folder: string): string {
  const path = join(folder, 'gate.yaml');
  writeFileSync(
    path,
    'transport: websocket\nclients: 2\nwarmup: 0s\nduration: 1s\nthresholds:\n  - lost==0\n  - bytes_per_msg<1\n',
  );
  return path;
}

describe('im-bench run --threshold (the real CLI)', () => {
  it('passes: exit 0, each threshold printed under the table with its value, and written into --out', async () => {
    const folder = temporaryFolder('im-bench-thresholds-');
    const out = join(folder, 'result.json');
    const flags = ['--threshold', 'lost==0', '--threshold', 'websocket:p99<10s', '--threshold', 'bytes_per_msg>=1B'];
    const result = await runCli(['run', '--scenario', gateFile(folder), ...flags, '--quiet', '--out', out], 30_000);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // --threshold replaced the file's list, the failing bytes_per_msg<1 with it.
    expect(result.stdout).toMatch(
      /\nThresholds \(from --threshold\): all 3 passed\n {2}✓ lost==0 +websocket {2}0\n {2}✓ websocket:p99<10s +websocket {2}[\d.]+ ms\n {2}✓ bytes_per_msg>=1B +websocket {2}\d+ B\n$/,
    );
    const document = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
    expect(validateResult(document)).toEqual([]);
    expect(
      document.thresholds!.map((t) => [t.expression, t.figure, t.transport, t.comparator, t.limit, t.source]),
    ).toEqual([
      ['lost==0', 'lost', null, '==', 0, 'flag'],
      ['websocket:p99<10s', 'p99', 'websocket', '<', 10_000, 'flag'],
      ['bytes_per_msg>=1B', 'bytes_per_msg', null, '>=', 1, 'flag'],
    ]);
    const [websocket] = document.transports;
    expect(document.thresholds![1]!.results).toEqual([
      { transport: 'websocket', value: websocket!.latency.p99, pass: true },
    ]);
    expect(document.thresholds!.every((t) => t.pass)).toBe(true);
  }, 40_000);

  it("fails with exit 1 on a scenario file's threshold, keeping stdout to the document and the lines on stderr", async () => {
    const result = await runCli(
      ['run', '--scenario', gateFile(temporaryFolder('im-bench-thresholds-')), '--json', '--quiet'],
      30_000,
    );
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout) as RunResult;
    expect(validateResult(document)).toEqual([]);
    expect(document.thresholds!.map((t) => [t.expression, t.source, t.pass])).toEqual([
      ['lost==0', 'scenario', true],
      ['bytes_per_msg<1', 'scenario', false],
    ]);
    expect(result.stderr).toMatch(
      /^Thresholds \(from the scenario file's thresholds\): 1 of 2 failed\n {2}✓ lost==0 +websocket {2}0\n {2}✗ bytes_per_msg<1 +websocket {2}\d+ B\n$/,
    );
  }, 40_000);

  it.each([
    [
      ['--threshold', 'p99<50xs'],
      `Error: --threshold 'p99<50xs': unit "xs" — p99 is a time, use us, ms or s (a bare number is ms)\n`,
    ],
    [
      ['--threshold', 'lost==0', '--threshold', 'p98<1ms'],
      `Error: --threshold 'p98<1ms': figure "p98": expected one of min, p50, `,
    ],
    [
      ['--threshold', 'carrier-pigeon:p99<1ms'],
      `Error: --threshold 'carrier-pigeon:p99<1ms': technique "carrier-pigeon": expected one of `,
    ],
    [
      ['--transport', 'sse', '--threshold', 'websocket:p99<10ms'],
      `Error: --threshold 'websocket:p99<10ms': technique "websocket" is not in this run: transport sse (from --transport)\n`,
    ],
  ])('refuses %j with exit 2 before anything runs', async (args, message) => {
    const result = await runCli(['run', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(message)).toBe(true);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stdout).toBe('');
  });

  it('is not a flag of sweep', async () => {
    const result = await runCli(['sweep', '--clients', '1,2', '--threshold', 'lost==0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--threshold'");
  });
});
