import { hrtimeNs } from '../../core/clock.js';
import { ImBenchError } from '../../core/errors.js';
import type { TransportResult } from '../../document/result.js';
import type { Scenario, TransportName } from '../../document/scenario.js';
import { sleep } from '../../transports/shared/client-support.js';
import type { Transport } from '../../transports/transport.js';
import { combineHealth, GeneratorMonitor, generatorBoundWarning } from '../generator/generator-health.js';
import { ScheduleTimer } from '../publish/schedule-timer.js';
import { buildSchedule } from '../publish/schedule.js';
import { drain, drainMs, logExtents } from './drain.js';
import { strike, type Struck } from './faults.js';
import { type MeasureContext, type OpenedTarget, openTarget, startClients, type TechniqueRun } from './open-target.js';
import { ProgressTicker } from './progress-ticker.js';
import { expectedLastSeqs, waitForShards } from './shard.js';
import { assembleTransportResult, type TransportCounters } from './transport-result.js';
import { type Edge, edge } from './window-edges.js';
import { CERTIFICATE_HINT, isCertificateRefusal } from '../target/certificate-refusal.js';
import { probeHandshake } from '../target/handshake-probe.js';

const PUBLISH_LEAD_MS = 5;
/** A publisher-numbered publish that waited longer than this for its channel's last one is said. */
const LANE_WAIT_WARNING_MS = 1;
const IDLE_SETTLE_MS = 100;
/** Past the drain, how long to wait for publishes still unanswered (an overloaded server). */
const PUBLISH_SETTLE_MS = 5_000;

function sleepUntilNs(targetNs: number, signal: AbortSignal): Promise<void> {
  return sleep((targetNs - hrtimeNs()) / 1e6, signal);
}

/** What the measuring phase hands to the drain: the window's edges, the publisher, and what struck. */
interface Measured {
  schedule: Float64Array;
  timer: ScheduleTimer;
  partial: boolean;
  before: Edge;
  after: Edge;
  generator: TransportCounters['generator'];
  rss: { idleRssBytes: number | null; connectedRssBytes: number | null };
  struck?: Struck;
}

/**
 * One technique, start to finish, in four phases: open the target (a fresh reference server
 * process, or `--target`), start the clients, measure (connect, warm up, the window with its
 * fault), then drain and count. Returns undefined when aborted before the window began.
 */
export async function measureTransport(
  transport: Transport,
  scenario: Scenario,
  context: MeasureContext,
): Promise<TransportResult | undefined> {
  const target = await openTarget(transport, scenario, context);
  const run = await startClients(target, transport, scenario, context).catch(async (error: unknown) => {
    await target.server.stop();
    throw error;
  });
  const ticker = new ProgressTicker(run, context.onProgress);
  try {
    const handshake = await handshakeOf(transport, target, context);
    const measured = await measure(run, target, ticker);
    if (measured === undefined) return undefined;
    // Counted by the server, the connections are its own: behind a proxy, nginx's upstream ones, not the clients'.
    const shared = transport.http2 === true && (context.http2?.multiplex ?? 1) > 1 && context.via === undefined;
    const counters = {
      ...(await drainAndCount(run, target, measured, ticker)),
      ...handshake,
      ...(shared ? { sharedConnections: true } : {}),
    };
    if (counters.generator.bound) {
      context.onWarning?.(generatorBoundWarning(transport.name, counters.generator, context.generatorPinned === true));
    }
    const waitedMs = run.sender.http.longestWaitMs;
    if (waitedMs >= LANE_WAIT_WARNING_MS)
      context.onWarning?.(
        `${run.profile}/${transport.name}: a publish waited up to ${waitedMs.toFixed(1)} ms for an earlier one on its connection (a server the publisher numbers for gets each channel's messages one at a time, in order); that wait is in the latencies`,
      );
    return assembleTransportResult(counters);
  } finally {
    ticker.stop();
    await run.group.close().catch(() => {});
    await run.sender.http.close().catch(() => {});
    await target.server.stop();
  }
}

const NO_APPLICATION_PROTOCOL = 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL';

/**
 * Over TLS, one handshake's bytes with the server (or the proxy in front), as the clients offer
 * ALPN. Before any client tries, a server whose certificate the clients would refuse (a target
 * checked against --ca, or one whose profile skips /stats) or that does not choose h2 over
 * HTTP/2 (a target that speaks HTTP/1.1 only) ends the run, saying so.
 */
async function handshakeOf(
  transport: Transport,
  { server }: OpenedTarget,
  context: MeasureContext,
): Promise<Pick<TransportCounters, 'handshakeBytes'>> {
  if (context.trust === undefined) return {};
  const alpn = transport.http2 === true && context.http2 !== undefined ? 'h2' : 'http/1.1';
  // Another failure tells nothing the clients will not: their own connections fail and say why.
  const handshake = await probeHandshake(server.url, context.trust, alpn).catch((error: NodeJS.ErrnoException) => {
    if (isCertificateRefusal(error))
      throw new ImBenchError('IMB_ERR_RUN_FAILED', `${server.url}: ${error.message}: ${CERTIFICATE_HINT}`);
    // TLS ends with this alert when the server speaks none of the protocols offered.
    return alpn === 'h2' && error.code === NO_APPLICATION_PROTOCOL ? { bytes: 0, alpn: false as const } : undefined;
  });
  if (handshake === undefined) return {};
  if (alpn === 'h2' && handshake.alpn !== 'h2')
    throw new ImBenchError(
      'IMB_ERR_RUN_FAILED',
      `${server.url} chose ${handshake.alpn === false ? 'no protocol' : handshake.alpn} by ALPN, not h2: it does not speak HTTP/2 over TLS (measure it over HTTP/1.1)`,
    );
  return { handshakeBytes: handshake.bytes };
}

/** Connect, warm up, and the window, striking the fault on time; undefined when stopped before the window. */
async function measure(run: TechniqueRun, target: OpenedTarget, ticker: ProgressTicker): Promise<Measured | undefined> {
  const { scenario, group, window, signal } = run;
  const { server } = target;
  await sleep(IDLE_SETTLE_MS, signal);
  const idleRssBytes = await server.rssBytes();
  server.startSampling();

  ticker.phase = 'connecting';
  await connectAll(run, target);
  const connectedRssBytes = await server.rssBytes();

  ticker.phase = 'warm-up';
  const schedule = buildSchedule({ ...scenario, spanMs: scenario.warmupMs + scenario.durationMs });
  const startNs = hrtimeNs() + PUBLISH_LEAD_MS * 1e6;
  window.startNs = startNs + scenario.warmupMs * 1e6;
  window.endNs = window.startNs + scenario.durationMs * 1e6;
  await group.setWindow(window.startNs, window.endNs);
  const timer = new ScheduleTimer(schedule, startNs, run.sender.send, {
    shard: run.plan.shard,
    window,
    wait: run.publishWait,
  });
  timer.start();
  await sleepUntilNs(window.startNs, signal);
  if (signal.aborted) {
    timer.stop();
    return undefined;
  }

  ticker.phase = 'measuring';
  const coordinatorMonitor = new GeneratorMonitor().start(() => timer.spinNs);
  await group.startMonitor();
  const before = await edge(group, run.sender, server);
  const struck = await strikeOnTime(run, target);
  await sleepUntilNs(window.endNs, signal);
  const partial = signal.aborted;
  if (partial) {
    window.endNs = Math.min(window.endNs, hrtimeNs());
    await group.setWindow(window.startNs, window.endNs);
    timer.stop();
  }
  const after = await edge(group, run.sender, server);
  // The coordinator publishes; the workers (if any) receive: each process is judged on its own.
  const generator = combineHealth([coordinatorMonitor.stop(), ...(await group.stopMonitor())]);
  const rss = { idleRssBytes, connectedRssBytes };
  return { schedule, timer, partial, before, after, generator, rss, ...(struck === undefined ? {} : { struck }) };
}

/** No client of a technique could subscribe: nothing to measure. Through a proxy, a finding of its own. */
export class NoClientConnected extends ImBenchError {
  constructor(
    readonly transport: TransportName,
    url: string,
    readonly reasons: readonly string[],
  ) {
    super('IMB_ERR_RUN_FAILED', `no ${transport} client could connect to ${url}: ${reasons.join('; ')}`);
  }
}

/** Opens every client over the ramp-up; a run where none could connect has nothing to measure. */
async function connectAll(run: TechniqueRun, { server }: OpenedTarget): Promise<void> {
  const { group, signal, transport, scenario } = run;
  await group.connect(scenario.rampUpMs, signal);
  if (group.status().connected === 0 && !signal.aborted) {
    const summary = await group.summary(new Map());
    throw new NoClientConnected(transport.name, server.url, summary.errorSamples);
  }
  if (run.plan.shard !== undefined) await waitForShards(server, transport.name, scenario.clients, signal);
}

async function strikeOnTime(run: TechniqueRun, { server }: OpenedTarget): Promise<Struck | undefined> {
  const { scenario, signal } = run;
  if (scenario.fault === 'none') return undefined;
  await sleepUntilNs(run.window.startNs + scenario.faultAtMs * 1e6, signal);
  if (signal.aborted) return undefined;
  return strike(scenario.fault, scenario.faultShare, run.group, {
    restartServer: (onKilled) => server.restart(onKilled),
  });
}

/**
 * Waits for the publishes and the copies still in flight (even after an abort, so they are not
 * counted lost), then freezes the clients and counts what they received against every log.
 */
async function drainAndCount(
  run: TechniqueRun,
  { server, start }: OpenedTarget,
  measured: Measured,
  ticker: ProgressTicker,
): Promise<TransportCounters> {
  const { group, sender, scenario, transport } = run;
  ticker.phase = 'draining';
  await measured.timer.done;
  await sender.http.settled(PUBLISH_SETTLE_MS);
  const shard = run.plan.shard;
  const complete =
    shard === undefined ? undefined : expectedLastSeqs(measured.schedule.length, run.channels, start.lastSeqs);
  await drain(group, server, drainMs(transport, scenario), complete);
  await group.freeze();
  const seen = await group.highestSeen();
  await group.closeClients();
  const final = await group.counters();
  const stats = await server.stats();
  const witnesses = [sender.http.acknowledged, server.deadLogs, seen];
  const summary = await group.summary(logExtents(stats, witnesses, server.selfReported));
  const status = group.status();
  ticker.phase = 'done';
  ticker.report();
  return {
    transport: transport.name,
    ...(run.profile === undefined ? {} : { profile: run.profile }),
    scenario,
    ...(shard === undefined ? {} : { shard }),
    partial: measured.partial,
    clients: run.clients,
    window: { startNs: run.window.startNs, endNs: run.window.endNs },
    schedule: measured.schedule,
    published: { sent: measured.timer.sent, failed: sender.failed },
    lateness: measured.timer.lateness,
    publishWait: run.publishWait,
    before: measured.before,
    after: measured.after,
    final,
    status,
    summary,
    server: {
      requests: server.selfReported ? (stats.requests[transport.name] ?? 0) : null,
      shed: server.selfReported ? (stats.shed[transport.name] ?? 0) : null,
      ...measured.rss,
      peakRssBytes: server.peakRssBytes,
    },
    generator: measured.generator,
    ...(measured.struck === undefined ? {} : { struck: measured.struck }),
  };
}
