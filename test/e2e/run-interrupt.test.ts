import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { defer } from '../helpers/cleanup.js';
import { CLI } from '../helpers/cli.js';
import { isRunning, serverChildOf, waitForWindowOpen } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

/** Spawns `im-bench run ...` and waits until its reference server child is up. */
async function spawnRun(
  args: string[],
): Promise<{ child: ReturnType<typeof spawn>; output: () => { stdout: string; stderr: string }; server: number }> {
  // Its own process group, as a shell gives a foreground job: a terminal's Ctrl-C signals the whole group.
  const child = spawn(process.execPath, [CLI, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  defer(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let server = 0;
  await waitFor(() => (server = serverChildOf(child.pid!)) !== 0, 'the reference server child', 10_000);
  return { child, output: () => ({ stdout, stderr }), server };
}

describe('im-bench run (the real CLI)', () => {
  it('on Ctrl-C prints what was measured, exits 3 and leaves no server behind', async () => {
    const running = await spawnRun([
      '--transport',
      'websocket,sse',
      '--clients',
      '5',
      '--duration',
      '30s',
      '--warmup',
      '0s',
      '--json',
    ]);
    await waitForWindowOpen(running.server);
    running.child.kill('SIGINT');
    const [code] = (await once(running.child, 'exit')) as [number | null];
    expect(code).toBe(3);
    const document = JSON.parse(running.output().stdout) as RunResult;
    expect(document.aborted).toBe(true);
    expect(document.transports.map((transport) => transport.transport)).toEqual(['sse']);
    expect(isRunning(running.server)).toBe(false);
  }, 30_000);

  it('on a terminal Ctrl-C (SIGINT to the whole process group) still prints what was measured', async () => {
    const running = await spawnRun([
      '--transport',
      'websocket,sse',
      '--clients',
      '5',
      '--duration',
      '30s',
      '--warmup',
      '0s',
      '--json',
    ]);
    await waitForWindowOpen(running.server);
    process.kill(-running.child.pid!, 'SIGINT');
    const [code] = (await once(running.child, 'exit')) as [number | null];
    expect(running.output().stderr).not.toContain('Error:');
    expect(code).toBe(3);
    const document = JSON.parse(running.output().stdout) as RunResult;
    expect(document.aborted).toBe(true);
    expect(document.transports).toEqual([expect.objectContaining({ transport: 'sse', partial: true })]);
    expect(document.transports[0]!.delivery.lost).toBe(0);
    expect(isRunning(running.server)).toBe(false);
  }, 30_000);

  it('takes its reference server down with it when killed outright', async () => {
    const running = await spawnRun(['--transport', 'sse', '--clients', '5', '--duration', '30s']);
    running.child.kill('SIGKILL');
    await waitFor(() => !isRunning(running.server), 'the orphaned server to exit', 5_000);
  }, 30_000);
});
