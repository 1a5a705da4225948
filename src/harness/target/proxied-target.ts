import type { ServerStats } from '../../server/server-options.js';
import type { ProcessUsage } from '../machine/process-usage.js';
import type { ReverseProxy } from './reverse-proxy.js';
import type { Target } from './target.js';

/**
 * The server under test behind a reverse proxy (`run --via`): the clients go to the proxy; the
 * publisher, /stats and the server's own CPU and memory stay the origin's. The proxy's CPU and
 * memory are read apart (`proxyUsage`).
 */
export class ProxiedTarget implements Target {
  readonly logs?: () => ReadonlyMap<string, ReadonlyMap<string, number>>;

  constructor(
    /** The server under test, behind the proxy. */
    readonly origin: Target,
    private readonly proxy: ReverseProxy,
  ) {
    if (origin.logs !== undefined) this.logs = () => origin.logs!();
  }

  get url(): string {
    return this.proxy.url;
  }

  get h2cUrl(): string | undefined {
    return this.proxy.h2cUrl;
  }

  /** The publisher speaks to the origin, as a backend publishes to it, not through the clients' proxy. */
  get publishUrl(): string {
    return this.origin.url;
  }

  get restarts(): number {
    return this.origin.restarts;
  }

  get selfReported(): boolean {
    return this.origin.selfReported;
  }

  get peakRssBytes(): number | null {
    return this.origin.peakRssBytes;
  }

  get deadLogs(): ReadonlyMap<string, ReadonlyMap<string, number>> {
    return this.origin.deadLogs;
  }

  stats(timeoutMs?: number): Promise<ServerStats> {
    return this.origin.stats(timeoutMs);
  }

  rssBytes(): Promise<number | null> {
    return this.origin.rssBytes();
  }

  cpuSeconds(): Promise<number | null> {
    return this.origin.cpuSeconds();
  }

  /** The proxy's processes: `complete` rescans for a worker nginx may have replaced (the window's edges). */
  proxyUsage(complete = false): Promise<ProcessUsage> {
    return this.proxy.usage(complete);
  }

  startSampling(): void {
    this.origin.startSampling();
  }

  restart(onKilled?: () => Promise<void>): Promise<void> {
    return this.origin.restart(onKilled);
  }

  async stop(): Promise<void> {
    await this.proxy.stop();
    await this.origin.stop();
  }
}
