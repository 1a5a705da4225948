import type { ServerStats } from '../../server/server-options.js';

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
