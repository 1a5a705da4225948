import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { RESULT_SCHEMA } from '../../src/document/result.js';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { type CliProcess, poll, privateFolder, serversOf, startCli } from './cli-process.js';
import { hostileCase, Tally } from './tally.js';

const tally = new Tally('harness', '--out that fails after measuring');

const RUN = ['run', '--clients', '2', '--duration', '1s', '--warmup', '0s', '--transport', 'sse', '--quiet'];

/** Waits until the run has passed its checks and started a server: from here on, it is measuring. */
async function measuring(cli: CliProcess): Promise<void> {
  const server = await poll(() => serversOf(cli.tmp)[0], 10_000);
  if (server === undefined) throw new Error(`no reference server started; stderr: ${cli.stderr()}`);
}

/** Exit 4, a message naming the path and a fallback file that holds the whole document; returns the fallback. */
async function expectFallback(cli: CliProcess, out: string, schema: string): Promise<string> {
  expect((await cli.exited).code, cli.stderr()).toBe(4);
  const message = new RegExp(
    `^Error: cannot write --out ${out} \\(.+\\); the document was written to (\\S+) instead$`,
    'm',
  );
  const match = message.exec(cli.stderr());
  expect(match, cli.stderr()).not.toBeNull();
  const fallback = match![1]!;
  expect(fallback.startsWith(`${cli.tmp}/im-bench-`)).toBe(true);
  const document = JSON.parse(readFileSync(fallback, 'utf8')) as { schema: string; aborted: boolean };
  expect(document).toMatchObject({ schema, aborted: false });
  // Nothing else in the temporary folder: no temporary file, no journal.
  expect(readdirSync(cli.tmp)).toEqual([fallback.slice(cli.tmp.length + 1)]);
  return fallback;
}

describe('an --out that cannot be written once the run has measured', () => {
  hostileCase(
    tally,
    'its folder removed during the run: exit 4, the document in a fallback file named in the message',
    async () => {
      const folder = join(privateFolder(), 'results');
      mkdirSync(folder);
      const out = join(folder, 'r.json');
      const cli = startCli([...RUN, '--json', '--out', out]);
      await measuring(cli);
      rmSync(folder, { recursive: true });
      await expectFallback(cli, out, RESULT_SCHEMA);
      // The document still goes to stdout.
      expect(JSON.parse(cli.stdout())).toMatchObject({ schema: RESULT_SCHEMA });
    },
    { timeoutMs: 20_000 },
  );

  hostileCase(
    tally,
    'the file replaced by a folder during the run: the rename fails, no temporary file is left beside it',
    async () => {
      const folder = privateFolder();
      const out = join(folder, 'r.md');
      writeFileSync(out, 'an older report\n');
      const cli = startCli([...RUN, '--out', out]);
      await measuring(cli);
      rmSync(out);
      mkdirSync(out);
      await expectFallback(cli, out, RESULT_SCHEMA);
      expect(readdirSync(folder)).toEqual(['r.md']);
    },
    { timeoutMs: 20_000 },
  );

  hostileCase(
    tally,
    'one of two outputs fails: the other is written, the fallback holds the JSON',
    async () => {
      const folder = privateFolder();
      const good = join(folder, 'r.html');
      const doomed = join(folder, 'sub');
      mkdirSync(doomed);
      const out = join(doomed, 'r.csv');
      const cli = startCli([...RUN, '--out', good, '--out', out]);
      await measuring(cli);
      rmSync(doomed, { recursive: true });
      await expectFallback(cli, out, RESULT_SCHEMA);
      expect(readFileSync(good, 'utf8')).toMatch(/^<!doctype html>/i);
      expect(readdirSync(folder)).toEqual(['r.html']);
    },
    { timeoutMs: 20_000 },
  );

  hostileCase(
    tally,
    'capacity: its --out folder removed during the run: exit 4, the capacity document in the fallback',
    async () => {
      const folder = join(privateFolder(), 'results');
      mkdirSync(folder);
      const out = join(folder, 'capacity.json');
      const cli = startCli([
        'capacity',
        '--transport',
        'short-polling',
        '--connections',
        '2',
        '--duration',
        '1s',
        '--warmup',
        '0s',
        '--quiet',
        '--out',
        out,
      ]);
      await measuring(cli);
      rmSync(folder, { recursive: true });
      await expectFallback(cli, out, 'im-bench/capacity@1');
    },
    { timeoutMs: 20_000 },
  );
});
