import { hrtimeNs } from '../core/clock.js';
import { ImBenchError } from '../core/errors.js';
import { encodeHistogram, summarize } from '../core/histogram.js';
import type { FaultResult, TransportResult } from '../document/result.js';
import type { Scenario } from '../document/scenario.js';
import { sleep } from '../transports/shared/client-support.js';
import { settingsOf, type Transport } from '../transports/transport.js';
import { LocalGroup, type ClientGroup, type GroupSummary, type PoolPlan } from './client-group.js';
import { drain, drainMs, lastSeqByChannel, logExtents } from './drain.js';
import { strike, type Struck } from './faults.js';
import { combineHealth, GeneratorMonitor, generatorBoundWarning } from './generator-health.js';
import type { GeneratorPlan } from './generator-plan.js';
import { expectedLastSeqs, ownsMessage, shardSlice, shardTag, waitForShards } from './shard.js';
import { MeasurementWindow } from './measurement-window.js';
import type { Progress, RunPhase } from './progress.js';
import { Publishing } from './publishing.js';
import { ScheduledPublisher } from './publisher.js';
import { buildSchedule } from './schedule.js';
import { ServerUnderTest } from './server-under-test.js';
import { ExternalTarget, type Target } from './target.js';
import { edge, serverCpuBetween } from './window-edges.js';
import { WorkerGroup } from './worker-group.js';

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
  /** Worker processes, source addresses and shard for the clients (see planGenerator). */
  generator: GeneratorPlan;
  /** True when the generator runs on cores of its own (pinned away from the server). */
  generatorPinned?: boolean;
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

function faultResult(
  scenario: Scenario,
  summary: GroupSummary,
  struck: Struck,
  windowStartNs: number,
  shed: number,
): FaultResult {
  const kind = scenario.fault as FaultResult['kind'];
  return {
    kind,
    atSeconds: (struck.atNs - windowStartNs) / 1e9,
    affectedClients: struck.affected,
    recoveredClients: kind === 'slow' ? 0 : summary.recovered,
    recovery: summarize(summary.recovery),
    recoveryHistogram: encodeHistogram(summary.recovery),
    journal: kind === 'restart' ? scenario.journal : null,
    epochs: kind === 'restart' ? summary.epochs.length : null,
    shed,
  };
}

/** The clients of one run, in this process or in worker processes. */
function startGroup(plan: PoolPlan, workers: number): Promise<ClientGroup> {
  return workers > 1 ? WorkerGroup.start(plan, workers) : Promise.resolve(LocalGroup.fromPlan(plan));
}

/**
 * One technique, start to finish, against a fresh reference server process: connect the
 * clients, publish on schedule through warm-up and the window (striking the scenario's fault
 * on time), drain, count, stop. Returns undefined when aborted before the window began.
 */
export async function measureTransport(
  transport: Transport,
  scenario: Scenario,
  context: MeasureContext,
): Promise<TransportResult | undefined> {
  const { signal } = context;
  const settings = settingsOf(scenario);
  const server: Target =
    context.target !== undefined
      ? new ExternalTarget(context.target.origin)
      : await ServerUnderTest.start(
          {
            transports: [transport.name],
            reconnectDelayMs: settings.reconnectDelayMs,
            longPollTimeoutMs: settings.longPollTimeoutMs,
            heartbeatMs: settings.heartbeatMs,
            prefix: context.serverPrefix,
          },
          scenario.fault === 'restart' && scenario.journal,
        );
  const window = new MeasurementWindow();
  const channels = channelNames(scenario.channels);
  const { generator: plan } = context;
  // A fresh reference server starts empty; a --target may hold messages from earlier runs.
  let start: { epoch: string; lastSeqs: Map<string, number> };
  let group: ClientGroup;
  try {
    const stats = await server.stats();
    if (typeof stats.epoch !== 'string') {
      throw new ImBenchError(
        'IMB_ERR_RUN_FAILED',
        `${server.url}/stats names no epoch: im-bench needs it to tell one log from another (see the wire contract)`,
      );
    }
    start = { epoch: stats.epoch, lastSeqs: lastSeqByChannel(stats) };
  } catch (error) {
    await server.stop();
    if (error instanceof ImBenchError) throw error;
    throw new ImBenchError(
      'IMB_ERR_RUN_FAILED',
      `cannot read ${server.url}/stats (${(error as Error).message}): is the server running and speaking the wire contract?`,
    );
  }
  const slice = shardSlice(scenario.clients, plan.shard);
  try {
    group = await startGroup(
      {
        transport: transport.name,
        baseUrl: server.url,
        ...slice,
        channels,
        localAddresses: plan.localAddresses,
        latencyFrom: shardTag(plan.shard),
        start,
        clientOptions: {
          pollIntervalMs: settings.pollIntervalMs,
          longPollTimeoutMs: settings.longPollTimeoutMs,
          reconnectDelayMs: settings.reconnectDelayMs,
          clientVariant: settings.clientVariant,
        },
      },
      plan.workers,
    );
  } catch (error) {
    await server.stop();
    throw error;
  }
  const { clients } = slice;
  const publishing = new Publishing(scenario, group, server.url, channels, shardTag(plan.shard) ?? null);
  let phase: RunPhase = 'starting';
  const progress = (): void => {
    const status = group.status();
    context.onProgress?.({
      transport: transport.name,
      phase,
      clients,
      connected: status.connected,
      failed: status.failed,
      delivered: status.receivedInWindow,
      errors: status.errors,
      measuredMs: Math.max(0, Math.min(hrtimeNs(), window.endNs) - window.startNs) / 1e6,
      windowMs: scenario.durationMs,
    });
  };
  const ticker = setInterval(progress, PROGRESS_EVERY_MS);
  ticker.unref();

  try {
    await sleep(IDLE_SETTLE_MS, signal);
    const idleRssBytes = await server.rssBytes();
    server.startSampling();

    phase = 'connecting';
    await group.connect(scenario.rampUpMs, signal);
    if (group.status().connected === 0 && !signal.aborted) {
      const summary = await group.summary(new Map());
      throw new ImBenchError(
        'IMB_ERR_RUN_FAILED',
        `no ${transport.name} client could connect to ${server.url}: ${summary.errorSamples.join('; ')}`,
      );
    }
    if (plan.shard !== undefined) await waitForShards(server, transport.name, scenario.clients, signal);
    const connectedRssBytes = await server.rssBytes();

    phase = 'warm-up';
    const schedule = buildSchedule({ ...scenario, spanMs: scenario.warmupMs + scenario.durationMs });
    const startNs = hrtimeNs() + PUBLISH_LEAD_MS * 1e6;
    window.startNs = startNs + scenario.warmupMs * 1e6;
    window.endNs = window.startNs + scenario.durationMs * 1e6;
    await group.setWindow(window.startNs, window.endNs);
    const publisher = new ScheduledPublisher(schedule, startNs, publishing.send, plan.shard);
    publisher.start();

    await sleepUntilNs(window.startNs, signal);
    if (signal.aborted) {
      publisher.stop();
      return undefined;
    }
    phase = 'measuring';
    const coordinatorMonitor = new GeneratorMonitor().start();
    await group.startMonitor();
    const before = await edge(group, publishing, server);

    let struck: Struck | undefined;
    if (scenario.fault !== 'none') {
      await sleepUntilNs(window.startNs + scenario.faultAtMs * 1e6, signal);
      if (!signal.aborted)
        struck = await strike(scenario.fault, scenario.faultShare, group, {
          restartServer: (onKilled) => server.restart(onKilled),
        });
    }
    await sleepUntilNs(window.endNs, signal);
    const partial = signal.aborted;
    if (partial) {
      window.endNs = Math.min(window.endNs, hrtimeNs());
      await group.setWindow(window.startNs, window.endNs);
      publisher.stop();
    }
    const after = await edge(group, publishing, server);
    // The coordinator publishes; the workers (if any) receive: each process is judged on its own.
    const generator = combineHealth([coordinatorMonitor.stop(), ...(await group.stopMonitor())]);

    phase = 'draining';
    await publisher.done;
    await publishing.sink.settled(PUBLISH_SETTLE_MS);
    const complete = plan.shard === undefined ? undefined : expectedLastSeqs(schedule.length, channels, start.lastSeqs);
    await drain(group, server, drainMs(transport, scenario), complete);
    await group.freeze();
    const seen = await group.highestSeen();
    await group.closeClients();
    const final = await group.counters();
    const stats = await server.stats();
    const summary = await group.summary(logExtents(stats, [publishing.sink.acknowledged, server.deadLogs, seen]));
    const status = group.status();
    phase = 'done';
    progress();

    const delivered = status.receivedInWindow;
    const requestsInWindow = after.requests - before.requests;
    const bytesInWindow = after.bytes - before.bytes;
    const serverCpuSeconds = serverCpuBetween(before, after);
    if (generator.bound)
      context.onWarning?.(generatorBoundWarning(transport.name, generator, context.generatorPinned === true));
    const windowEndMs = scenario.warmupMs + (window.endNs - window.startNs) / 1e6;
    const shed = stats.shed[transport.name] ?? 0;
    return {
      transport: transport.name,
      partial,
      clients: { requested: clients, connected: status.connected, failed: status.failed },
      windowSeconds: window.seconds,
      published: {
        total: publisher.sent,
        inWindow: schedule.filter(
          (offset, index) => ownsMessage(index, plan.shard) && offset >= scenario.warmupMs && offset < windowEndMs,
        ).length,
        failed: publishing.failed,
      },
      delivery: { ...summary.delivery, deliveredInWindow: delivered, throughputPerSecond: delivered / window.seconds },
      latency: summarize(summary.latency),
      latencyHistogram: encodeHistogram(summary.latency),
      requests: {
        inWindow: requestsInWindow,
        total: final.requests,
        empty: after.emptyResponses - before.emptyResponses,
        perMessage: perMessage(requestsInWindow, delivered),
        reconnects: final.reconnects,
        errors: status.errors,
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
        rssPerConnectionBytes: perMessage(connectedRssBytes - idleRssBytes, status.connected),
      },
      connect: summarize(summary.connectTime),
      connectHistogram: encodeHistogram(summary.connectTime),
      generator: {
        eventLoopDelayP99Ms: generator.eventLoopDelayP99Ms,
        eventLoopDelayMaxMs: generator.eventLoopDelayMaxMs,
        stalledShare: generator.stalledShare,
        cpuUtilization: generator.cpuUtilization,
        bound: generator.bound,
      },
      errorSamples: summary.errorSamples,
      ...(struck === undefined ? {} : { fault: faultResult(scenario, summary, struck, window.startNs, shed) }),
    };
  } finally {
    clearInterval(ticker);
    await group.close().catch(() => {});
    await publishing.sink.close().catch(() => {});
    await server.stop();
  }
}
