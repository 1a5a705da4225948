import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { defer } from '../helpers/cleanup.js';
import { CLI, runCli, spawnServe } from '../helpers/cli.js';
import { childrenOf, isRunning } from '../helpers/processes.js';
import { validateResult } from '../helpers/result-schema.js';
import { waitFor } from '../helpers/wait.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';

const BAD_SCENARIO = fileURLToPath(new URL('../fixtures/scenarios/bad-field.yaml', import.meta.url));

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
  await waitFor(() => (server = childrenOf(child.pid!)[0] ?? 0) !== 0, 'the reference server child', 10_000);
  return { child, output: () => ({ stdout, stderr }), server };
}

describe('im-bench run (the real CLI)', () => {
  it('runs every technique and prints a result document that matches the committed schema', async () => {
    const result = await runCli(['run', '--transport', 'all', '--clients', '20', '--duration', '2s', '--json'], 60_000);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as RunResult;
    expect(validateResult(document)).toEqual([]);
    expect(document.transports.map((transport) => transport.transport)).toEqual([...TRANSPORT_NAMES]);
    expect(document.scenario).toMatchObject({ name: 'notify', clients: 20, durationMs: 2_000 });
    for (const transport of document.transports) expect(transport.delivery.lost, transport.transport).toBe(0);
  }, 90_000);

  it('refuses a bad scenario field with exit 2, naming the file and the field', async () => {
    const result = await runCli(['run', '--scenario', BAD_SCENARIO]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(`^Error: ${BAD_SCENARIO.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\w[\\w-]*: expected `),
    );
    expect(result.stdout).toBe('');
  });

  it('refuses a bad flag with exit 2 and starts nothing', async () => {
    const result = await runCli(['run', '--clients', '-1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Error: --clients: expected an integer from 1 to 1000000, got "-1"');
  });

  it('stops before starting anything when the clients would not fit in the open-file limit', async () => {
    const hardLimit = Number(/^Max open files\s+\S+\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1]);
    const clients = hardLimit + 1;
    const result = await runCli(['run', '--clients', String(clients)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `Error: --clients ${clients} needs about ${clients + 64} open files in the reference server, which is one process`,
    );
    expect(result.stderr).toContain(`the hard limit here is ${hardLimit} (ulimit -Hn)`);
    expect(result.stdout).toBe('');
  });

  it('drives a server it did not start (--target), twice, counting only what each run published', async () => {
    const serve = await spawnServe();
    const target = serve.url.replace('127.0.0.1', 'localhost');
    for (let round = 0; round < 2; round++) {
      const result = await runCli(
        [
          'run',
          '--target',
          target,
          '--transport',
          'sse,websocket',
          '--clients',
          '5',
          '--duration',
          '1s',
          '--warmup',
          '200ms',
          '--rate',
          '10',
          '--json',
          '--quiet',
        ],
        30_000,
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const document = JSON.parse(result.stdout) as RunResult;
      expect(validateResult(document)).toEqual([]);
      // The name was resolved and checked once; the run loads (and names) the checked address.
      expect(document.environment.target).toBe(new URL(serve.url).origin);
      for (const transport of document.transports) {
        expect(transport.delivery.lost, transport.transport).toBe(0);
        expect(transport.delivery.expected, transport.transport).toBe(transport.published.total * 5);
        expect(transport.server.peakRssBytes, transport.transport).toBeGreaterThan(0);
      }
    }
  }, 60_000);

  it('refuses a --target that is not on this machine unless --allow-remote, judged on the resolved address', async () => {
    const remote = await runCli(['run', '--target', 'http://10.1.2.3:8080']);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain(
      'Error: --target: expected a loopback address, or --allow-remote to load another machine (it resolves to 10.1.2.3)',
    );
    const loopback = await runCli(['run', '--target', 'http://127.9.9.9:1', '--clients', '1', '--duration', '200ms']);
    expect(loopback.stderr).not.toContain('loopback address');
    expect(loopback.stderr).toContain('Error: cannot read http://127.9.9.9:1/stats (connect ECONNREFUSED 127.9.9.9:1)');
    expect(loopback.code).toBe(4);
  });

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
    await new Promise((resolve) => setTimeout(resolve, 1_500));
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
    await new Promise((resolve) => setTimeout(resolve, 1_500));
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
