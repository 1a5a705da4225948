import { join } from 'node:path';
import { makeTemporaryFolder, removeTemporaryPath } from '../../core/temporary-paths.js';
import { ProcessSampler, readProcessUsage } from '../machine/process-usage.js';
import { ServerProcess, type ServerProcessOptions } from './server-process.js';
import type { Target } from './target.js';
import type { ServerStats } from '../../server/server-options.js';

/**
 * The reference server of one measurement across its incarnations: a `restart` fault kills
 * the process and starts another on the same port (with the same journal, if any). CPU and
 * peak RSS are summed and maxed over every incarnation.
 */
const LAST_STATS_TIMEOUT_MS = 500;

export class ServerUnderTest implements Target {
  restarts = 0;
  readonly selfReported = true;
  readonly deadLogs = new Map<string, ReadonlyMap<string, number>>();
  private sampler: ProcessSampler;
  private previousPeakRss = 0;
  private carriedCpuSeconds = 0;

  private constructor(
    private process: ServerProcess,
    private readonly options: ServerProcessOptions,
    private readonly journalFolder: string | undefined,
  ) {
    this.sampler = new ProcessSampler(process.pid);
  }

  /**
   * Starts the server; with `journal`, its log lives in a fresh temporary folder for the
   * measurement, removed when it stops, or when this process exits if it never does.
   */
  static async start(options: ServerProcessOptions, journal: boolean): Promise<ServerUnderTest> {
    const journalFolder = journal ? makeTemporaryFolder('im-bench-journal-') : undefined;
    const withJournal =
      journalFolder === undefined ? options : { ...options, journalPath: join(journalFolder, 'log.jsonl') };
    try {
      return new ServerUnderTest(await ServerProcess.start(withJournal), withJournal, journalFolder);
    } catch (error) {
      if (journalFolder !== undefined) removeTemporaryPath(journalFolder);
      throw error;
    }
  }

  get url(): string {
    return this.process.url;
  }

  get h2cUrl(): string | undefined {
    return this.process.h2cUrl;
  }

  get pid(): number {
    return this.process.pid;
  }

  stats(timeoutMs?: number): Promise<ServerStats> {
    return this.process.stats(timeoutMs);
  }

  async rssBytes(): Promise<number> {
    return readProcessUsage(this.pid).rssBytes;
  }

  /** CPU seconds of every incarnation so far, from /proc (10 ms ticks). */
  async cpuSeconds(): Promise<number> {
    return this.carriedCpuSeconds + readProcessUsage(this.pid).cpuSeconds;
  }

  get peakRssBytes(): number {
    return Math.max(this.previousPeakRss, this.sampler.peakRssBytes);
  }

  startSampling(): void {
    this.sampler.start();
  }

  /** SIGKILL, then a new process on the same port; clients reconnect to it by themselves. */
  async restart(onKilled?: () => Promise<void>): Promise<void> {
    // What the log held a moment before it died: a witness for counting its loss.
    const last = await this.process.stats(LAST_STATS_TIMEOUT_MS).catch(() => undefined);
    if (last !== undefined)
      this.deadLogs.set(
        last.epoch,
        new Map(Object.entries(last.channels).map(([name, state]) => [name, state.lastSeq])),
      );
    this.carriedCpuSeconds += readProcessUsage(this.pid).cpuSeconds;
    this.sampler.stop();
    this.previousPeakRss = this.peakRssBytes;
    await this.process.kill();
    await onKilled?.();
    const { port, h2cPort } = this.process;
    this.process = await ServerProcess.start({ ...this.options, port, ...(h2cPort === undefined ? {} : { h2cPort }) });
    this.sampler = new ProcessSampler(this.process.pid).start();
    this.restarts++;
  }

  async stop(): Promise<void> {
    this.sampler.stop();
    await this.process.stop();
    if (this.journalFolder !== undefined) removeTemporaryPath(this.journalFolder);
  }
}
