import { request } from 'undici';
import { hrtimeNs } from '../../core/clock.js';
import { DEFAULT_HEARTBEAT_MS, DEFAULT_LONG_POLL_TIMEOUT_MS, DEFAULT_SSE_RETRY_MS } from '../../core/constants.js';
import { ImBenchError } from '../../core/errors.js';
import type { CapacityMeasurement } from '../../document/capacity.js';
import type { TransportName } from '../../document/scenario.js';
import { getTransport } from '../../transports/registry.js';
import type { CapacityProbe } from '../../transports/transport.js';
import { ServerProcess } from '../target/server-process.js';
import { assembleCapacityMeasurement, type CapacityCounters } from './capacity-result.js';
import { generateLoad } from './load-generator.js';

const CHANNEL = 'capacity';
/** The default scenario's payload. */
const PAYLOAD_BYTES = 100;

export interface CapacityProgress {
  transport: TransportName;
  phase: 'warm-up' | 'measuring';
  /** How long this phase lasts, ms. */
  durationMs: number;
}

export interface TechniqueSettings {
  connections: number;
  durationMs: number;
  warmupMs: number;
  serverPrefix: readonly string[];
  signal: AbortSignal;
  onProgress?: (progress: CapacityProgress) => void;
}

/**
 * One technique on a fresh server, in phases: open the server, prepare its endpoint (one message
 * in the log, the probe's answer checked), warm up, drive the load while reading both sides' CPU.
 * Undefined when stopped before its measured time began.
 */
export async function measureTechnique(
  transport: TransportName,
  settings: TechniqueSettings,
): Promise<CapacityMeasurement | undefined> {
  const server = await ServerProcess.start({
    transports: [transport],
    reconnectDelayMs: DEFAULT_SSE_RETRY_MS,
    longPollTimeoutMs: DEFAULT_LONG_POLL_TIMEOUT_MS,
    heartbeatMs: DEFAULT_HEARTBEAT_MS,
    prefix: settings.serverPrefix,
  });
  try {
    const probe = await prepareEndpoint(server.url, transport);
    await warmUp(server.url, transport, probe, settings);
    if (settings.signal.aborted) return undefined;
    const counters = await driveLoad(server, transport, probe, settings);
    // A ceiling of no answered request is not a measurement, and capacity@1 has no "not measured":
    // stopped, the technique is left out; otherwise the run failed.
    if (counters.load.requests.total === 0) {
      if (settings.signal.aborted) return undefined;
      throw new ImBenchError('IMB_ERR_RUN_FAILED', `${transport}: the server answered no request in the window`);
    }
    return assembleCapacityMeasurement(counters);
  } finally {
    await server.stop();
  }
}

/** A request the endpoint answers at once (the technique's capacity probe), checked once before the load. */
async function prepareEndpoint(url: string, transport: TransportName): Promise<CapacityProbe> {
  const probe = getTransport(transport).capacityProbe!(CHANNEL, await publishOne(url));
  await checkAnswer(url, probe);
  return probe;
}

/** Load before the measured time, left out of every figure, so the server's code is compiled hot. */
async function warmUp(
  url: string,
  transport: TransportName,
  probe: CapacityProbe,
  settings: TechniqueSettings,
): Promise<void> {
  if (settings.warmupMs <= 0 || settings.signal.aborted) return;
  settings.onProgress?.({ transport, phase: 'warm-up', durationMs: settings.warmupMs });
  const { connections, signal } = settings;
  await generateLoad({ url: `${url}${probe.path}`, connections, durationMs: settings.warmupMs, signal });
}

async function driveLoad(
  server: ServerProcess,
  transport: TransportName,
  probe: CapacityProbe,
  settings: TechniqueSettings,
): Promise<CapacityCounters> {
  const { connections, signal, durationMs } = settings;
  settings.onProgress?.({ transport, phase: 'measuring', durationMs });
  const before = { stats: await server.stats(), cpu: process.cpuUsage(), ns: hrtimeNs() };
  const load = await generateLoad({ url: `${server.url}${probe.path}`, connections, durationMs, signal });
  const after = { stats: await server.stats(), cpu: process.cpuUsage(before.cpu), ns: hrtimeNs() };
  return {
    transport,
    probe,
    connections,
    load,
    wallSeconds: (after.ns - before.ns) / 1e9,
    serverCpuSeconds: after.stats.cpuSeconds.total - before.stats.cpuSeconds.total,
    generatorCpuSeconds: (after.cpu.user + after.cpu.system) / 1e6,
  };
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
