import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeEnvironment, gitSha } from '../../src/harness/machine/environment.js';
import {
  currentAffinity,
  formatCpuList,
  parseCpuList,
  parseTasksetAffinity,
  pinProcess,
  planPlacement,
  serverPinPrefix,
  splitCpus,
} from '../../src/harness/machine/placement.js';
import {
  ProcessSampler,
  clockTicksPerSecond,
  parseProcStat,
  parseVmRssBytes,
  readProcessUsage,
} from '../../src/harness/machine/process-usage.js';
import { defer } from '../helpers/cleanup.js';
import { sleep, waitFor } from '../helpers/wait.js';

const isLinux = existsSync('/proc/self/stat');
const hasTool = (name: string): boolean => spawnSync(name, ['--version'], { stdio: 'ignore' }).error === undefined;
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

function sleeper(): ReturnType<typeof spawn> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)'], { stdio: 'ignore' });
  defer(() => child.kill('SIGKILL'));
  return child;
}

describe('process usage', () => {
  it('finds utime and stime after the last parenthesis of a stat line', () => {
    const line = '4242 (node (x) ) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 37 0 0 20 0 11 0 9 123 456\n';
    expect(parseProcStat(line)).toEqual({ utimeTicks: 250, stimeTicks: 37 });
    expect(() => parseProcStat('no parenthesis here')).toThrow();
    expect(() => parseProcStat('1 (short) S 1 2')).toThrow(/utime/);
  });

  it('reads VmRSS in kB from a status text', () => {
    expect(parseVmRssBytes('Name:\tnode\nVmPeak:\t 900 kB\nVmRSS:\t   51200 kB\nRssAnon:\t 100 kB\n')).toBe(
      51_200 * 1024,
    );
    expect(parseVmRssBytes('Name:\tzombie\nState:\tZ (zombie)\n')).toBe(0);
  });

  it.runIf(isLinux)('reads this process: CPU grows with busy work, RSS matches Node within 20%', () => {
    expect(clockTicksPerSecond()).toBe(Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()));
    const before = readProcessUsage(process.pid);
    // Spin on CPU time, not wall time: on a loaded machine this thread may get little of the wall.
    const cpuStart = process.cpuUsage();
    while (process.cpuUsage(cpuStart).user < 150_000) spin(5);
    const after = readProcessUsage(process.pid);
    expect(after.cpuSeconds - before.cpuSeconds).toBeGreaterThanOrEqual(0.08);
    expect(after.cpuSeconds - before.cpuSeconds).toBeLessThan(5);
    const rss = process.memoryUsage.rss();
    expect(after.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(Math.abs(after.rssBytes - rss) / rss).toBeLessThan(0.2);
  });

  it.runIf(isLinux)('keeps the peak RSS across samples', async () => {
    const sampler = new ProcessSampler(process.pid, 10).start();
    const big = Buffer.alloc(96 * 1024 * 1024, 1);
    await sleep(60);
    const rssWithBuffer = process.memoryUsage.rss();
    sampler.stop();
    expect(big.length).toBeGreaterThan(0);
    expect(sampler.peakRssBytes).toBeGreaterThan(rssWithBuffer * 0.8);
    expect(sampler.peakRssBytes).toBeGreaterThanOrEqual(sampler.latest!.rssBytes);
  });

  it.runIf(isLinux)('does not throw on a vanished pid and keeps its last reading', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const never = new ProcessSampler(gone, 10).start();
    await sleep(30);
    expect(never.stop()).toBeNull();
    expect(never.peakRssBytes).toBe(0);

    const child = sleeper();
    const sampler = new ProcessSampler(child.pid!, 10).start();
    await waitFor(() => (sampler.latest?.rssBytes ?? 0) > 0, 'a first sample of the child');
    const peak = sampler.peakRssBytes;
    child.kill('SIGKILL');
    await once(child, 'exit');
    await sleep(40);
    expect(sampler.stop()).not.toBeNull();
    expect(sampler.peakRssBytes).toBe(peak);
  });
});

describe('placement', () => {
  it('parses and formats CPU lists', () => {
    expect(parseCpuList('0-3,5,7-8')).toEqual([0, 1, 2, 3, 5, 7, 8]);
    expect(parseCpuList('3-1')).toBeNull();
    expect(parseCpuList('a')).toBeNull();
    expect(formatCpuList([5, 1, 2, 3, 8, 7])).toBe('1-3,5,7-8');
    expect(parseTasksetAffinity("pid 8811's current affinity list: 0,2-3\n")).toEqual([0, 2, 3]);
  });

  it('gives the server one core and the generator the rest', () => {
    expect(splitCpus([0, 1])).toEqual({ server: '0', generator: '1' });
    expect(splitCpus([0, 1, 2, 3])).toEqual({ server: '0', generator: '1-3' });
    expect(splitCpus([2])).toBeNull();
    expect(planPlacement('off')).toBeNull();
    expect(serverPinPrefix({ server: '0', generator: '1' })).toEqual(['taskset', '-c', '0']);
    expect(serverPinPrefix(null)).toEqual([]);
  });

  it('plans and pins on this machine', async () => {
    const placement = planPlacement('auto');
    if (!hasTool('taskset')) {
      expect(placement).toBeNull();
      return;
    }
    const cpus = currentAffinity()!;
    expect(placement).toEqual(splitCpus(cpus));
    if (cpus.join() === '0,1') expect(placement).toEqual({ server: '0', generator: '1' });
    if (!placement) return;
    const child = sleeper();
    await once(child, 'spawn');
    expect(pinProcess(child.pid!, placement.server)).toBe(true);
    expect(formatCpuList(currentAffinity(child.pid!)!)).toBe(placement.server);
    expect(pinProcess(0x7ffffff, placement.server)).toBe(false);
  });
});

describe('environment', () => {
  it('describes this machine and the placement', () => {
    const environment = describeEnvironment({ server: '0', generator: '1' });
    expect(environment).toMatchObject({
      node: process.version,
      os: `${os.type()} ${os.release()}`,
      platform: process.platform,
      arch: process.arch,
      cores: os.cpus().length,
      totalMemoryBytes: os.totalmem(),
      placement: { server: '0', generator: '1' },
    });
    expect(environment.cpuModel.length).toBeGreaterThan(0);
    expect(describeEnvironment(null).placement).toBeNull();
  });

  it('takes the git sha of the package checkout only', () => {
    const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
    const expected = head.status === 0 ? head.stdout.trim() : null;
    expect(describeEnvironment(null).gitSha).toBe(expected);
    expect(gitSha(path.join(PACKAGE_ROOT, 'src'))).toBeNull();
    const outside = mkdtempSync(path.join(os.tmpdir(), 'imb-env-'));
    defer(() => rmSync(outside, { recursive: true, force: true }));
    expect(gitSha(outside)).toBeNull();
  });
});
