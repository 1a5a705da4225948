import { lookup } from 'node:dns/promises';
import { BlockList, isIPv6 } from 'node:net';
import { ImBenchError, invalidOption } from '../core/errors.js';
import type { ServerStats } from '../server/reference-server.js';
import { ServerProcess } from './server-process.js';

/**
 * The server a measurement drives: a reference server the harness started (ServerUnderTest),
 * or someone else's that speaks the wire contract (ExternalTarget).
 */
export interface Target {
  readonly url: string;
  /** Restarts so far (a `restart` fault); a precise CPU reading only compares within one process. */
  readonly restarts: number;
  stats(timeoutMs?: number): Promise<ServerStats>;
  rssBytes(): Promise<number>;
  /** CPU seconds of the server so far, read at once (coarse but on time). */
  cpuSeconds(): Promise<number>;
  readonly peakRssBytes: number;
  /** The last count of each log that died with a restart: per epoch, each channel's last seq. */
  readonly deadLogs: ReadonlyMap<string, ReadonlyMap<string, number>>;
  startSampling(): void;
  /** Kills the server and starts it again; `onKilled` runs between the two, when it is certainly down. */
  restart(onKilled?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

const SAMPLE_EVERY_MS = 250;
const STATS_TIMEOUT_MS = 5_000;

// BlockList also matches IPv4-mapped IPv6 spellings such as ::ffff:7f00:1 against the IPv4 rule.
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

function isLoopback(address: string): boolean {
  return LOOPBACK.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
}

/**
 * `--target URL`: an http:// server speaking the wire contract. Loopback unless `allowRemote`,
 * judged on every address the name resolves to, not on how it is spelled.
 */
export async function checkTarget(target: string, allowRemote: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw invalidOption('--target', target, 'an http:// URL such as http://127.0.0.1:8080');
  }
  if (url.protocol !== 'http:' || url.pathname !== '/' || url.search !== '') {
    throw invalidOption('--target', target, 'an http:// URL of the server itself, such as http://127.0.0.1:8080');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = (await lookup(host, { all: true })).map((entry) => entry.address);
  } catch (error) {
    throw invalidOption(
      '--target',
      target,
      `a host that resolves (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  const remote = addresses.filter((address) => !isLoopback(address));
  if (remote.length > 0 && !allowRemote) {
    throw invalidOption(
      '--target',
      target,
      `a loopback address, or --allow-remote to load another machine (it resolves to ${remote.join(', ')})`,
    );
  }
  // Connect to the address that was checked, so a name that resolves differently later cannot move the load.
  if (!allowRemote) url.hostname = isIPv6(addresses[0]!) ? `[${addresses[0]}]` : addresses[0]!;
  return url;
}

/** Someone else's server: its figures come from its own GET /stats, which the contract asks for. */
export class ExternalTarget implements Target {
  readonly restarts = 0;
  readonly deadLogs = new Map<string, ReadonlyMap<string, number>>();
  peakRssBytes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly url: string) {}

  async stats(timeoutMs = STATS_TIMEOUT_MS): Promise<ServerStats> {
    return ServerProcess.statsOf(this.url, timeoutMs);
  }

  async rssBytes(): Promise<number> {
    const rss = (await this.stats()).rssBytes;
    this.peakRssBytes = Math.max(this.peakRssBytes, rss);
    return rss;
  }

  async cpuSeconds(): Promise<number> {
    return (await this.stats()).cpuSeconds.total;
  }

  startSampling(): void {
    this.timer = setInterval(() => void this.rssBytes().catch(() => {}), SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  restart(): Promise<void> {
    return Promise.reject(
      new ImBenchError(
        'IMB_ERR_INVALID_OPTION',
        'a restart fault needs a server im-bench started itself, not --target',
      ),
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
  }
}
