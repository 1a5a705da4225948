import { isIPv4 } from 'node:net';
import { invalidOption } from '../../core/errors.js';
import type { Scenario } from '../../document/scenario.js';
import type { CapacityReport } from '../machine/preflight.js';
import type { Shard } from '../run/shard.js';

/** How the clients are held: in how many processes, from which source addresses, which shard. */
export interface GeneratorPlan {
  /** 1 = in this process; more = that many worker processes. */
  workers: number;
  /** Source addresses dealt out to the clients by index; [] = the system's choice. */
  localAddresses: string[];
  shard?: Shard;
}

export interface GeneratorRequest {
  workers: number | 'auto';
  localAddresses: string[] | 'auto';
  shard?: Shard;
}

/**
 * One generator process comfortably holds this many connections: well inside the 20,000
 * open files a process may have on the machines im-bench is measured on.
 */
export const CLIENTS_PER_WORKER = 10_000;
/** With a spare core, a worker for every this many clients, so receiving is spread over cores. */
export const CLIENTS_PER_CORE_WORKER = 2_000;
/**
 * Past this many clients on one source address, connecting to one server port slows sharply
 * (measured: from about 15k) well before the ephemeral range is spent: spread the sources.
 */
export const CLIENTS_PER_SOURCE_ADDRESS = 15_000;
/** The sources `auto` spreads over: loopback aliases every Linux machine answers on. */
export const AUTO_LOCAL_ADDRESSES = '127.0.0.2-127.0.0.9';

/** `127.0.0.2-127.0.0.9` (a range in the last octet) or `127.0.0.2,127.0.0.3`: IPv4 addresses. */
export function parseLocalAddresses(text: string): string[] {
  const expected = 'IPv4 addresses such as 127.0.0.2-127.0.0.9 (a range in the last octet) or 127.0.0.2,127.0.0.3';
  const addresses: string[] = [];
  for (const part of text.split(',').map((piece) => piece.trim())) {
    const [from, to] = part.split('-');
    if (from === undefined || !isIPv4(from)) throw invalidOption('--local-address', text, expected);
    if (to === undefined) {
      addresses.push(from);
      continue;
    }
    if (!isIPv4(to)) throw invalidOption('--local-address', text, expected);
    const prefix = from.slice(0, from.lastIndexOf('.') + 1);
    const first = Number(from.slice(prefix.length));
    const last = Number(to.slice(prefix.length));
    if (!to.startsWith(prefix) || last < first) throw invalidOption('--local-address', text, expected);
    for (let octet = first; octet <= last; octet++) addresses.push(`${prefix}${octet}`);
  }
  if (new Set(addresses).size !== addresses.length)
    throw invalidOption('--local-address', text, `${expected}, each once`);
  return addresses;
}

function isIPv4Loopback(host: string): boolean {
  return isIPv4(host) && host.startsWith('127.');
}

/**
 * Settles `--workers` and `--local-address` for `clients` connections (this shard's share):
 * `auto` workers are enough processes for their open files, and one per spare core once there
 * are clients enough to share; `auto` sources spread over loopback aliases once one address
 * would run short of ports (loopback targets only). A chat keeps its clients in this process:
 * they publish on the schedule, which runs here.
 */
export function planGenerator(
  request: GeneratorRequest,
  context: { clients: number; scenario: Pick<Scenario, 'publisher'>; targetHost: string; generatorCores: number },
): GeneratorPlan {
  const { clients } = context;
  let workers: number;
  if (context.scenario.publisher === 'clients') {
    if (request.workers !== 'auto' && request.workers > 1) {
      throw invalidOption(
        '--workers',
        String(request.workers),
        '1 or auto for a chat scenario: its clients publish on the schedule, which runs in one process',
      );
    }
    workers = 1;
  } else if (request.workers === 'auto') {
    const forFiles = Math.ceil(clients / CLIENTS_PER_WORKER);
    const forCores =
      context.generatorCores > 1 ? Math.min(context.generatorCores, Math.ceil(clients / CLIENTS_PER_CORE_WORKER)) : 1;
    workers = Math.max(1, forFiles, forCores);
  } else {
    workers = request.workers;
  }
  workers = Math.max(1, Math.min(workers, clients));

  let localAddresses: string[];
  if (request.localAddresses !== 'auto') {
    localAddresses = request.localAddresses;
  } else {
    localAddresses =
      clients > CLIENTS_PER_SOURCE_ADDRESS && isIPv4Loopback(context.targetHost)
        ? parseLocalAddresses(AUTO_LOCAL_ADDRESSES)
        : [];
  }
  return { workers, localAddresses, ...(request.shard === undefined ? {} : { shard: request.shard }) };
}

const count = (n: number): string => n.toLocaleString('en-US');

/** One line for the terminal before a run: the machine's limits, and how the clients fit them. */
export function describePlan(plan: GeneratorPlan, capacity: CapacityReport, totalMemoryBytes: number): string {
  const limits: string[] = [];
  if (capacity.openFiles !== null)
    limits.push(
      `open files ${Number.isFinite(capacity.openFiles.hard) ? count(capacity.openFiles.hard) : 'unlimited'} a process`,
    );
  if (capacity.ephemeralPorts !== null)
    limits.push(`${count(capacity.ephemeralPorts.count)} ephemeral ports an address`);
  limits.push(`${(totalMemoryBytes / 2 ** 30).toFixed(0)} GiB memory`);
  const where = [
    plan.workers === 1 ? 'in this process' : `over ${plan.workers} worker processes`,
    plan.localAddresses.length === 0 ? undefined : `from ${plan.localAddresses.length} source addresses`,
    plan.shard === undefined ? undefined : `as shard ${plan.shard.index}/${plan.shard.count}`,
  ].filter((part) => part !== undefined);
  const server =
    capacity.serverDescriptorsNeeded === null
      ? ''
      : `; the server needs about ${count(capacity.serverDescriptorsNeeded)} open files`;
  return `machine: ${limits.join(', ')}. ${count(capacity.clients)} clients ${where.join(', ')} (about ${count(capacity.descriptorsNeeded)} open files a process)${server}`;
}
