/**
 * A generator worker (`--workers`): one process holding a slice of the clients, with its own
 * event loop and its own open-file budget. It is driven over IPC by a WorkerGroup, answers one
 * call at a time as `{ id, value }` or `{ id, error }`, and pushes its status a few times a
 * second. It exits when the coordinator goes away, so no worker outlives a crashed run.
 */
import { encodeHistogram } from '../../core/histogram.js';
import type { ClientPool } from './client-pool.js';
import { poolFromPlan, summarizePool, type PoolPlan } from './client-group.js';
import { GeneratorMonitor } from './generator-health.js';
import type { WorkerCall, WorkerMessage } from './worker-protocol.js';

const STATUS_EVERY_MS = 250;

let pool: ClientPool | undefined;
const monitor = new GeneratorMonitor();
const connecting = new AbortController();

function send(message: WorkerMessage): void {
  process.send?.(message);
}

function requirePool(): ClientPool {
  if (pool === undefined) throw new Error('the worker has no clients yet (init first)');
  return pool;
}

async function handle(call: WorkerCall): Promise<unknown> {
  switch (call.method) {
    case 'init':
      pool = poolFromPlan(call.plan as PoolPlan);
      return undefined;
    case 'connect':
      await requirePool().connect(call.rampUpMs, connecting.signal);
      return undefined;
    case 'abort':
      connecting.abort();
      return undefined;
    case 'setWindow':
      requirePool().window.startNs = call.startNs;
      requirePool().window.endNs = call.endNs;
      return undefined;
    case 'counters':
      return requirePool().counters();
    case 'caughtUp':
      return requirePool().caughtUp(call.epoch, call.lastSeqs);
    case 'strikeFault':
      return requirePool().strikeFault(call.kind, call.share, call.atNs);
    case 'setFaultTime':
      requirePool().faultNs = call.atNs;
      return undefined;
    case 'startMonitor':
      monitor.start();
      return undefined;
    case 'stopMonitor':
      return monitor.stop();
    case 'freeze':
      requirePool().frozen = true;
      return undefined;
    case 'highestSeen':
      return requirePool().highestSeen();
    case 'summary': {
      const summary = summarizePool(requirePool(), call.extents);
      return {
        ...summary,
        latency: encodeHistogram(summary.latency),
        connectTime: encodeHistogram(summary.connectTime),
        recovery: encodeHistogram(summary.recovery),
      };
    }
    case 'close':
      await pool?.close();
      return undefined;
  }
}

process.on('message', (call: WorkerCall) => {
  // `abort` must overtake a `connect` still running: it is not queued behind it.
  handle(call).then(
    (value) => send({ id: call.id, value, status: pool?.status }),
    (error: unknown) =>
      send({ id: call.id, error: error instanceof Error ? error.message : String(error), status: pool?.status }),
  );
});

const statusTimer = setInterval(() => {
  if (pool !== undefined) send({ status: pool.status });
}, STATUS_EVERY_MS);
statusTimer.unref();

process.on('disconnect', () => process.exit(0));
