import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { trackChildProcess } from '../../core/child-processes.js';
import { ImBenchError } from '../../core/errors.js';
import { builtModule } from '../../core/paths.js';
import { decodeHistogram } from '../../core/histogram.js';
import type { FaultKind } from '../../document/scenario.js';
import { type LogExtents, NO_DELIVERY, noCounters, type PoolCounters, type PoolStatus } from './client-pool.js';
import {
  addCounts,
  ErrorTally,
  maxExtents,
  mergedHistogram,
  type ClientGroup,
  type GroupSummary,
  type PoolPlan,
} from './client-group.js';
import type { GeneratorHealth } from './generator-health.js';
import type { WorkerMessage, WorkerRequest } from './worker-protocol.js';

/** Workers always run the built code, even when the coordinator runs from src/ (the tests). */
const WORKER_SCRIPT = builtModule('harness/generator/pool-worker.js');
const STOP_TIMEOUT_MS = 3_000;
const STDERR_KEPT = 2_048;

type EncodedSummary = Omit<GroupSummary, 'latency' | 'connectTime' | 'recovery'> & {
  latency: string;
  connectTime: string;
  recovery: string;
};

/** The clients `first` … `first + clients - 1` split into `parts` slices as even as can be. */
export function splitSlice(first: number, clients: number, parts: number): { firstIndex: number; clients: number }[] {
  return Array.from({ length: parts }, (_, k) => {
    const from = first + Math.floor((k * clients) / parts);
    const to = first + Math.floor(((k + 1) * clients) / parts);
    return { firstIndex: from, clients: to - from };
  });
}

/** One worker process and its calls in flight. */
class WorkerHandle {
  status: PoolStatus = { connected: 0, failed: 0, receivedInWindow: 0, errors: 0 };
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private stderrTail = '';
  private exitError: Error | undefined;
  readonly exited: Promise<unknown>;

  constructor(
    private readonly child: ChildProcess,
    readonly index: number,
  ) {
    this.exited = once(child, 'exit');
    child.stderr
      ?.setEncoding('utf8')
      .on('data', (chunk: string) => (this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_KEPT)));
    child.on('message', (message: WorkerMessage) => {
      // Every answer carries the worker's status as of it: exact right after a call.
      if (message.status !== undefined) this.status = message.status;
      if (message.id === undefined) return;
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiting?.reject(new Error(`generator worker ${this.index}: ${message.error}`));
      else waiting?.resolve(message.value);
    });
    child.once('exit', (code, signal) => {
      const tail = this.stderrTail.trim();
      this.exitError = new ImBenchError(
        'IMB_ERR_RUN_FAILED',
        `generator worker ${this.index} exited (${signal ?? `code ${code}`})${tail === '' ? '' : `: ${tail.split('\n').slice(-3).join(' | ')}`}`,
      );
      for (const { reject } of this.pending.values()) reject(this.exitError);
      this.pending.clear();
    });
  }

  call<T>(request: WorkerRequest): Promise<T> {
    if (this.exitError !== undefined) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ ...request, id });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * The clients spread over worker processes (`--workers N`), each its own event loop and its
 * own open-file budget. Counters are summed and HDR histograms merged exactly here: the
 * workers' hrtime is the same monotonic clock as ours, so their timestamps compare directly.
 */
export class WorkerGroup implements ClientGroup {
  readonly localPool = undefined;
  private readonly tally = new ErrorTally();
  private closingClients: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  private constructor(private readonly handles: WorkerHandle[]) {}

  get workers(): number {
    return this.handles.length;
  }

  static async start(plan: PoolPlan, workers: number): Promise<WorkerGroup> {
    const slices = splitSlice(plan.firstIndex ?? 0, plan.clients, workers);
    const handles = slices.map((_, index) => {
      // Its own process group, like the server's: a terminal's Ctrl-C reaches the coordinator alone,
      // which then stops the run in order. A worker exits when the coordinator goes away.
      const child = fork(WORKER_SCRIPT, [], {
        execArgv: [],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        detached: true,
      });
      trackChildProcess(child);
      return new WorkerHandle(child, index);
    });
    const group = new WorkerGroup(handles);
    try {
      await Promise.all(handles.map((handle, k) => handle.call({ method: 'init', plan: { ...plan, ...slices[k]! } })));
    } catch (error) {
      await group.close();
      throw error;
    }
    return group;
  }

  private all<T>(request: WorkerRequest): Promise<T[]> {
    return Promise.all(this.handles.map((handle) => handle.call<T>(request)));
  }

  status(): PoolStatus {
    const total = this.handles.reduce((sum, handle) => addCounts(sum, handle.status), {
      connected: 0,
      failed: 0,
      receivedInWindow: 0,
      errors: 0,
    });
    return { ...total, errors: total.errors + this.tally.count };
  }

  noteError(error: Error): void {
    this.tally.note(error);
  }

  async connect(rampUpMs: number, signal: AbortSignal): Promise<void> {
    const abort = (): void => void this.all({ method: 'abort' }).catch(() => {});
    signal.addEventListener('abort', abort, { once: true });
    try {
      await this.all({ method: 'connect', rampUpMs });
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }

  async setWindow(startNs: number, endNs: number): Promise<void> {
    await this.all({ method: 'setWindow', startNs, endNs });
  }

  async counters(): Promise<PoolCounters> {
    const parts = await this.all<PoolCounters>({ method: 'counters' });
    return parts.reduce(addCounts<PoolCounters>, noCounters());
  }

  async caughtUp(epoch: string, lastSeqs: ReadonlyMap<string, number>): Promise<boolean> {
    return (await this.all<boolean>({ method: 'caughtUp', epoch, lastSeqs })).every(Boolean);
  }

  async strikeFault(kind: Exclude<FaultKind, 'none'>, share: number, atNs: number): Promise<number> {
    return (await this.all<number>({ method: 'strikeFault', kind, share, atNs })).reduce((a, b) => a + b, 0);
  }

  async setFaultTime(atNs: number): Promise<void> {
    await this.all({ method: 'setFaultTime', atNs });
  }

  async startMonitor(): Promise<void> {
    await this.all({ method: 'startMonitor' });
  }

  stopMonitor(): Promise<GeneratorHealth[]> {
    return this.all<GeneratorHealth>({ method: 'stopMonitor' });
  }

  async freeze(): Promise<void> {
    await this.all({ method: 'freeze' });
  }

  async highestSeen(): Promise<Map<string, Map<string, number>>> {
    return maxExtents(await this.all<Map<string, Map<string, number>>>({ method: 'highestSeen' }));
  }

  async summary(extents: LogExtents): Promise<GroupSummary> {
    const parts = await this.all<EncodedSummary>({ method: 'summary', extents });
    return {
      delivery: parts.reduce((sum, part) => addCounts(sum, part.delivery), NO_DELIVERY),
      latency: mergedHistogram(parts.map((part) => decodeHistogram(part.latency))),
      connectTime: mergedHistogram(parts.map((part) => decodeHistogram(part.connectTime))),
      recovery: mergedHistogram(parts.map((part) => decodeHistogram(part.recovery))),
      recovered: parts.reduce((sum, part) => sum + part.recovered, 0),
      epochs: [...new Set(parts.flatMap((part) => part.epochs))],
      errorSamples: this.tally.merged(parts.flatMap((part) => part.errorSamples)),
    };
  }

  closeClients(): Promise<void> {
    this.closingClients ??= this.all({ method: 'close' }).then(() => {});
    return this.closingClients;
  }

  /** Closes every client, then ends the workers (killed if they do not go within a few seconds). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.closeClients().catch(() => {});
      await Promise.all(this.handles.map((handle) => handle.stop()));
    })();
    return this.closing;
  }
}
