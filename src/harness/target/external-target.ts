import { restartNeedsOwnServer, type Target } from './target.js';
import type { ServerStats } from '../../server/server-options.js';
import type { ClientTls } from '../../transports/shared/plain-connection.js';
import { requestStats } from './stats-request.js';

const SAMPLE_EVERY_MS = 250;
const STATS_TIMEOUT_MS = 5_000;

/** Someone else's server: its figures come from its own GET /stats, which the contract asks for. */
export class ExternalTarget implements Target {
  readonly restarts = 0;
  readonly selfReported = true;
  readonly deadLogs = new Map<string, ReadonlyMap<string, number>>();
  peakRssBytes = 0;
  private timer: NodeJS.Timeout | undefined;

  /** `tls`: how an https server's certificate is checked (`--ca`, and the name its host was pinned from). */
  constructor(
    readonly url: string,
    private readonly tls?: ClientTls,
  ) {}

  async stats(timeoutMs = STATS_TIMEOUT_MS): Promise<ServerStats> {
    return requestStats(this.url, timeoutMs, this.tls);
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
