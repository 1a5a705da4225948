import { hrtimeNs } from '../core/clock.js';
import { ImBenchError } from '../core/errors.js';
import { encodeHistogram, summarize } from '../core/histogram.js';
import type { TransportResult } from '../report/result.js';
import type { Scenario } from '../scenario/types.js';
import type { ServerStats } from '../server/reference-server.js';
import { sleep } from '../transports/client-support.js';
import type { Transport } from '../transports/transport.js';
import { ClientPool } from './client-pool.js';
import { GeneratorMonitor, generatorBoundWarning } from './generator-health.js';
import { MeasurementWindow } from './measurement-window.js';
import { ProcessSampler, readProcessUsage } from './process-usage.js';
import type { Progress, RunPhase } from './progress.js';
import { Publishing } from './publishing.js';
import { ScheduledPublisher } from './publisher.js';
import { buildSchedule } from './schedule.js';
import { ServerProcess } from './server-process.js';

const PUBLISH_LEAD_MS = 5;
const DRAIN_CHECK_MS = 50;
const PROGRESS_EVERY_MS = 500;
const IDLE_SETTLE_MS = 100;
/** Past the drain, how long to wait for publishes still unanswered (an overloaded server). */
const PUBLISH_SETTLE_MS = 5_000;

export interface MeasureContext {
  /** argv before `node` for the server child (CPU pinning, descriptor limit). */
  serverPrefix: readonly string[];
  signal: AbortSignal;
  onProgress?: (progress: Progress) => void;
  onWarning?: (warning: string) => void;
}

export function channelNames(count: number): string[] {
  return count === 1 ? ['default'] : Array.from({ length: count }, (_, i) => `ch${i}`);
}

function sleepUntilNs(targetNs: number, signal: AbortSignal): Promise<void> {
  return sleep((targetNs - hrtimeNs()) / 1e6, signal);
}

/** Short polling only sees what was published one poll interval later: the drain must cover that. */
function drainMs(transport: Transport, scenario: Scenario): number {
  return transport.name === 'short-polling' ? Math.max(scenario.drainMs, 2 * scenario.pollIntervalMs) : scenario.drainMs;
}

function lastSeqByChannel(stats: ServerStats): Map<string, number> {
  return new Map(Object.entries(stats.channels).map(([name, state]) => [name, state.lastSeq]));
}

/**
 * Waits until every client holds everything published, twice in a row, or the drain time is
 * up. It runs even after an abort, so copies in flight are not counted as lost.
 */
async function drain(pool: ClientPool, server: ServerProcess, limitMs: number): Promise<void> {
  const deadline = hrtimeNs() + limitMs * 1e6;
  let previous = '';
  while (hrtimeNs() < deadline) {
    // A server still busy with the backlog may not answer in time: that only means "not yet".
    const stats = await server.stats(Math.max(1, (deadline - hrtimeNs()) / 1e6)).catch(() => undefined);
    if (stats === undefined) {
      await sleep(DRAIN_CHECK_MS);
      continue;
    }
    const lastSeqs = lastSeqByChannel(stats);
    const key = [...lastSeqs.values()].join(',');
    if (pool.caughtUp(lastSeqs) && key === previous) return;
    previous = pool.caughtUp(lastSeqs) ? key : '';
    await sleep(DRAIN_CHECK_MS);
  }
}

/** Counters taken at each edge of the window. */
interface Edge {
  requests: number;
  emptyResponses: number;
  bytes: number;
  /** Server CPU from /proc (10 ms ticks), read at the edge itself. */
  serverCpuTicked: number;
  /** Server CPU from its own process.cpuUsage() (µs) via /stats, when it answered promptly. */
  serverCpuPrecise: number | undefined;
}

/** /stats answered later than this is read too far from the edge to stand for it. */
const PROMPT_STATS_MS = 100;

async function edge(pool: ClientPool, publishing: Publishing, server: ServerProcess): Promise<Edge> {
  const clients = pool.counters();
  const publishers = publishing.clientsShare();
  const serverCpuTicked = readProcessUsage(server.pid).cpuSeconds;
  const asked = performance.now();
  const stats = await server.stats(PROMPT_STATS_MS).catch(() => undefined);
  return {
    requests: clients.requests + publishers.requests,
    emptyResponses: clients.emptyResponses,
    bytes: clients.bytes + publishers.bytes,
    serverCpuTicked,
    serverCpuPrecise: stats !== undefined && performance.now() - asked <= PROMPT_STATS_MS ? stats.cpuSeconds.total : undefined,
  };
}

/** The precise reading when the server answered promptly at both edges; else the ticks, coarse but on time. */
function serverCpuBetween(before: Edge, after: Edge): number {
  if (before.serverCpuPrecise !== undefined && after.serverCpuPrecise !== undefined) {
    return after.serverCpuPrecise - before.serverCpuPrecise;
  }
  return after.serverCpuTicked - before.serverCpuTicked;
}

/** A per-message figure; 0 when nothing was delivered (the table shows "–" then). */
const perMessage = (amount: number, messages: number): number => (messages > 0 ? amount / messages : 0);

/**
 * One technique, start to finish, against a fresh reference server process: connect the
 * clients, publish on schedule through warm-up and the window, drain, count, stop.
 * Returns undefined when aborted before the window began.
 */
export async function measureTransport(transport: Transport, scenario: Scenario, context: MeasureContext): Promise<TransportResult | undefined> {
  const { signal } = context;
  const server = await ServerProcess.start({
    transports: [transport.name],
    sseRetryMs: scenario.sseRetryMs,
    longPollTimeoutMs: scenario.longPollTimeoutMs,
    prefix: context.serverPrefix,
  });
  const sampler = new ProcessSampler(server.pid);
  const window = new MeasurementWindow();
  const channels = channelNames(scenario.channels);
  const pool = new ClientPool({
    transport,
    baseUrl: server.url,
    clients: scenario.clients,
    channels,
    window,
    clientOptions: {
      pollIntervalMs: scenario.pollIntervalMs,
      longPollTimeoutMs: scenario.longPollTimeoutMs,
      reconnectDelayMs: scenario.sseRetryMs,
      sseClient: scenario.sseClient,
    },
  });
  const publishing = new Publishing(scenario, pool, server.url, channels);
  let phase: RunPhase = 'starting';
  const progress = (): void =>
    context.onProgress?.({
      transport: transport.name,
      phase,
      clients: scenario.clients,
      connected: pool.connected,
      failed: pool.failed,
      delivered: pool.receivedInWindow,
      errors: pool.errors,
      measuredMs: Math.max(0, Math.min(hrtimeNs(), window.endNs) - window.startNs) / 1e6,
      windowMs: scenario.durationMs,
    });
  const ticker = setInterval(progress, PROGRESS_EVERY_MS);
  ticker.unref();

  try {
    await sleep(IDLE_SETTLE_MS, signal);
    const idleRssBytes = readProcessUsage(server.pid).rssBytes;
    sampler.start();

    phase = 'connecting';
    await pool.connect(scenario.rampUpMs, signal);
    if (pool.connected === 0 && !signal.aborted) {
      throw new ImBenchError('IMB_ERR_RUN_FAILED', `no ${transport.name} client could connect to ${server.url}: ${[...pool.errorSamples].join('; ')}`);
    }
    const connectedRssBytes = readProcessUsage(server.pid).rssBytes;

    phase = 'warm-up';
    const schedule = buildSchedule({ ...scenario, spanMs: scenario.warmupMs + scenario.durationMs });
    const startNs = hrtimeNs() + PUBLISH_LEAD_MS * 1e6;
    window.startNs = startNs + scenario.warmupMs * 1e6;
    window.endNs = window.startNs + scenario.durationMs * 1e6;
    const publisher = new ScheduledPublisher(schedule, startNs, publishing.send);
    publisher.start();

    await sleepUntilNs(window.startNs, signal);
    if (signal.aborted) {
      publisher.stop();
      return undefined;
    }
    phase = 'measuring';
    const generatorMonitor = new GeneratorMonitor().start();
    const before = await edge(pool, publishing, server);

    await sleepUntilNs(window.endNs, signal);
    const partial = signal.aborted;
    if (partial) {
      window.endNs = Math.min(window.endNs, hrtimeNs());
      publisher.stop();
    }
    const after = await edge(pool, publishing, server);
    const generator = generatorMonitor.stop();

    phase = 'draining';
    await publisher.done;
    await publishing.sink.settled(PUBLISH_SETTLE_MS);
    await drain(pool, server, drainMs(transport, scenario));
    pool.frozen = true;
    await pool.close();
    const final = pool.counters();
    const stats = await server.stats();
    const delivery = pool.delivery(lastSeqByChannel(stats));
    phase = 'done';
    progress();

    const delivered = pool.receivedInWindow;
    const requestsInWindow = after.requests - before.requests;
    const bytesInWindow = after.bytes - before.bytes;
    const serverCpuSeconds = serverCpuBetween(before, after);
    if (generator.bound) context.onWarning?.(generatorBoundWarning(transport.name, generator));
    const windowEndMs = scenario.warmupMs + (window.endNs - window.startNs) / 1e6;
    return {
      transport: transport.name,
      partial,
      clients: { requested: scenario.clients, connected: pool.connected, failed: pool.failed },
      windowSeconds: window.seconds,
      published: {
        total: publisher.sent,
        inWindow: schedule.filter((offset) => offset >= scenario.warmupMs && offset < windowEndMs).length,
        failed: publishing.failed,
      },
      delivery: { ...delivery, deliveredInWindow: delivered, throughputPerSecond: delivered / window.seconds },
      latency: summarize(pool.latency),
      latencyHistogram: encodeHistogram(pool.latency),
      requests: {
        inWindow: requestsInWindow,
        total: final.requests,
        empty: after.emptyResponses - before.emptyResponses,
        perMessage: perMessage(requestsInWindow, delivered),
        reconnects: final.reconnects,
        errors: pool.errors,
        serverCounted: stats.requests[transport.name] ?? 0,
      },
      bytes: {
        inWindow: bytesInWindow,
        perMessage: perMessage(bytesInWindow, delivered),
        payloadPerMessage: scenario.payloadBytes,
        overheadRatio: scenario.payloadBytes > 0 ? perMessage(bytesInWindow, delivered) / scenario.payloadBytes : 0,
      },
      server: {
        cpuSeconds: serverCpuSeconds,
        cpuMicrosPerMessage: perMessage(serverCpuSeconds * 1e6, delivered),
        idleRssBytes,
        connectedRssBytes,
        peakRssBytes: sampler.peakRssBytes,
        rssPerConnectionBytes: perMessage(connectedRssBytes - idleRssBytes, pool.connected),
      },
      connect: summarize(pool.connectTime),
      connectHistogram: encodeHistogram(pool.connectTime),
      generator: {
        eventLoopDelayP99Ms: generator.eventLoopDelayP99Ms,
        eventLoopDelayMaxMs: generator.eventLoopDelayMaxMs,
        stalledShare: generator.stalledShare,
        cpuUtilization: generator.cpuUtilization,
        bound: generator.bound,
      },
      errorSamples: [...pool.errorSamples],
    };
  } finally {
    clearInterval(ticker);
    sampler.stop();
    await pool.close().catch(() => {});
    await publishing.sink.close().catch(() => {});
    await server.stop();
  }
}
