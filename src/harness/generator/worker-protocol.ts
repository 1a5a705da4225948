import type { FaultKind } from '../../document/scenario.js';
import type { LogExtents, PoolStatus } from './client-pool.js';
import type { PoolPlan } from './client-group.js';

/** Calls from the coordinator to a generator worker (structured-clone IPC: Maps cross as Maps). */
export type WorkerCall = { id: number } & (
  | { method: 'init'; plan: PoolPlan }
  | { method: 'connect'; rampUpMs: number }
  | { method: 'abort' }
  | { method: 'setWindow'; startNs: number; endNs: number }
  | { method: 'counters' }
  | { method: 'caughtUp'; epoch: string; lastSeqs: ReadonlyMap<string, number> }
  | { method: 'strikeFault'; kind: Exclude<FaultKind, 'none'>; share: number; atNs: number }
  | { method: 'setFaultTime'; atNs: number }
  | { method: 'startMonitor' }
  | { method: 'stopMonitor' }
  | { method: 'freeze' }
  | { method: 'highestSeen' }
  | { method: 'summary'; extents: LogExtents }
  | { method: 'close' }
);

/** What a worker sends: an answer to a call (`id`), and its status as of the message; or the status alone, unasked. */
export interface WorkerMessage {
  id?: number;
  value?: unknown;
  error?: string;
  status?: PoolStatus;
}

/** Distributes a call's fields over the union, so each method keeps its own parameters. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type WorkerRequest = DistributiveOmit<WorkerCall, 'id'>;
