import { type ChildProcess, spawn, type StdioOptions } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  parsePssBytes,
  parseTreeStat,
  processTree,
  readTreeUsage,
  TreeSampler,
} from '../../src/harness/machine/process-tree.js';
import { defer } from '../helpers/cleanup.js';
import { waitFor } from '../helpers/wait.js';

/** A process in a group of its own, killed with everything it started when the test ends. */
function spawnGroup(command: string, args: string[], stdio: StdioOptions = 'ignore'): ChildProcess {
  const child = spawn(command, args, { stdio, detached: true });
  defer(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  });
  return child;
}

describe('a server made of several processes', () => {
  it('parses ppid and own and reaped CPU ticks after a command name holding ") "', () => {
    const line = '4242 (a) b) S 17 4242 4242 0 -1 4194560 1 0 0 0 250 37 12 3 20 0 1 0 5 0 0';
    expect(parseTreeStat(line)).toEqual({ ppid: 17, ownTicks: 287, reapedTicks: 15 });
    expect(() => parseTreeStat('4242 (short) S 17')).toThrow(/CPU times/);
  });

  it('reads Pss, and 0 when there is none', () => {
    expect(parsePssBytes('Rss:  2048 kB\nPss:  1024 kB\nPss_Anon: 10 kB\n')).toBe(1024 * 1024);
    expect(parsePssBytes('')).toBe(0);
  });

  it("counts CPU to the microsecond from the threads' run time, not in 10 ms ticks", async () => {
    // A busy loop of about 3 ms: 0 or 10 ms in ticks, close to 3 ms in run time.
    const child = spawnGroup(process.execPath, [
      '-e',
      'const end = Date.now() + 3; while (Date.now() < end); setTimeout(() => {}, 20_000)',
    ]);
    await waitFor(() => processTree(child.pid!).length === 1, 'the child');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { cpuSeconds } = await readTreeUsage(child.pid!);
    // Node's own start costs some tens of ms: what matters is a figure that is not a whole number of ticks.
    expect(cpuSeconds).toBeGreaterThan(0.003);
    expect(Math.abs(cpuSeconds * 100 - Math.round(cpuSeconds * 100))).toBeGreaterThan(1e-6);
  });

  it('finds every process below a root, and sums their CPU and memory', async () => {
    // A shell with two children of its own, like a master with its workers.
    const root = spawnGroup('sh', ['-c', 'sleep 20 & sleep 20 & wait']);
    let tree: number[] = [];
    await waitFor(() => (tree = processTree(root.pid!)).length === 3, 'the shell and its two sleeps');
    expect(tree[0]).toBe(root.pid);
    const usage = await readTreeUsage(root.pid!);
    expect(usage.cpuSeconds).toBeGreaterThanOrEqual(0);
    expect(usage.rssBytes).toBeGreaterThan(0);
    // A root named twice, or with a process of its own tree (--server-pid MASTER,WORKER), counts each process once.
    const twice = await readTreeUsage(root.pid!, root.pid!, tree[1]!);
    expect(twice.rssBytes).toBeGreaterThan(usage.rssBytes * 0.9);
    expect(twice.rssBytes).toBeLessThan(usage.rssBytes * 1.1);
    process.kill(-root.pid!, 'SIGKILL');
    await waitFor(() => processTree(root.pid!).length === 0, 'the tree to be gone');
    await expect(readTreeUsage(root.pid!)).rejects.toThrow(/gone/);
  });

  it('a sampler keeps the tree it found until asked to scan again, and scans again when a member is gone', async () => {
    // A shell that starts its second child once told to, and whose first child can be killed.
    const root = spawnGroup('sh', ['-c', 'sleep 20 & read go; sleep 20 & wait'], ['pipe', 'ignore', 'ignore']);
    await waitFor(() => processTree(root.pid!).length === 2, 'the shell and its first sleep');
    const sampler = new TreeSampler([root.pid!]);
    expect((await sampler.read()).rssBytes).toBeGreaterThan(0);
    const [, first] = sampler.members;
    root.stdin!.write('\n');
    await waitFor(() => processTree(root.pid!).length === 3, 'the second sleep');
    await sampler.read();
    expect(sampler.members).toHaveLength(2);
    await sampler.read(true);
    expect(sampler.members).toHaveLength(3);
    process.kill(first!, 'SIGKILL');
    await waitFor(() => processTree(root.pid!).length === 2, 'the first sleep to be gone');
    await sampler.read();
    expect(sampler.members).not.toContain(first);
    expect(sampler.members).toHaveLength(2);
  });
});
