import { ImBenchError } from '../../core/errors.js';
import type { ServerStats } from '../../server/server-options.js';

/**
 * The server a measurement drives: a reference server the harness started (ServerUnderTest),
 * or someone else's that speaks the wire contract (ExternalTarget).
 */
export interface Target {
  readonly url: string;
  /** With HTTP/2 in cleartext: where the HTTP techniques go (h2c), on a port apart from `url`'s. */
  readonly h2cUrl?: string;
  /** Where the publisher goes when not to `url`: the origin behind a reverse proxy, in cleartext. */
  readonly publishUrl?: string;
  /** Restarts so far (a `restart` fault); a precise CPU reading only compares within one process. */
  readonly restarts: number;
  /**
   * True when stats() is the server's own `/stats` (the wire contract), its CPU reading precise;
   * false when im-bench makes it up from what it knows (a profile's server).
   */
  readonly selfReported: boolean;
  stats(timeoutMs?: number): Promise<ServerStats>;
  /**
   * Every log the clients should hold in full by the end, each channel's last seq, when the
   * server keeps more than the live one stats() names (per-sender logs of a profile's chat).
   */
  logs?(): ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** null: not measured (a profile's server whose processes im-bench cannot see). */
  rssBytes(): Promise<number | null>;
  /** CPU seconds of the server so far, read at once (coarse but on time); null: not measured. */
  cpuSeconds(): Promise<number | null>;
  readonly peakRssBytes: number | null;
  /** The last count of each log that died with a restart: per epoch, each channel's last seq. */
  readonly deadLogs: ReadonlyMap<string, ReadonlyMap<string, number>>;
  startSampling(): void;
  /** Kills the server and starts it again; `onKilled` runs between the two, when it is certainly down. */
  restart(onKilled?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

export function restartNeedsOwnServer(): ImBenchError {
  return new ImBenchError(
    'IMB_ERR_INVALID_OPTION',
    'a restart fault needs a server im-bench started itself, not --target',
  );
}
