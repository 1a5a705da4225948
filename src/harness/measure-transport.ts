import { hrtimeNs } from '../core/clock.js';
import { ImBenchError } from '../core/errors.js';
import { encodeHistogram, summarize } from '../core/histogram.js';
import type { FaultResult, TransportResult } from '../report/result.js';
import type { Scenario } from '../scenario/types.js';
import { sleep } from '../transports/client-support.js';
import type { Transport } from '../transports/transport.js';
import { ClientPool } from './client-pool.js';
import { drain, drainMs, lastSeqByChannel, logExtents } from './drain.js';
import { strike, type Struck } from './faults.js';
import { GeneratorMonitor, generatorBoundWarning } from './generator-health.js';
import { MeasurementWindow } from './measurement-window.js';
import type { Progress, RunPhase } from './progress.js';
import { Publishing } from './publishing.js';
import { ScheduledPublisher } from './publisher.js';
import { buildSchedule } from './schedule.js';
import { ServerUnderTest } from './server-under-test.js';
import { ExternalTarget, type Target } from './target.js';
import { edge, serverCpuBetween } from './window-edges.js';

const PUBLISH_LEAD_MS = 5;
const PROGRESS_EVERY_MS = 500;
const IDLE_SETTLE_MS = 100;
/** Past the drain, how long to wait for publishes still unanswered (an overloaded server). */
const PUBLISH_SETTLE_MS = 5_000;

export interface MeasureContext {
  /** argv before `node` for the server child (CPU pinning, descriptor limit). */
  serverPrefix: readonly string[];
  /** Someone else's server to drive instead of a fresh reference server (`--target`). */
  target?: URL;
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

/** A per-message figure; 0 when nothing was delivered (the table shows "–" then). */
const perMessage = (amount: number, messages: number): number => (messages > 0 ? amount / messages : 0);

function faultResult(scenario: Scenario, pool: ClientPool, struck: Struck, windowStartNs: number, shed: number): FaultResult {
  const kind = scenario.fault as FaultResult['kind'];
  const epochs = new Set(pool.connectedMembers.flatMap((member) => [...member.trackers.keys()].filter((epoch) => epoch !== '')));
  return {
    kind,
    atSeconds: (struck.atNs - windowStartNs) / 1e9,
    affectedClients: struck.affected.length,
    recoveredClients: kind === 'slow' ? 0 : struck.affected.filter((member) => !member.awaitingRecovery).length,
    recovery: summarize(pool.recovery),
    recoveryHistogram: encodeHistogram(pool.recovery),
    journal: kind === 'restart' ? scenario.journal : null,
    epochs: kind === 'restart' ? epochs.size : null,
    shed,
  };
}

/**
 * One technique, start to finish, against a fresh reference server process: connect the
 * clients, publish on schedule through warm-up and the window (striking the scenario's fault
 * on time), drain, count, stop. Returns undefined when aborted before the window began.
 */
export async function measureTransport(transport: Transport, scenario: Scenario, context: MeasureContext): Promise<TransportResult | undefined> {
  const { signal } = context;
  const server: Target =
    context.target !== undefined
      ? new ExternalTarget(context.target.origin)
      : await ServerUnderTest.start(
          {
            transports: [transport.name],
            sseRetryMs: scenario.sseRetryMs,
            longPollTimeoutMs: scenario.longPollTimeoutMs,
            heartbeatMs: scenario.heartbeatMs,
            prefix: context.serverPrefix,
          },
          scenario.fault === 'restart' && scenario.journal,
        );
  const window = new MeasurementWindow();
  const channels = channelNames(scenario.channels);
  // A fresh reference server starts empty; a --target may hold messages from earlier runs.
  let start: { epoch: string; lastSeqs: Map<string, number> };
  try {
    const stats = await server.stats();
    if (typeof stats.epoch !== 'string') {
      throw new ImBenchError('IMB_ERR_RUN_FAILED', `${server.url}/stats names no epoch: im-bench needs it to tell one log from another (see the wire contract)`);
    }
    start = { epoch: stats.epoch, lastSeqs: lastSeqByChannel(stats) };
  } catch (error) {
    await server.stop();
    if (error instanceof ImBenchError) throw error;
    throw new ImBenchError('IMB_ERR_RUN_FAILED', `cannot read ${server.url}/stats (${(error as Error).message}): is the server running and speaking the wire contract?`);
  }
  const pool = new ClientPool({
    transport,
    baseUrl: server.url,
    clients: scenario.clients,
    channels,
    window,
    start,
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
    const idleRssBytes = await server.rssBytes();
    server.startSampling();

    phase = 'connecting';
    await pool.connect(scenario.rampUpMs, signal);
    if (pool.connected === 0 && !signal.aborted) {
      throw new ImBenchError('IMB_ERR_RUN_FAILED', `no ${transport.name} client could connect to ${server.url}: ${[...pool.errorSamples].join('; ')}`);
    }
    const connectedRssBytes = await server.rssBytes();

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

    let struck: Struck | undefined;
    if (scenario.fault !== 'none') {
      await sleepUntilNs(window.startNs + scenario.faultAtMs * 1e6, signal);
      if (!signal.aborted) struck = await strike(scenario.fault, scenario.faultShare, pool, { restartServer: () => server.restart() });
    }
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
    const delivery = pool.delivery(logExtents(stats, [publishing.sink.acknowledged, server.deadLogs, pool.highestSeen()]));
    phase = 'done';
    progress();

    const delivered = pool.receivedInWindow;
    const requestsInWindow = after.requests - before.requests;
    const bytesInWindow = after.bytes - before.bytes;
    const serverCpuSeconds = serverCpuBetween(before, after);
    if (generator.bound) context.onWarning?.(generatorBoundWarning(transport.name, generator));
    const windowEndMs = scenario.warmupMs + (window.endNs - window.startNs) / 1e6;
    const shed = stats.shed[transport.name] ?? 0;
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
        // After a restart the live server counts only its own requests.
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
        peakRssBytes: server.peakRssBytes,
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
      ...(struck === undefined ? {} : { fault: faultResult(scenario, pool, struck, window.startNs, shed) }),
    };
  } finally {
    clearInterval(ticker);
    await pool.close().catch(() => {});
    await publishing.sink.close().catch(() => {});
    await server.stop();
  }
}
