import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImBenchError } from '../../src/core/errors.js';
import {
  capacityError,
  checkCapacity,
  parseOpenFileLimits,
  parsePortRange,
  serverSpawnPrefix,
  type CapacityReport,
} from '../../src/harness/machine/preflight.js';

const isLinux = existsSync('/proc/self/stat');
const hasTool = (name: string): boolean => spawnSync(name, ['--version'], { stdio: 'ignore' }).error === undefined;

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
});

describe('preflight advice and prefixes', () => {
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
