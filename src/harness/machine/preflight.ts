import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ImBenchError } from '../../core/errors.js';

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

/** What a run asks of this machine: connections, and how they are spread. */
export interface CapacityDemand {
  clients: number;
  /** Generator processes holding the clients (`--workers`). */
  workers: number;
  /** Local source addresses the clients connect from; each has its own ephemeral ports. */
  sourceAddresses: number;
  /** True when im-bench starts the server here (no `--target`): it must hold every client too. */
  localServer: boolean;
  /** The flag that sets `clients`, named in the advice; `--clients` unless said. */
  flag?: string;
  /** True when the generator cannot be split over workers (`im-bench capacity`'s autocannon). */
  singleProcess?: boolean;
}

export interface CapacityReport {
  clients: number;
  /** Open files the busiest generator process needs. */
  descriptorsNeeded: number;
  /** Open files the reference server needs (null with `--target`). */
  serverDescriptorsNeeded: number | null;
  /** This process's limits after any raise; null when they could not be read (no /proc). */
  openFiles: OpenFileLimits | null;
  /** Local ports a client connection can take, per source address; null when unknown. */
  ephemeralPorts: PortRange | null;
  /** True when the soft limit was raised to make room. */
  raised: boolean;
}

export function descriptorsNeeded(clients: number, extra = DEFAULT_EXTRA_DESCRIPTORS): number {
  return clients + extra;
}

/** The most clients one generator process holds when `clients` are split over `workers`. */
export function clientsPerProcess(clients: number, workers: number): number {
  return Math.ceil(clients / Math.max(1, workers));
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
  demand: CapacityDemand,
  openFiles: OpenFileLimits | null,
  ports: PortRange | null,
): ImBenchError | null {
  const { clients, workers, sourceAddresses } = demand;
  const flag = demand.flag ?? '--clients';
  const problems: string[] = [];
  const serverNeeds = descriptorsNeeded(clients);
  if (openFiles && demand.localServer && serverNeeds > openFiles.hard) {
    problems.push(
      `${flag} ${clients} needs about ${serverNeeds} open files in the reference server, which is one process, ` +
        `but the hard limit here is ${openFiles.hard} (ulimit -Hn): that is beyond what one server process can hold on this machine; ` +
        `lower ${flag}, raise the hard limit as root (limits.conf / systemd LimitNOFILE), ` +
        'or spread the load: a clustered server (--target) or shards on more machines (--shard)',
    );
  }
  const generatorNeeds = descriptorsNeeded(clientsPerProcess(clients, workers));
  if (openFiles && generatorNeeds > openFiles.hard && demand.singleProcess === true) {
    problems.push(
      `${flag} ${clients} needs about ${generatorNeeds} open files in the load generator, which is one process, ` +
        `but the hard limit here is ${openFiles.hard} (ulimit -Hn); lower ${flag}`,
    );
  } else if (openFiles && generatorNeeds > openFiles.hard) {
    const enough = Math.ceil(clients / Math.max(1, openFiles.hard - DEFAULT_EXTRA_DESCRIPTORS));
    problems.push(
      `${flag} ${clients} over ${workers} generator process${workers === 1 ? '' : 'es'} needs about ${generatorNeeds} open files in each, ` +
        `but the hard limit here is ${openFiles.hard} (ulimit -Hn); use --workers ${enough} or more (or --workers auto)`,
    );
  }
  if (ports && clients > ports.count * sourceAddresses) {
    problems.push(
      `${flag} ${clients} needs one local port per client to reach one server address, ` +
        `but the ephemeral port range here is ${ports.low}-${ports.high} (${ports.count} ports, ` +
        `/proc/sys/net/ipv4/ip_local_port_range) per source address, and the clients use ${sourceAddresses}; ` +
        (demand.singleProcess === true
          ? `lower ${flag}, `
          : 'connect from more addresses (--local-address 127.0.0.2-127.0.0.9), ') +
        'or widen the range as root (sysctl -w net.ipv4.ip_local_port_range="1024 65535")',
    );
  }
  return problems.length > 0 ? new ImBenchError('IMB_ERR_PREFLIGHT', problems.join('\n')) : null;
}

/** This machine's open-file limits and ephemeral port range, as far as /proc tells. */
export function readMachineLimits(): { openFiles: OpenFileLimits | null; ports: PortRange | null } {
  return {
    openFiles: readProc('/proc/self/limits', parseOpenFileLimits),
    ports: readProc('/proc/sys/net/ipv4/ip_local_port_range', parsePortRange),
  };
}

/**
 * Checks that the clients fit this machine's open-file limits and ephemeral ports, raising
 * this process's soft open-file limit (up to the hard one) when that is enough; workers
 * inherit it. Throws IMB_ERR_PREFLIGHT when they cannot fit.
 */
export function checkCapacity(demand: CapacityDemand): CapacityReport {
  let { openFiles, ports } = readMachineLimits();
  const error = capacityError(demand, openFiles, ports);
  if (error) throw error;
  const needed = descriptorsNeeded(clientsPerProcess(demand.clients, demand.workers));

  let raised = false;
  if (openFiles && needed > openFiles.soft) {
    const before = openFiles;
    runPrlimit(['--pid', String(process.pid), `--nofile=${nofileValue(before, needed)}`]);
    openFiles = readProc('/proc/self/limits', parseOpenFileLimits);
    if (!openFiles || needed > openFiles.soft) {
      throw new ImBenchError(
        'IMB_ERR_PREFLIGHT',
        `${demand.flag ?? '--clients'} ${demand.clients} needs about ${needed} open files in one process, but the soft limit here is ` +
          `${before.soft} and raising it with prlimit failed; run \`ulimit -n ${before.hard}\` ` +
          `in the shell that starts im-bench, or lower ${demand.flag ?? '--clients'}`,
      );
    }
    raised = true;
  }
  return {
    clients: demand.clients,
    descriptorsNeeded: needed,
    serverDescriptorsNeeded: demand.localServer ? descriptorsNeeded(demand.clients) : null,
    openFiles,
    ephemeralPorts: ports,
    raised,
  };
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
