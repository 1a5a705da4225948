import { PROFILE_EPOCH, type Profile } from '../../profiles/profile.js';
import { ProfileServer, type ProfileServerOptions } from '../../profiles/profile-server.js';
import type { ServerStats } from '../../server/server-options.js';
import { TreeSampler } from '../machine/process-tree.js';
import type { ProcessUsage } from '../machine/process-usage.js';
import type { ClientTls } from '../../transports/shared/plain-connection.js';
import { requestStats } from './stats-request.js';
import { restartNeedsOwnServer, type Target } from './target.js';

const SAMPLE_EVERY_MS = 250;
const STATS_TIMEOUT_MS = 5_000;

export interface ProfileTargetOptions {
  profile: Profile;
  /** A server already running (`--target URL --profile`); absent: one started from the profile's lifecycle. */
  url?: string;
  /** An https `url`: how its certificate is checked (for a `figures: stats` server's /stats). */
  tls?: ClientTls;
  /** `--server-pid`: the processes (each with those below it) whose CPU and memory are the server's. */
  pids?: readonly number[];
  /** How a server im-bench starts is started (template values, CPU pinning). */
  start: ProfileServerOptions;
}

/**
 * A server of a profile's kind, which keeps no `/stats`: what it holds is what its publisher
 * had acknowledged (per channel, the last seq it took), and its CPU and memory come from /proc
 * (the processes im-bench started, or `--server-pid`), from its own `/stats` (`figures: stats`),
 * or from nowhere: then null, which reports print as "not measured".
 */
export class ProfileTarget implements Target {
  restarts = 0;
  readonly selfReported = false;
  readonly deadLogs = new Map<string, ReadonlyMap<string, number>>();
  /**
   * What the server took so far, per log and channel (the publisher's acknowledgements): one
   * log, or one per sender in a chat the publisher numbers. The run points it at its publisher.
   */
  published: () => ReadonlyMap<string, ReadonlyMap<string, number>> = () => new Map();
  private peak: number | null = null;
  private carriedCpuSeconds = 0;
  private timer: NodeJS.Timeout | undefined;
  /** A sample still being read: the next tick waits for it (each scans /proc). */
  private sampling = false;
  private tree: TreeSampler | undefined;

  private constructor(
    readonly url: string,
    private readonly options: ProfileTargetOptions,
    private process: ProfileServer | undefined,
  ) {}

  static async open(options: ProfileTargetOptions): Promise<ProfileTarget> {
    if (options.url !== undefined) return new ProfileTarget(options.url, options, undefined);
    const process = await ProfileServer.start(options.profile, options.start);
    return new ProfileTarget(process.url, options, process);
  }

  get profile(): Profile {
    return this.options.profile;
  }

  /** True when the server's CPU and memory are read from somewhere; false: "not measured". */
  get measured(): boolean {
    return this.reader() !== null;
  }

  /** Every log the publisher wrote to, each channel's last acknowledged seq: what the drain waits for. */
  logs(): ReadonlyMap<string, ReadonlyMap<string, number>> {
    const logs = new Map(this.published());
    if (!logs.has(PROFILE_EPOCH)) logs.set(PROFILE_EPOCH, new Map());
    return logs;
  }

  /** The log as the clients find it: the constant epoch, and each channel's last acknowledged seq. */
  async stats(): Promise<ServerStats> {
    const log = this.published().get(PROFILE_EPOCH) ?? new Map<string, number>();
    const channels = Object.fromEntries([...log].map(([name, lastSeq]) => [name, { lastSeq, firstKept: 0 }]));
    const published = [...log.values()].reduce((sum, seq) => sum + seq, 0);
    return {
      epoch: PROFILE_EPOCH,
      uptimeSeconds: 0,
      transports: [],
      connections: {},
      requests: {},
      shed: {},
      reaped: {},
      published,
      brokerBytes: 0,
      channels,
      cpuSeconds: { user: 0, system: 0, total: 0 },
      rssBytes: 0,
    };
  }

  async rssBytes(): Promise<number | null> {
    const usage = await this.usage(false);
    if (usage !== null) this.peak = Math.max(this.peak ?? 0, usage.rssBytes);
    return usage?.rssBytes ?? null;
  }

  async cpuSeconds(): Promise<number | null> {
    const usage = await this.usage(true);
    return usage === null ? null : this.carriedCpuSeconds + usage.cpuSeconds;
  }

  get peakRssBytes(): number | null {
    return this.peak;
  }

  startSampling(): void {
    if (!this.measured) return;
    this.timer = setInterval(() => {
      if (this.sampling) return;
      this.sampling = true;
      void this.rssBytes()
        .catch(() => {})
        .finally(() => (this.sampling = false));
    }, SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  /** Kills every process of the server and starts it again on the same port: what it held in memory is gone. */
  async restart(onKilled?: () => Promise<void>): Promise<void> {
    if (this.process === undefined) throw restartNeedsOwnServer();
    this.carriedCpuSeconds = (await this.cpuSeconds().catch(() => null)) ?? this.carriedCpuSeconds;
    const port = this.process.port;
    await this.process.kill();
    await onKilled?.();
    this.process = await ProfileServer.start(this.options.profile, { ...this.options.start, port });
    this.restarts++;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.process?.stop();
  }

  /** `complete`: CPU, which must count every process of the server (see TreeSampler). */
  private usage(complete: boolean): Promise<ProcessUsage | null> {
    return this.reader()?.(complete) ?? Promise.resolve(null);
  }

  /** Where CPU and memory are read: `--server-pid` first, then what the profile says it offers. */
  private reader(): ((complete: boolean) => Promise<ProcessUsage>) | null {
    const { pids, profile } = this.options;
    if (pids !== undefined && pids.length > 0) return this.treeOf(pids);
    if (profile.figures === 'stats') return () => statsUsage(this.url, this.options.tls);
    const process = this.process;
    if (process !== undefined && profile.figures !== 'none') return this.treeOf([process.pid]);
    return null;
  }

  /** The sampler of the tree under `roots`, kept while the roots stay (a restarted server has new ones). */
  private treeOf(roots: readonly number[]): (complete: boolean) => Promise<ProcessUsage> {
    if (this.tree?.roots.join() !== roots.join()) this.tree = new TreeSampler(roots);
    const tree = this.tree;
    return (complete) => tree.read(complete);
  }
}

async function statsUsage(url: string, tls: ClientTls | undefined): Promise<ProcessUsage> {
  const stats = await requestStats(url, STATS_TIMEOUT_MS, tls);
  return { cpuSeconds: stats.cpuSeconds.total, rssBytes: stats.rssBytes };
}
