import { describe, expect } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { isRunning } from '../helpers/processes.js';
import { sleep } from '../helpers/wait.js';
import { type CliProcess, leftovers, poll, SHORT_RUN, serversOf, startCli } from './cli-process.js';
import { hostileCase, Tally } from './tally.js';

const tally = new Tally('signals', 'signals during a restart fault');

/** A run whose server is killed and started again early, with its journal in a temporary folder. */
const RESTART_RUN = [
  ...SHORT_RUN,
  '--duration',
  '3s',
  '--ramp-up',
  '0s',
  '--fault',
  'restart',
  '--fault-at',
  '300ms',
  '--journal',
  'true',
];

/** Starts the run and returns once its first server has been killed by the fault (before or as the next one starts). */
async function duringRestart(extra: readonly string[] = []): Promise<CliProcess> {
  const cli = startCli(['run', ...RESTART_RUN, ...extra]);
  const first = await poll(() => serversOf(cli.tmp)[0], 10_000);
  if (first === undefined) throw new Error(`no reference server started; stderr: ${cli.stderr()}`);
  const killed = await poll(() => (isRunning(first) ? undefined : true), 10_000);
  if (killed === undefined) throw new Error(`the restart fault never struck; stderr: ${cli.stderr()}`);
  return cli;
}

describe('signals during a restart fault', () => {
  const twice = [
    ['SIGINT', 'SIGINT'],
    ['SIGTERM', 'SIGTERM'],
    ['SIGINT', 'SIGTERM'],
  ] as const;
  for (const [first, second] of twice) {
    hostileCase(
      tally,
      `${first} then ${second} as the server restarts: exit 3 at once, no journal folder, no server left`,
      async () => {
        const cli = await duringRestart();
        cli.child.kill(first);
        await sleep(30);
        cli.child.kill(second);
        expect(await cli.exited, cli.stderr()).toEqual({ code: 3, signal: null });
        expect(await leftovers(cli.tmp)).toEqual([]);
      },
      { timeoutMs: 15_000 },
    );
  }

  hostileCase(
    tally,
    'SIGTERM twice as the server restarts, clients in 2 worker processes: no worker, server or folder left',
    async () => {
      const cli = await duringRestart(['--clients', '4', '--workers', '2']);
      cli.child.kill('SIGTERM');
      await sleep(30);
      cli.child.kill('SIGTERM');
      expect(await cli.exited, cli.stderr()).toEqual({ code: 3, signal: null });
      expect(await leftovers(cli.tmp)).toEqual([]);
    },
    { timeoutMs: 15_000 },
  );

  hostileCase(
    tally,
    'SIGHUP (its terminal closed) as the server restarts: the run stops, exits 3, leaves nothing',
    async () => {
      const cli = await duringRestart();
      cli.child.kill('SIGHUP');
      expect(await cli.exited, cli.stderr()).toEqual({ code: 3, signal: null });
      expect(await leftovers(cli.tmp)).toEqual([]);
    },
    { timeoutMs: 15_000 },
  );

  hostileCase(
    tally,
    'one SIGINT as the server restarts: the run stops, prints what it measured, exits 3, leaves nothing',
    async () => {
      const cli = await duringRestart(['--json']);
      cli.child.kill('SIGINT');
      expect(await cli.exited, cli.stderr()).toEqual({ code: 3, signal: null });
      const document = JSON.parse(cli.stdout()) as RunResult;
      expect(document.aborted).toBe(true);
      expect(await leftovers(cli.tmp)).toEqual([]);
    },
    { timeoutMs: 15_000 },
  );
});
