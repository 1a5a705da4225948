import { ServerProcess } from './server-process.js';
import { restartNeedsOwnServer, type Target } from './target.js';
import type { ServerStats } from '../../server/server-options.js';

const SAMPLE_EVERY_MS = 250;
const STATS_TIMEOUT_MS = 5_000;

/** Someone else's server: its figures come from its own GET /stats, which the contract asks for. */
export class ExternalTarget implements Target {
  readonly restarts = 0;
  readonly selfReported = true;
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
    return Promise.reject(restartNeedsOwnServer());
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
  }
}
