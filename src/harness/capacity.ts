import { request } from 'undici';
import { hrtimeNs } from '../core/clock.js';
import { DEFAULT_HEARTBEAT_MS, DEFAULT_LONG_POLL_TIMEOUT_MS, DEFAULT_SSE_RETRY_MS } from '../core/constants.js';
import { ImBenchError } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import {
  CAPACITY_SCHEMA,
  SATURATED_CPU,
  type CapacityMeasurement,
  type CapacityResult,
  type Saturation,
} from '../document/capacity.js';
import type { TransportName } from '../document/scenario.js';
import { getTransport } from '../transports/registry.js';
import type { CapacityProbe } from '../transports/transport.js';
import { describeEnvironment } from './environment.js';
import { generateLoad } from './load-generator.js';
import { pinProcess, planPlacement, serverPinPrefix, type PinMode } from './placement.js';
import { checkCapacity, serverSpawnPrefix } from './preflight.js';
import { ServerProcess } from './server-process.js';

export const DEFAULT_CAPACITY_CONNECTIONS = 100;
export const DEFAULT_CAPACITY_DURATION_MS = 5_000;
export const DEFAULT_CAPACITY_WARMUP_MS = 1_000;

const CHANNEL = 'capacity';
/** The default scenario's payload. */
const PAYLOAD_BYTES = 100;

export interface CapacityOptions {
  transports: readonly TransportName[];
  /** Keep-alive connections, each with one request in flight. Default 100. */
  connections?: number;
  /** Measured time per technique. Default 5 s. */
  durationMs?: number;
  /** Load before the measured time, left out of every figure, so the server's code is compiled hot. Default 1 s. */
  warmupMs?: number;
  /** `auto`: server on one core, generator on the rest, where taskset exists. */
  pin?: PinMode;
  /** Aborting stops the measurement; what was measured is returned, with `aborted: true`. */
  signal?: AbortSignal;
  onProgress?: (progress: CapacityProgress) => void;
  onWarning?: (warning: string) => void;
  /** Called after each technique with the document so far (marked aborted until complete). */
  onTechniqueDone?: (partial: CapacityResult) => void | Promise<void>;
}

export interface CapacityProgress {
  transport: TransportName;
  phase: 'warm-up' | 'measuring';
  /** How long this phase lasts, ms. */
  durationMs: number;
}

export function saturation(serverCpu: number, generatorCpu: number): Saturation {
  const server = serverCpu >= SATURATED_CPU;
  const generator = generatorCpu >= SATURATED_CPU;
  return server && generator ? 'both' : server ? 'server' : generator ? 'generator' : 'neither';
}

async function publishOne(url: string): Promise<number> {
  const response = await request(`${url}/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ch: CHANNEL, data: 'x'.repeat(PAYLOAD_BYTES) }),
  });
  const body = (await response.body.json()) as { seq?: unknown };
  if (response.statusCode !== 202 || typeof body.seq !== 'number') {
    throw new ImBenchError(
      'IMB_ERR_RUN_FAILED',
      `${url}/publish answered ${response.statusCode} ${JSON.stringify(body)}, expected 202 with a seq`,
    );
  }
  return body.seq;
}

/** Envelopes in a poll answer's body; -1 when it is not a JSON array. */
function countMessages(body: string): number {
  if (body === '') return 0;
  try {
    const parsed: unknown = JSON.parse(body);
    return Array.isArray(parsed) ? parsed.length : -1;
  } catch {
    return -1;
  }
}

/** One request before the load: a server that answers otherwise would have its errors measured, not its ceiling. */
async function checkAnswer(url: string, poll: CapacityProbe): Promise<void> {
  const response = await request(`${url}${poll.path}`);
  const text = await response.body.text();
  const messages = countMessages(text);
  if (response.statusCode !== poll.status || messages !== poll.messages) {
    throw new ImBenchError(
      'IMB_ERR_RUN_FAILED',
      `GET ${url}${poll.path} answered ${response.statusCode} ${JSON.stringify(text.slice(0, 200))}, expected ${poll.status} with ${poll.messages} messages`,
    );
  }
}

interface TechniqueSettings {
  connections: number;
  durationMs: number;
  warmupMs: number;
  serverPrefix: readonly string[];
  signal: AbortSignal;
  onProgress?: (progress: CapacityProgress) => void;
}

/** One technique on a fresh server; undefined when stopped before its measured time began. */
async function measureTechnique(
  transport: TransportName,
  settings: TechniqueSettings,
): Promise<CapacityMeasurement | undefined> {
  const { connections, signal } = settings;
  const server = await ServerProcess.start({
    transports: [transport],
    reconnectDelayMs: DEFAULT_SSE_RETRY_MS,
    longPollTimeoutMs: DEFAULT_LONG_POLL_TIMEOUT_MS,
    heartbeatMs: DEFAULT_HEARTBEAT_MS,
    prefix: settings.serverPrefix,
  });
  try {
    // A request the endpoint answers at once (the technique's capacity probe), checked once before the load.
    const poll = getTransport(transport).capacityProbe!(CHANNEL, await publishOne(server.url));
    await checkAnswer(server.url, poll);
    const url = `${server.url}${poll.path}`;
    if (settings.warmupMs > 0 && !signal.aborted) {
      settings.onProgress?.({ transport, phase: 'warm-up', durationMs: settings.warmupMs });
      await generateLoad({ url, connections, durationMs: settings.warmupMs, signal });
    }
    if (signal.aborted) return undefined;
    settings.onProgress?.({ transport, phase: 'measuring', durationMs: settings.durationMs });
    const before = { stats: await server.stats(), cpu: process.cpuUsage(), ns: hrtimeNs() };
    const load = await generateLoad({ url, connections, durationMs: settings.durationMs, signal });
    const after = { stats: await server.stats(), cpu: process.cpuUsage(before.cpu), ns: hrtimeNs() };
    const wallSeconds = (after.ns - before.ns) / 1e9;
    const serverCpuSeconds = after.stats.cpuSeconds.total - before.stats.cpuSeconds.total;
    const generatorCpuSeconds = (after.cpu.user + after.cpu.system) / 1e6;
    const serverCpu = { cpuSeconds: serverCpuSeconds, cpuUtilization: serverCpuSeconds / wallSeconds };
    const generatorCpu = { cpuSeconds: generatorCpuSeconds, cpuUtilization: generatorCpuSeconds / wallSeconds };
    return {
      transport,
      request: `GET ${poll.path}`,
      answer: { status: poll.status, messages: poll.messages },
      partial: load.stopped,
      connections,
      durationSeconds: load.durationSeconds,
      requests: {
        total: load.requests.total,
        perSecond: load.durationSeconds > 0 ? load.requests.total / load.durationSeconds : 0,
        samples: {
          count: load.requests.samples,
          mean: load.requests.mean,
          stddev: load.requests.stddev,
          min: load.requests.min,
          max: load.requests.max,
        },
        errors: load.errors,
        timeouts: load.timeouts,
        non2xx: load.non2xx,
      },
      latency: load.latency,
      latencyHistogram: load.latencyHistogram,
      server: serverCpu,
      generator: generatorCpu,
      saturated: saturation(serverCpu.cpuUtilization, generatorCpu.cpuUtilization),
    };
  } finally {
    await server.stop();
  }
}

/**
 * `im-bench capacity` as a library call: each polling endpoint of a fresh reference server
 * process, driven by autocannon (closed loop: every connection sends its next request when the
 * last is answered) for a fixed time. The rate it reaches is the server's request ceiling for
 * that technique on this machine.
 */
export async function measureCapacity(options: CapacityOptions): Promise<CapacityResult> {
  const connections = options.connections ?? DEFAULT_CAPACITY_CONNECTIONS;
  const signal = options.signal ?? new AbortController().signal;
  // autocannon holds every connection in this one process, from one address.
  const limits = checkCapacity({
    clients: connections,
    workers: 1,
    sourceAddresses: 1,
    localServer: true,
    flag: '--connections',
    singleProcess: true,
  });
  const placement = planPlacement(options.pin ?? 'auto');
  if (placement !== null && !pinProcess(process.pid, placement.generator)) {
    options.onWarning?.(
      `could not pin the generator to CPUs ${placement.generator}; it shares every core with the server`,
    );
  }
  const settings: TechniqueSettings = {
    connections,
    durationMs: options.durationMs ?? DEFAULT_CAPACITY_DURATION_MS,
    warmupMs: options.warmupMs ?? DEFAULT_CAPACITY_WARMUP_MS,
    serverPrefix: [...serverSpawnPrefix(limits, connections), ...serverPinPrefix(placement)],
    signal,
    onProgress: options.onProgress,
  };
  const result: CapacityResult = {
    schema: CAPACITY_SCHEMA,
    tool: { name: 'im-bench', version: VERSION },
    startedAt: new Date().toISOString(),
    finishedAt: '',
    aborted: true,
    environment: describeEnvironment(placement),
    settings: { connections, durationMs: settings.durationMs, warmupMs: settings.warmupMs },
    techniques: [],
  };
  for (const transport of options.transports) {
    if (signal.aborted) break;
    let measured: CapacityMeasurement | undefined;
    try {
      measured = await measureTechnique(transport, settings);
    } catch (error) {
      // Stopping can break a technique half-way; the ones measured before it still count.
      if (!signal.aborted) throw error;
      options.onWarning?.(`${transport}: stopped before its figures were complete (${(error as Error).message})`);
    }
    if (measured !== undefined) result.techniques.push(measured);
    result.finishedAt = new Date().toISOString();
    await options.onTechniqueDone?.(result);
  }
  result.aborted = signal.aborted;
  result.finishedAt = new Date().toISOString();
  return result;
}
