import { beforeAll, describe, expect } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { sleep } from '../helpers/wait.js';
import { leftovers, nodeStartupMs, poll, SHORT_RUN, serversOf, startCli } from './cli-process.js';
import { hostileCase, Tally } from './tally.js';

const tally = new Tally('signals', 'a signal before measuring starts');

/** Past node's own start-up (before it, no script can catch a signal), well before the CLI has loaded. */
let whileLoadingMs = 150;

beforeAll(async () => {
  whileLoadingMs = Math.max(120, 2.5 * (await nodeStartupMs()));
});

describe('a signal while the CLI loads or parses its options', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    hostileCase(tally, `${signal} in the first fraction of a second: exit 3 (aborted), nothing started`, async () => {
      const cli = startCli(['run', ...SHORT_RUN, '--fault', 'restart', '--fault-at', '500ms', '--json']);
      await sleep(whileLoadingMs);
      cli.child.kill(signal);
      const exit = await cli.exited;
      expect(exit, cli.stderr()).toEqual({ code: 3, signal: null });
      expect(cli.stdout()).toBe('');
      expect(cli.stderr()).toBe(`\nstopped by ${signal}\n`);
      expect(await leftovers(cli.tmp)).toEqual([]);
    });
  }

  hostileCase(tally, 'serve: SIGTERM before it is ready exits 0 without a ready line', async () => {
    const cli = startCli(['serve', '--port', '0']);
    await sleep(whileLoadingMs);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.stdout()).toBe('');
    expect(await leftovers(cli.tmp)).toEqual([]);
  });
});

/** Starts a run and waits for its first reference server; undefined if none came within 10 s. */
async function runUntilServerStarts(
  args: readonly string[],
): Promise<{ cli: ReturnType<typeof startCli>; server: number }> {
  const cli = startCli(['run', ...args]);
  const server = await poll(() => serversOf(cli.tmp)[0], 10_000);
  if (server === undefined) throw new Error(`no reference server started; stderr: ${cli.stderr()}`);
  return { cli, server };
}

describe('a signal while the reference server starts', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    hostileCase(
      tally,
      `${signal} as the server (and its journal folder) comes up: exit 3, an aborted document, nothing left`,
      async () => {
        const { cli } = await runUntilServerStarts([
          ...SHORT_RUN,
          '--fault',
          'restart',
          '--fault-at',
          '500ms',
          '--json',
        ]);
        cli.child.kill(signal);
        expect(await cli.exited, cli.stderr()).toEqual({ code: 3, signal: null });
        const document = JSON.parse(cli.stdout()) as RunResult;
        expect(document.aborted).toBe(true);
        expect(await leftovers(cli.tmp)).toEqual([]);
      },
      { timeoutMs: 15_000 },
    );
  }

  hostileCase(
    tally,
    'SIGINT twice as the server comes up: exit 3 at once, no server, worker or journal folder left',
    async () => {
      const { cli } = await runUntilServerStarts([
        ...SHORT_RUN,
        '--clients',
        '4',
        '--workers',
        '2',
        '--fault',
        'restart',
        '--fault-at',
        '500ms',
      ]);
      cli.child.kill('SIGINT');
      await sleep(20);
      cli.child.kill('SIGINT');
      expect(await cli.exited, cli.stderr()).toEqual({ code: 3, signal: null });
      expect(await leftovers(cli.tmp)).toEqual([]);
    },
    { timeoutMs: 15_000 },
  );
});
