import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ImBenchError } from '../../src/core/errors.js';
import { describeEnvironment, gitSha } from '../../src/harness/environment.js';
import { GENERATOR_BOUND_CPU, GeneratorMonitor, generatorBoundWarning } from '../../src/harness/generator-health.js';
import {
  currentAffinity,
  formatCpuList,
  parseCpuList,
  parseTasksetAffinity,
  pinProcess,
  planPlacement,
  serverPinPrefix,
  splitCpus,
} from '../../src/harness/placement.js';
import {
  capacityError,
  checkCapacity,
  parseOpenFileLimits,
  parsePortRange,
  serverSpawnPrefix,
  type CapacityReport,
} from '../../src/harness/preflight.js';
import {
  ProcessSampler,
  clockTicksPerSecond,
  parseProcStat,
  parseVmRssBytes,
  readProcessUsage,
} from '../../src/harness/process-usage.js';
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

describe('generator health', () => {
  it('reports a blocked loop as lag, net of the sampling step, and its share of the time', async () => {
    const monitor = new GeneratorMonitor().start();
    await sleep(30);
    spin(80);
    await sleep(30);
    const health = monitor.stop();
    expect(health.eventLoopDelayMaxMs).toBeGreaterThanOrEqual(60);
    expect(health.eventLoopDelayMaxMs).toBeLessThan(1_000);
    expect(health.eventLoopDelayP99Ms).toBeLessThanOrEqual(health.eventLoopDelayMaxMs);
    expect(health.stalledShare).toBeGreaterThan(0.3);
    expect(health.bound).toBe(true);
    expect(new GeneratorMonitor().stop()).toMatchObject({
      eventLoopDelayP99Ms: 0,
      eventLoopDelayMaxMs: 0,
      stalledShare: 0,
    });
  });

  it('does not count the sampling step itself as lag', async () => {
    const monitor = new GeneratorMonitor(100).start();
    await sleep(350);
    const health = monitor.stop();
    // Raw samples of an idle loop are each >= 100 ms here; net of the step they are near 0,
    // with room for a scheduling hiccup of a loaded machine.
    expect(health.eventLoopDelayP99Ms).toBeLessThan(90);
    expect(health.cpuUtilization).toBeLessThan(0.5);
  });

  it('sees a generator busy on CPU even when its loop turns quickly', async () => {
    const monitor = new GeneratorMonitor().start();
    const cpuStart = process.cpuUsage();
    // Many short bursts: the loop keeps turning, but the core is all used.
    while (process.cpuUsage(cpuStart).user < 300_000) {
      spin(4);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const health = monitor.stop();
    expect(health.cpuUtilization).toBeGreaterThan(GENERATOR_BOUND_CPU * 0.8);
  });

  it('says why the generator was saturated and what to change', () => {
    const warning = generatorBoundWarning('websocket', {
      eventLoopDelayP99Ms: 34.25,
      eventLoopDelayMaxMs: 80,
      stalledShare: 0.2,
      cpuUtilization: 0.95,
      bound: true,
    });
    expect(warning).toMatch(
      /^websocket: .*34\.3 ms at p99, over 20; loop blocked 20 % of the time, over 10; CPU 95 % of a core, over 90\)/,
    );
    expect(warning).toContain('CPU 95 % of a core');
    expect(warning).toContain('--clients');
    expect(warning).toContain('--pin auto');
    expect(warning).not.toContain('--workers');
    const pinned = generatorBoundWarning(
      'websocket',
      { eventLoopDelayP99Ms: 34.25, eventLoopDelayMaxMs: 80, stalledShare: 0.2, cpuUtilization: 0.95, bound: true },
      true,
    );
    expect(pinned).not.toContain('--pin');
    expect(pinned).toContain('--shard');
  });
});

describe('preflight', () => {
  const limitsText = [
    'Limit                     Soft Limit           Hard Limit           Units     ',
    'Max processes             96365                96365                processes ',
    'Max open files            1024                 20000                files     ',
    'Max locked memory         8388608              8388608              bytes     ',
  ].join('\n');

  it('parses open-file limits and the port range from raw /proc text', () => {
    expect(parseOpenFileLimits(limitsText)).toEqual({ soft: 1024, hard: 20_000 });
    expect(parseOpenFileLimits('Max open files            unlimited            unlimited            files')).toEqual({
      soft: Infinity,
      hard: Infinity,
    });
    expect(parseOpenFileLimits('Max processes 5 5 processes')).toBeNull();
    expect(parsePortRange('32768\t60999\n')).toEqual({ low: 32_768, high: 60_999, count: 28_232 });
    expect(parsePortRange('60999 32768')).toBeNull();
    expect(parsePortRange('')).toBeNull();
  });

  it('explains what does not fit: the one server process, a generator process, the ports of the source addresses', () => {
    const ports = { low: 32_768, high: 60_999, count: 28_232 };
    const hard = { soft: 20_000, hard: 20_000 };
    const demand = (clients: number, workers = 1, sourceAddresses = 1, localServer = true) => ({
      clients,
      workers,
      sourceAddresses,
      localServer,
    });
    const files = capacityError(demand(25_000), hard, ports);
    expect(files).toBeInstanceOf(ImBenchError);
    expect(files!.code).toBe('IMB_ERR_PREFLIGHT');
    expect(files!.message).toContain('--clients 25000 needs about 25064 open files in the reference server');
    expect(files!.message).toContain(
      'hard limit here is 20000 (ulimit -Hn): that is beyond what one server process can hold',
    );
    expect(files!.message).toContain('--clients 25000 over 1 generator process needs about 25064 open files in each');
    expect(files!.message).toContain('use --workers 2 or more');
    // Against someone else's server, workers are enough.
    expect(capacityError(demand(25_000, 2, 1, false), hard, ports)).toBeNull();
    expect(capacityError(demand(25_000, 1, 1, false), hard, ports)!.message).not.toContain('reference server');
    const portError = capacityError(demand(30_000, 2, 1, false), { soft: Infinity, hard: Infinity }, ports);
    expect(portError!.message).toMatch(
      /32768-60999 \(28232 ports.*ip_local_port_range.*per source address, and the clients use 1; connect from more addresses \(--local-address/,
    );
    expect(capacityError(demand(30_000, 2, 2, false), { soft: Infinity, hard: Infinity }, ports)).toBeNull();
    expect(capacityError(demand(19_000), { soft: 1024, hard: 20_000 }, ports)).toBeNull();
    expect(capacityError(demand(19_000), null, null)).toBeNull();
  });

  it('names the flag it is given, and for a generator that is one process advises no workers or addresses', () => {
    const hard = { soft: 1024, hard: 20_000 };
    const ports = { low: 32768, high: 60999, count: 28232 };
    const single = {
      clients: 30_000,
      workers: 1,
      sourceAddresses: 1,
      localServer: true,
      flag: '--connections',
      singleProcess: true,
    };
    const message = capacityError(single, hard, ports)!.message;
    expect(message).toContain('--connections 30000 needs about 30064 open files in the reference server');
    expect(message).toContain(
      '--connections 30000 needs about 30064 open files in the load generator, which is one process',
    );
    expect(message).toContain('lower --connections, or widen the range');
    expect(message).not.toMatch(/--clients|--workers|--local-address/);
  });

  it.runIf(isLinux)('reads this machine and refuses more clients than the hard limit allows', () => {
    const limits = parseOpenFileLimits(readFileSync('/proc/self/limits', 'utf8'))!;
    const report = checkCapacity({ clients: 100, workers: 1, sourceAddresses: 1, localServer: true });
    expect(report).toMatchObject({
      clients: 100,
      descriptorsNeeded: 164,
      serverDescriptorsNeeded: 164,
      openFiles: limits,
      raised: false,
    });
    expect(report.ephemeralPorts).toEqual(
      parsePortRange(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')),
    );
    if (!Number.isFinite(limits.hard)) return;
    const tooMany = limits.hard + 1;
    expect(() => checkCapacity({ clients: tooMany, workers: 1, sourceAddresses: 8, localServer: true })).toThrow(
      expect.objectContaining({ code: 'IMB_ERR_PREFLIGHT', message: expect.stringContaining(`--clients ${tooMany}`) }),
    );
  });

  it('prefixes the server with prlimit only when its inherited soft limit is too low', () => {
    const report: CapacityReport = {
      clients: 5_000,
      descriptorsNeeded: 5_064,
      serverDescriptorsNeeded: 5_064,
      openFiles: { soft: 1024, hard: 20_000 },
      ephemeralPorts: null,
      raised: false,
    };
    expect(serverSpawnPrefix(report, 5_000)).toEqual(
      hasTool('prlimit') ? ['prlimit', '--nofile=20000:20000', '--'] : [],
    );
    expect(serverSpawnPrefix(report, 900)).toEqual([]);
    expect(serverSpawnPrefix({ ...report, openFiles: null }, 5_000)).toEqual([]);
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
