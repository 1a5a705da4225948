import { ERROR_SAMPLES_KEPT } from '../../core/constants.js';
import { createHistogram, mergeInto, type Histogram } from '../../core/histogram.js';
import type { FaultKind, TransportName } from '../../document/scenario.js';
import { getTransport } from '../../transports/registry.js';
import {
  ClientPool,
  type DeliveryTotals,
  type LogExtents,
  type PoolCounters,
  type PoolSettings,
  type PoolStatus,
} from './client-pool.js';
import type { GeneratorHealth } from './generator-health.js';

/** A pool's settings as plain data, so a worker process can build the same pool. */
export interface PoolPlan extends Omit<PoolSettings, 'transport'> {
  transport: TransportName;
}

export function poolFromPlan(plan: PoolPlan): ClientPool {
  return new ClientPool({ ...plan, transport: getTransport(plan.transport) });
}

/** What the clients measured, once they are closed: delivery against the logs, histograms merged. */
export interface GroupSummary {
  delivery: DeliveryTotals;
  latency: Histogram;
  connectTime: Histogram;
  recovery: Histogram;
  recovered: number;
  epochs: string[];
  errorSamples: string[];
}

/**
 * The simulated clients of one technique, in this process or spread over worker processes
 * (`--workers`). Every call is asynchronous, so both look the same to the measurement.
 */
export interface ClientGroup {
  readonly workers: number;
  /** The latest counts, for progress: exact in this process, at most a status interval old from workers. */
  status(): PoolStatus;
  /** The in-process pool, when there is one: a chat needs its clients to publish. */
  readonly localPool: ClientPool | undefined;
  noteError(error: Error): void;
  connect(rampUpMs: number, signal: AbortSignal): Promise<void>;
  setWindow(startNs: number, endNs: number): Promise<void>;
  counters(): Promise<PoolCounters>;
  caughtUp(epoch: string, lastSeqs: ReadonlyMap<string, number>): Promise<boolean>;
  strikeFault(kind: Exclude<FaultKind, 'none'>, share: number, atNs: number): Promise<number>;
  /** When the fault struck, when that was only known after marking the clients (a restart). */
  setFaultTime(atNs: number): Promise<void>;
  /** Generator health of the worker processes, if any (the main process is watched by the caller). */
  startMonitor(): Promise<void>;
  stopMonitor(): Promise<GeneratorHealth[]>;
  /** Copies arriving from now on are not counted (the drain has ended). */
  freeze(): Promise<void>;
  highestSeen(): Promise<Map<string, Map<string, number>>>;
  summary(extents: LogExtents): Promise<GroupSummary>;
  /** Closes every client; counters and summary still answer after it. */
  closeClients(): Promise<void>;
  /** Closes every client and ends any worker process. */
  close(): Promise<void>;
}

/** Errors of the coordinator itself (publishing), counted with the clients'. */
export class ErrorTally {
  count = 0;
  readonly samples = new Set<string>();

  note(error: Error): void {
    this.count++;
    if (this.samples.size < ERROR_SAMPLES_KEPT) this.samples.add(error.message);
  }

  /** Up to the kept number of distinct samples, ours first. */
  merged(others: Iterable<string>): string[] {
    const all = new Set(this.samples);
    for (const sample of others) if (all.size < ERROR_SAMPLES_KEPT) all.add(sample);
    return [...all];
  }
}

/** Two records of counts added field by field: the parts of the workers (or of a pool and a worker) into one. */
export function addCounts<T extends { [K in keyof T]: number }>(a: T, b: T): T {
  const sum = { ...a };
  for (const key of Object.keys(b) as Array<keyof T>) sum[key] = (a[key] + b[key]) as T[keyof T];
  return sum;
}

/** The most any part saw of each log and channel. */
export function maxExtents(parts: Iterable<Map<string, Map<string, number>>>): Map<string, Map<string, number>> {
  const merged = new Map<string, Map<string, number>>();
  for (const part of parts) {
    for (const [epoch, channels] of part) {
      const into = merged.get(epoch) ?? new Map<string, number>();
      for (const [channel, seq] of channels) into.set(channel, Math.max(into.get(channel) ?? 0, seq));
      merged.set(epoch, into);
    }
  }
  return merged;
}

export function mergedHistogram(parts: Iterable<Histogram>): Histogram {
  const merged = createHistogram();
  for (const part of parts) mergeInto(merged, part);
  return merged;
}

/** The pool's own summary, histograms as they are (a worker encodes them to send). */
export function summarizePool(pool: ClientPool, extents: LogExtents): GroupSummary {
  return {
    delivery: pool.delivery(extents),
    latency: pool.latency,
    connectTime: pool.connectTime,
    recovery: pool.recovery,
    recovered: pool.recovered,
    epochs: pool.epochs(),
    errorSamples: [...pool.errorSamples],
  };
}

/** Every client in this process: the default, and the only way a chat's clients can publish. */
export class LocalGroup implements ClientGroup {
  readonly workers = 1;

  constructor(private readonly pool: ClientPool) {}

  static fromPlan(plan: PoolPlan): LocalGroup {
    return new LocalGroup(poolFromPlan(plan));
  }

  get localPool(): ClientPool {
    return this.pool;
  }

  status(): PoolStatus {
    return this.pool.status;
  }

  noteError(error: Error): void {
    this.pool.noteError(error);
  }

  connect(rampUpMs: number, signal: AbortSignal): Promise<void> {
    return this.pool.connect(rampUpMs, signal);
  }

  async setWindow(startNs: number, endNs: number): Promise<void> {
    this.pool.window.startNs = startNs;
    this.pool.window.endNs = endNs;
  }

  async counters(): Promise<PoolCounters> {
    return this.pool.counters();
  }

  async caughtUp(epoch: string, lastSeqs: ReadonlyMap<string, number>): Promise<boolean> {
    return this.pool.caughtUp(epoch, lastSeqs);
  }

  async strikeFault(kind: Exclude<FaultKind, 'none'>, share: number, atNs: number): Promise<number> {
    return this.pool.strikeFault(kind, share, atNs);
  }

  async setFaultTime(atNs: number): Promise<void> {
    this.pool.faultNs = atNs;
  }

  /** The clients share the main process, which the measurement watches itself. */
  async startMonitor(): Promise<void> {}

  async stopMonitor(): Promise<GeneratorHealth[]> {
    return [];
  }

  async freeze(): Promise<void> {
    this.pool.frozen = true;
  }

  async highestSeen(): Promise<Map<string, Map<string, number>>> {
    return this.pool.highestSeen();
  }

  async summary(extents: LogExtents): Promise<GroupSummary> {
    return summarizePool(this.pool, extents);
  }

  closeClients(): Promise<void> {
    return this.pool.close();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
