import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ImBenchError } from '../core/errors.js';

/** Descriptors a process needs beyond one per client: listening socket, stdio, pipes, libuv internals. */
export const DEFAULT_EXTRA_DESCRIPTORS = 64;

/** Infinity stands for "unlimited". */
export interface OpenFileLimits {
  soft: number;
  hard: number;
}

export interface PortRange {
  low: number;
  high: number;
  count: number;
}

export interface CapacityReport {
  clients: number;
  /** Open files each of the generator and the server needs. */
  descriptorsNeeded: number;
  /** This process's limits after any raise; null when they could not be read (no /proc). */
  openFiles: OpenFileLimits | null;
  /** Local ports a client connection can take; null when unknown. */
  ephemeralPorts: PortRange | null;
  /** True when the soft limit was raised to make room. */
  raised: boolean;
}

export function descriptorsNeeded(clients: number, extra = DEFAULT_EXTRA_DESCRIPTORS): number {
  return clients + extra;
}

/** The "Max open files" line of a /proc/<pid>/limits text. */
export function parseOpenFileLimits(text: string): OpenFileLimits | null {
  const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  if (!match) return null;
  const soft = parseLimit(match[1]!);
  const hard = parseLimit(match[2]!);
  return soft === null || hard === null ? null : { soft, hard };
}

function parseLimit(value: string): number | null {
  if (value === 'unlimited') return Infinity;
  return /^\d+$/.test(value) ? Number(value) : null;
}

/** The text of /proc/sys/net/ipv4/ip_local_port_range: "32768\t60999". */
export function parsePortRange(text: string): PortRange | null {
  const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
  if (!match) return null;
  const low = Number(match[1]);
  const high = Number(match[2]);
  return high >= low ? { low, high, count: high - low + 1 } : null;
}

/** What makes the run impossible on this machine, as one error, or null when it fits. */
export function capacityError(
  clients: number,
  needed: number,
  openFiles: OpenFileLimits | null,
  ports: PortRange | null,
): ImBenchError | null {
  const problems: string[] = [];
  if (openFiles && needed > openFiles.hard) {
    problems.push(
      `--clients ${clients} needs about ${needed} open files in one process (the generator, and the server too), ` +
        `but the hard limit here is ${openFiles.hard} (ulimit -Hn); lower --clients, ` +
        'or raise the hard limit as root (limits.conf / systemd LimitNOFILE)',
    );
  }
  if (ports && clients > ports.count) {
    problems.push(
      `--clients ${clients} needs one local port per client to reach one server address, ` +
        `but the ephemeral port range here is ${ports.low}-${ports.high} (${ports.count} ports, ` +
        '/proc/sys/net/ipv4/ip_local_port_range); lower --clients, ' +
        'or widen the range as root (sysctl -w net.ipv4.ip_local_port_range="1024 65535")',
    );
  }
  return problems.length > 0 ? new ImBenchError('IMB_ERR_PREFLIGHT', problems.join('\n')) : null;
}

/**
 * Checks that `clients` connections fit this machine's open-file limits and ephemeral ports,
 * raising this process's soft open-file limit (up to the hard one) when that is enough.
 * Throws IMB_ERR_PREFLIGHT when they cannot fit.
 */
export function checkCapacity(clients: number, options: { extraDescriptors?: number } = {}): CapacityReport {
  const needed = descriptorsNeeded(clients, options.extraDescriptors);
  const ports = readProc('/proc/sys/net/ipv4/ip_local_port_range', parsePortRange);
  let openFiles = readProc('/proc/self/limits', parseOpenFileLimits);
  const error = capacityError(clients, needed, openFiles, ports);
  if (error) throw error;

  let raised = false;
  if (openFiles && needed > openFiles.soft) {
    const before = openFiles;
    runPrlimit(['--pid', String(process.pid), `--nofile=${nofileValue(before, needed)}`]);
    openFiles = readProc('/proc/self/limits', parseOpenFileLimits);
    if (!openFiles || needed > openFiles.soft) {
      throw new ImBenchError(
        'IMB_ERR_PREFLIGHT',
        `--clients ${clients} needs about ${needed} open files in one process, but the soft limit here is ` +
          `${before.soft} and raising it with prlimit failed; run \`ulimit -n ${before.hard}\` ` +
          'in the shell that starts im-bench, or lower --clients',
      );
    }
    raised = true;
  }
  return { clients, descriptorsNeeded: needed, openFiles, ephemeralPorts: ports, raised };
}

/**
 * argv to put before a spawned server's command so it may open enough files, when the soft
 * limit it would inherit is too low; [] when not needed or prlimit is missing. (Node itself
 * raises its soft limit to the hard one at startup, so this guards servers that do not.)
 */
export function serverSpawnPrefix(report: CapacityReport, clients: number): string[] {
  const needed = descriptorsNeeded(clients);
  const limits = report.openFiles;
  if (!limits || needed <= limits.soft || needed > limits.hard) return [];
  if (!runPrlimit(['--version'])) return [];
  return ['prlimit', `--nofile=${nofileValue(limits, needed)}`, '--'];
}

/** soft:hard for prlimit: the soft limit up to the hard one, or to what is needed when the hard one is unlimited. */
function nofileValue(limits: OpenFileLimits, needed: number): string {
  return Number.isFinite(limits.hard) ? `${limits.hard}:${limits.hard}` : `${needed}:unlimited`;
}

function runPrlimit(args: string[]): boolean {
  try {
    execFileSync('prlimit', args, { stdio: 'ignore', timeout: 2_000 });
    return true;
  } catch {
    return false;
  }
}

function readProc<T>(path: string, parse: (text: string) => T | null): T | null {
  try {
    return parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}
