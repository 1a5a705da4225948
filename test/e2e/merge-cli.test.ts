import { readFileSync, writeFileSync } from 'node:fs';
import { temporaryFolder } from '../helpers/cleanup.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeHistogram, summarize } from '../../src/core/histogram.js';
import type { RunResult } from '../../src/document/result.js';
import { runCli } from '../helpers/cli.js';
import { validateResult } from '../helpers/result-schema.js';
import { distinctValues, fixtureResult, splitIntoTwoShards } from '../helpers/shards.js';

/** Two shard documents of the fixture run, written as files in a fresh folder. */
function shardFiles(): { dir: string; files: [string, string]; shards: [RunResult, RunResult] } {
  const dir = temporaryFolder('im-bench-merge-');
  const shards = splitIntoTwoShards(fixtureResult('result-notify.json'), distinctValues);
  const files = shards.map((shard, index) => {
    const file = join(dir, `shard-${index}.json`);
    writeFileSync(file, JSON.stringify(shard));
    return file;
  }) as [string, string];
  return { dir, files, shards };
}

describe('im-bench merge', () => {
  it('writes one document for both shards on stdout and into --out files, valid against the schema', async () => {
    const { dir, files, shards } = shardFiles();
    const outs = [join(dir, 'merged.json'), join(dir, 'merged.md')];
    const result = await runCli(['merge', files[1], files[0], ...outs.flatMap((out) => ['--out', out])]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const merged = JSON.parse(result.stdout) as RunResult;
    expect(validateResult(merged)).toEqual([]);
    expect(merged.merged!.from.map((shard) => shard.source)).toEqual(files);
    const shardCount = shards.map((shard) => summarize(decodeHistogram(shard.transports[0]!.latencyHistogram)).count);
    expect(merged.transports[0]!.latency.count).toBe(shardCount[0]! + shardCount[1]!);
    expect(readFileSync(outs[0]!, 'utf8')).toBe(result.stdout);
    expect(readFileSync(outs[1]!, 'utf8')).toContain(`> Merged from 2 shards (${files[0]}, ${files[1]})`);
  });

  it('renders the merge in another format on stdout', async () => {
    const { files } = shardFiles();
    const result = await runCli(['merge', ...files, '--format', 'table']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Merged from 2 shards');
    expect(result.stdout).toContain('┌');
  });

  it('exits 2 naming the file when a shard cannot be merged or read, and writes nothing', async () => {
    const { dir, files, shards } = shardFiles();
    const aborted = join(dir, 'aborted.json');
    writeFileSync(aborted, JSON.stringify({ ...shards[1], aborted: true }));
    const twin = join(dir, 'twin.json');
    writeFileSync(twin, JSON.stringify(shards[1]));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"schema": ');
    const sweep = join(dir, 'sweep.json');
    writeFileSync(sweep, JSON.stringify({ schema: 'im-bench/sweep@1' }));
    const out = join(dir, 'never.json');
    const cases: Array<[string[], string]> = [
      [[files[0], aborted], `Error: ${aborted}: shard 1 did not finish ("aborted": true)`],
      [[files[0], files[1], files[1]], `Error: ${files[1]}: given twice`],
      [[files[0], files[1], twin], `Error: ${twin}: shard 1 of 2 again (${files[1]} is shard 1 too)`],
      [[files[0]], 'Error: shard 1 of 2 is missing'],
      [[files[0], broken], `Error: ${broken}: not JSON`],
      [
        [files[0], sweep],
        `Error: ${sweep}: schema: expected "im-bench/result@1" or "im-bench/result@2" or "im-bench/result@3" (the result of one shard's run), got "im-bench/sweep@1"`,
      ],
      [[files[0], join(dir, 'missing.json')], `Error: ${join(dir, 'missing.json')}: cannot read it (ENOENT)`],
    ];
    for (const [inputs, message] of cases) {
      const result = await runCli(['merge', ...inputs, '--out', out]);
      expect(result.code, message).toBe(2);
      expect(result.stderr, message).toContain(message);
      expect(result.stdout).toBe('');
    }
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
  });
});
