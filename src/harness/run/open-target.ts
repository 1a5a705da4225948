import type { ServerTls } from '../target/server-process.js';
import type { ProxyKind } from '../../document/header.js';
import { ProxiedTarget } from '../target/proxied-target.js';
import { ReverseProxy } from '../target/reverse-proxy.js';
import { randomBytes } from 'node:crypto';
import { ImBenchError } from '../../core/errors.js';
import { PROFILE_EPOCH, type Profile } from '../../profiles/profile.js';
import type { Scenario } from '../../document/scenario.js';
import { type ClientTls, settingsOf, type Transport } from '../../transports/transport.js';
import { type ClientGroup, LocalGroup, type PoolPlan } from '../generator/client-group.js';
import type { GeneratorPlan } from '../generator/generator-plan.js';
import { WorkerGroup } from '../generator/worker-group.js';
import { MessageSender } from '../publish/message-sender.js';
import type { Calibration, PublishWait } from '../../document/result.js';
import { CERTIFICATE_HINT, isCertificateRefusal } from '../target/certificate-refusal.js';
import { ExternalTarget } from '../target/external-target.js';
import { ProfileTarget } from '../target/profile-target.js';
import { profileTemplateValues } from '../target/profile-values.js';
import { ServerUnderTest } from '../target/server-under-test.js';
import type { Target } from '../target/target.js';
import { lastSeqByChannel } from './drain.js';
import { MeasurementWindow } from './measurement-window.js';
import type { Progress } from './progress.js';
import { shardSlice, shardTag } from './shard.js';

export interface MeasureContext {
  /** argv before `node` for the server child (CPU pinning, descriptor limit). */
  serverPrefix: readonly string[];
  /** Someone else's server to drive instead of a fresh reference server (`--target`). */
  target?: URL;
  /** The kind of server, when not the reference server (`--server`, `--profile`): started fresh per technique, or the `target`. */
  profile?: Profile;
  /** `--server-pid`: the processes whose CPU and memory are the target's. */
  serverPids?: readonly number[];
  /** Worker processes of a profile's server (`{{workers}}`); default 1. */
  serverWorkers?: number;
  /** Worker processes, source addresses and shard for the clients (see planGenerator). */
  generator: GeneratorPlan;
  /** True when the generator runs on cores of its own (pinned away from the server). */
  generatorPinned?: boolean;
  /** How the publisher waits for each due time (default precise). */
  publishWait?: PublishWait;
  /** The reference server slowed on purpose, to calibrate compare. */
  calibration?: Calibration | undefined;
  /** Every technique over TLS, with the run's certificate (`--tls`). */
  tls?: ServerTls;
  /**
   * How the clients, the publisher and the probes check the server's certificate over TLS: the
   * run's own (`tls`), or what an https `target` is checked against (`--ca`, its pinned name).
   */
  trust?: ClientTls;
  /** The HTTP techniques over HTTP/2 (`--http2`), `multiplex` clients to a connection (`--h2-multiplex`). */
  http2?: { multiplex: number };
  /** A reverse proxy between the clients and the server (`--via`): TLS and HTTP/2 end there. */
  via?: ProxyKind;
  signal: AbortSignal;
  onProgress?: (progress: Progress) => void;
  onWarning?: (warning: string) => void;
}

/** The server of one measurement, and its log as the clients find it. */
export interface OpenedTarget {
  server: Target;
  /** The log's epoch and each channel's last seq before any client subscribed (a --target may hold earlier runs). */
  start: { epoch: string; lastSeqs: Map<string, number> };
  /** The channels the scenario's clients use on it. */
  channels: string[];
}

/** One technique's measurement once its clients exist: what every phase after works with. */
export interface TechniqueRun {
  transport: Transport;
  /** The profile's name, when the server is not the reference server. */
  profile?: string;
  scenario: Scenario;
  plan: GeneratorPlan;
  signal: AbortSignal;
  channels: readonly string[];
  /** This run's (or shard's) share of the scenario's clients. */
  clients: number;
  group: ClientGroup;
  sender: MessageSender;
  publishWait: PublishWait;
  window: MeasurementWindow;
}

function channelNames(count: number): string[] {
  return count === 1 ? ['default'] : Array.from({ length: count }, (_, i) => `ch${i}`);
}

/**
 * A profile's server cannot say what a channel held before the run, and a running one may hold
 * an earlier run's messages, which a client would replay: each measurement gets channels of its own.
 */
function channelsOfThisRun(count: number): string[] {
  const run = randomBytes(4).toString('hex');
  return channelNames(count).map((name) => `imb-${run}-${name}`);
}

/**
 * A profile's server: the `target`, or one im-bench starts, over TLS (and HTTP/2) itself when
 * its profile serves them and no proxy in front ends them.
 */
async function openProfileTarget(profile: Profile, scenario: Scenario, context: MeasureContext): Promise<OpenedTarget> {
  const direct = context.via === undefined;
  const origin = await ProfileTarget.open({
    profile,
    ...(context.target === undefined ? {} : { url: context.target.origin }),
    ...(context.trust === undefined || !direct ? {} : { tls: context.trust }),
    ...(context.serverPids === undefined ? {} : { pids: context.serverPids }),
    start: {
      values: profileTemplateValues(scenario, context.serverWorkers ?? 1),
      prefix: context.serverPrefix,
      ...(context.tls === undefined || !direct ? {} : { tls: context.tls }),
      ...(context.http2 === undefined || !direct ? {} : { http2: true }),
    },
  });
  const server = await behindProxy(origin, scenario, context);
  return {
    server,
    start: { epoch: PROFILE_EPOCH, lastSeqs: new Map() },
    channels: channelsOfThisRun(scenario.channels),
  };
}

/**
 * A fresh reference server for one technique: over TLS and HTTP/2 as asked, or, behind a reverse
 * proxy (`via`), in cleartext HTTP/1.1 with the proxy ending TLS and HTTP/2 in front of it.
 */
async function startOwn(transport: Transport, scenario: Scenario, context: MeasureContext): Promise<Target> {
  const settings = settingsOf(scenario);
  const direct = context.via === undefined;
  const origin = await ServerUnderTest.start(
    {
      transports: [transport.name],
      reconnectDelayMs: settings.reconnectDelayMs,
      longPollTimeoutMs: settings.longPollTimeoutMs,
      heartbeatMs: settings.heartbeatMs,
      prefix: context.serverPrefix,
      calibrateDelayMs: context.calibration?.delayMs ?? 0,
      calibrateCpuMicros: context.calibration?.cpuMicrosPerCopy[transport.name] ?? 0,
      ...(context.tls === undefined || !direct ? {} : { tls: context.tls }),
      ...(context.http2 === undefined || !direct ? {} : { http2: true }),
    },
    scenario.fault === 'restart' && scenario.journal,
  );
  return behindProxy(origin, scenario, context);
}

/** The server as the clients reach it: itself, or behind the `via` proxy, which TLS and HTTP/2 end at. */
async function behindProxy(origin: Target, scenario: Scenario, context: MeasureContext): Promise<Target> {
  if (context.via === undefined) return origin;
  try {
    const proxy = await ReverseProxy.start({
      kind: context.via,
      upstream: new URL(origin.url).host,
      ...(context.tls === undefined ? {} : { tls: context.tls }),
      http2: context.http2 !== undefined,
      longPollTimeoutMs: settingsOf(scenario).longPollTimeoutMs,
      heartbeatMs: settingsOf(scenario).heartbeatMs,
      prefix: context.serverPrefix,
    });
    return new ProxiedTarget(origin, proxy);
  } catch (error) {
    await origin.stop();
    throw error;
  }
}

/** Phase 1: a fresh reference server for this technique (or the `--target`), and its log's starting point. */
export async function openTarget(
  transport: Transport,
  scenario: Scenario,
  context: MeasureContext,
): Promise<OpenedTarget> {
  if (context.profile !== undefined) return openProfileTarget(context.profile, scenario, context);
  const server =
    context.target !== undefined
      ? new ExternalTarget(context.target.origin, context.trust)
      : await startOwn(transport, scenario, context);
  try {
    const stats = await server.stats();
    if (typeof stats.epoch !== 'string') {
      throw new ImBenchError(
        'IMB_ERR_RUN_FAILED',
        `${server.url}/stats names no epoch: im-bench needs it to tell one log from another (see the wire contract)`,
      );
    }
    return {
      server,
      start: { epoch: stats.epoch, lastSeqs: lastSeqByChannel(stats) },
      channels: channelNames(scenario.channels),
    };
  } catch (error) {
    await server.stop();
    if (error instanceof ImBenchError) throw error;
    throw new ImBenchError(
      'IMB_ERR_RUN_FAILED',
      `cannot read ${server.url}/stats (${(error as Error).message}): ${statsFailureHint(error)}`,
    );
  }
}

function statsFailureHint(error: unknown): string {
  return isCertificateRefusal(error) ? CERTIFICATE_HINT : 'is the server running and speaking the wire contract?';
}

/** Phase 2: the technique's clients (in this process or in workers), not connected yet, and who publishes. */
export async function startClients(
  { server, start, channels }: OpenedTarget,
  transport: Transport,
  scenario: Scenario,
  context: MeasureContext,
): Promise<TechniqueRun> {
  const { generator: plan } = context;
  const settings = settingsOf(scenario);
  const { profile } = context;
  const slice = shardSlice(scenario.clients, plan.shard);
  const { trust } = context;
  // The WebSocket upgrades an HTTP/1.1 connection, on the host's port even when h2c has its own.
  const http2 = transport.http2 === true ? context.http2 : undefined;
  const poolPlan: PoolPlan = {
    transport: transport.name,
    baseUrl: http2 === undefined ? server.url : (server.h2cUrl ?? server.url),
    ...slice,
    channels,
    localAddresses: plan.localAddresses,
    latencyFrom: shardTag(plan.shard),
    start,
    ...(scenario.publisher === 'clients' && profile?.publish.numbering === 'publisher' ? { perSender: true } : {}),
    clientOptions: {
      pollIntervalMs: settings.pollIntervalMs,
      longPollTimeoutMs: settings.longPollTimeoutMs,
      reconnectDelayMs: settings.reconnectDelayMs,
      clientVariant: settings.clientVariant,
      // The heartbeat is the one im-bench gave its own server; a profile's server or a target keeps
      // its own (nchan's in whole seconds), and the clients wait their default.
      ...(profile === undefined && context.target === undefined ? { heartbeatMs: settings.heartbeatMs } : {}),
      ...(profile === undefined ? {} : { dialect: profile.techniques.get(transport.name) }),
      ...(trust === undefined ? {} : { tls: trust }),
      ...(http2 === undefined ? {} : { http2 }),
    },
  };
  const group: ClientGroup =
    plan.workers > 1 ? await WorkerGroup.start(poolPlan, plan.workers) : LocalGroup.fromPlan(poolPlan);
  // Behind a proxy the publisher speaks to the origin, in cleartext.
  const sender = new MessageSender(
    scenario,
    group,
    server.publishUrl ?? server.url,
    channels,
    shardTag(plan.shard) ?? null,
    profile?.publish,
    server.publishUrl === undefined ? trust : undefined,
  );
  const origin = server instanceof ProxiedTarget ? server.origin : server;
  if (origin instanceof ProfileTarget) origin.published = () => sender.http.acknowledged;
  return {
    transport,
    ...(profile === undefined ? {} : { profile: profile.name }),
    scenario,
    plan,
    signal: context.signal,
    channels,
    clients: slice.clients,
    group,
    sender,
    publishWait: context.publishWait ?? 'precise',
    window: new MeasurementWindow(),
  };
}
