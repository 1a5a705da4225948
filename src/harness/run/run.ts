import { finishHeader, startHeader } from '../../document/header.js';
import { invalidOption } from '../../core/errors.js';
import { representative } from '../../document/repetitions.js';
import {
  type Calibration,
  type PublishWait,
  RESULT_SCHEMA,
  type RunResult,
  type TechniqueFailure,
  type TransportResult,
} from '../../document/result.js';
import type { Scenario, TransportName } from '../../document/scenario.js';
import type { ProxyKind } from '../../document/header.js';
import { getTransport } from '../../transports/registry.js';
import type { ClientTls } from '../../transports/transport.js';
import { deploymentOf, describeEnvironment } from '../machine/environment.js';
import { makeRunCertificate } from '../target/run-certificate.js';
import { forgetTrust } from '../target/stats-request.js';
import { resolveCeilings, withHeadroom, type Ceilings } from '../capacity/headroom.js';
import { describePlan, planGenerator, type GeneratorPlan } from '../generator/generator-plan.js';
import { measureTransport, NoClientConnected } from './measure-transport.js';
import { checkDeployment, clientTrust, overTls } from './deployment-checks.js';
import type { MeasureContext } from './open-target.js';
import { parseCpuList, pinProcess, planPlacement, serverPinPrefix, type Placement } from '../machine/placement.js';
import { checkCapacity, serverSpawnPrefix, type CapacityReport } from '../machine/preflight.js';
import type { Progress } from './progress.js';
import { shardSlice, type Shard } from './shard.js';
import { offers, REFERENCE_KIND, type ServerKind } from '../../profiles/registry.js';

export interface RunOptions {
  scenario: Scenario;
  /**
   * The kinds of server to measure, each technique on a fresh server of each kind (or on the
   * `target`, which is then of the one kind given). Default: the reference server.
   */
  servers?: readonly ServerKind[];
  /** With a `target` of a profile's kind: the processes whose CPU and memory are its. */
  serverPids?: readonly number[];
  /** Worker processes of a profile's server im-bench starts (`{{workers}}` in its config); default 1. */
  serverWorkers?: number;
  /** Drive this server (checked with checkTarget) instead of a fresh reference server per technique. */
  target?: URL;
  /** An https `target`: its certificate signed by `ca` (default: Node's CA store), for `servername` (default: its host). */
  targetTls?: ClientTls;
  /** Runs of each technique; with more than one the result keeps every repetition. Default 1. */
  repeat?: number;
  /** `auto`: server on one core, generator on the rest, where taskset exists. */
  pin?: 'auto' | 'off';
  /** How the publisher waits for each due time; default precise (see PublishWaiter). */
  publishWait?: PublishWait;
  /**
   * The reference server's request ceilings (an `im-bench capacity` document, with `source:
   * 'file'`), or `probe` to measure them before the run: polling techniques then carry their
   * headroom. Not with `target`: the ceilings are the reference server's.
   */
  capacity?: Ceilings | 'probe';
  /** Generator processes for the clients: a count, or `auto` (the default) from the clients and cores. */
  workers?: number | 'auto';
  /** Source addresses for the clients' connections, or `auto` (the default: spread once one address runs short of ports). */
  localAddresses?: string[] | 'auto';
  /** Run slice `index` of `count` shards against one `target` (see `im-bench merge`). */
  shard?: Shard;
  /** Slow the reference servers on purpose, to calibrate compare; recorded in the document. Not with `target`. */
  calibration?: Calibration;
  /**
   * Every technique over TLS (https, wss), with a certificate made for the run that the clients
   * trust, and nothing else; recorded as `environment.deployment`. The reference server, a
   * profile's server whose profile serves TLS (`server.tls`), or any behind `via` (TLS then
   * ends at the proxy). An https `target` is over TLS by its URL instead.
   */
  tls?: boolean;
  /**
   * Short polling, long polling, SSE and HTTP streaming over HTTP/2: h2 (ALPN) with `tls`, h2c
   * (prior knowledge, on a port of its own) without. `multiplex` clients share a connection (1:
   * one each, as separate browsers). The WebSocket stays HTTP/1.1. The reference server, a
   * profile's server over TLS whose profile serves h2, any behind `via`, or an https `target` (h2).
   */
  http2?: { multiplex: number };
  /**
   * nginx between the clients and the server (the reference server or a profile's): configured for push (`nginx`), or with
   * its defaults (`nginx-defaults`), where a technique that cannot work through it is reported
   * failed, with the reason, and the run goes on. TLS and HTTP/2 end at nginx.
   */
  via?: ProxyKind;
  /** Aborting stops the run; techniques measured so far are returned, with `aborted: true`. */
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  onWarning?: (warning: string) => void;
  /** Called once before anything starts with the machine's limits and how the clients fit them. */
  onPlan?: (description: string) => void;
  /** Called after each measurement with the document so far (marked aborted until complete), so a later failure loses nothing. */
  onTransportDone?: (partial: RunResult) => void | Promise<void>;
}

/**
 * Where the clients go (workers, source addresses) and whether that fits this machine; throws
 * IMB_ERR_PREFLIGHT, before anything starts, when it does not.
 */
export function prepareGenerator(
  options: Pick<RunOptions, 'scenario' | 'target' | 'workers' | 'localAddresses' | 'shard'>,
  placement: Placement | null,
): { plan: GeneratorPlan; capacity: CapacityReport } {
  const { scenario } = options;
  const clients = shardSlice(scenario.clients, options.shard).clients;
  const plan = planGenerator(
    {
      workers: options.workers ?? 'auto',
      localAddresses: options.localAddresses ?? 'auto',
      ...(options.shard === undefined ? {} : { shard: options.shard }),
    },
    {
      clients,
      scenario,
      targetHost: options.target?.hostname ?? '127.0.0.1',
      generatorCores: placement === null ? 1 : (parseCpuList(placement.generator)?.length ?? 1),
    },
  );
  const capacity = checkCapacity({
    clients,
    workers: plan.workers,
    sourceAddresses: Math.max(1, plan.localAddresses.length),
    localServer: options.target === undefined,
  });
  return { plan, capacity };
}

export async function run(options: RunOptions): Promise<RunResult> {
  const { scenario } = options;
  const repeat = options.repeat ?? 1;
  const signal = options.signal ?? new AbortController().signal;
  if (options.capacity !== undefined && options.target !== undefined) {
    throw invalidOption('capacity', options.target.origin, 'no target: the ceilings are those of the reference server');
  }
  if (options.calibration !== undefined && options.target !== undefined)
    throw invalidOption('calibration', options.target.origin, 'no target: im-bench can only slow a server it starts');
  checkDeployment(options);
  const placement = planPlacement(options.pin ?? 'auto');
  const { plan, capacity } = prepareGenerator(options, placement);
  const environment = describeEnvironment(placement, options.target ?? null);
  options.onPlan?.(describePlan(plan, capacity, environment.totalMemoryBytes));
  const generatorPinned = placement !== null && pinProcess(process.pid, placement.generator);
  if (placement !== null && !generatorPinned) {
    options.onWarning?.(
      `could not pin the generator to CPUs ${placement.generator}; it shares every core with the server`,
    );
  }
  const result: RunResult = {
    ...startHeader(RESULT_SCHEMA, {
      ...environment,
      generator: { workers: plan.workers, localAddresses: plan.localAddresses },
      deployment: deploymentOf(overTls(options), options.http2, options.via),
    }),
    repeat,
    ...(options.shard === undefined ? {} : { shard: options.shard }),
    ...(options.calibration === undefined ? {} : { calibration: options.calibration }),
    ...describeServers(options.servers ?? [], options.target === undefined ? (options.serverWorkers ?? 1) : undefined),
    scenario,
    transports: [],
  };
  const ceilings =
    options.capacity === undefined
      ? undefined
      : await resolveCeilings({
          capacity: options.capacity,
          transports: scenario.transports,
          pin: options.pin,
          signal,
          onWarning: options.onWarning,
        });
  const serverPrefix = [...serverSpawnPrefix(capacity, scenario.clients), ...serverPinPrefix(placement)];
  const tls = options.tls === true ? await makeRunCertificate() : undefined;
  const trust = clientTrust(options, tls);
  try {
    await measureEach(
      options,
      result,
      (server) => ({
        serverPrefix,
        target: options.target,
        ...(server.profile === undefined ? {} : { profile: server.profile }),
        ...(options.serverPids === undefined ? {} : { serverPids: options.serverPids }),
        ...(options.serverWorkers === undefined ? {} : { serverWorkers: options.serverWorkers }),
        generator: plan,
        generatorPinned,
        publishWait: options.publishWait,
        calibration: options.calibration,
        ...(tls === undefined ? {} : { tls }),
        ...(trust === undefined ? {} : { trust }),
        ...(options.http2 === undefined ? {} : { http2: options.http2 }),
        ...(options.via === undefined ? {} : { via: options.via }),
        signal,
        onProgress: options.onProgress,
        onWarning: options.onWarning,
      }),
      ceilings,
    );
  } finally {
    if (trust !== undefined) forgetTrust(trust);
    tls?.remove();
  }
  return result;
}

/** Records a technique that failed through the proxy, once, whatever the repetitions. */
function noteFailure(result: RunResult, failure: TechniqueFailure): void {
  const failed = (result.failed ??= []);
  if (!failed.some((f) => f.transport === failure.transport && f.profile === failure.profile)) failed.push(failure);
}

/** What each kind of server is, for the reports; nothing when every one is the reference server. */
function describeServers(servers: readonly ServerKind[], workers: number | undefined): Pick<RunResult, 'servers'> {
  if (servers.every((server) => server.profile === undefined)) return {};
  return {
    servers: servers.map(({ name, profile }) => ({
      name,
      description: profile?.description ?? 'the reference server (the wire contract)',
      source: profile?.source ?? 'built-in',
      ...(profile?.server === undefined || workers === undefined ? {} : { workers }),
    })),
  };
}

/**
 * Each round measures every technique on every kind of server, in that order, so a drift over
 * the run lands on all of them alike; `result` holds the representative repetition of each.
 */
async function measureEach(
  options: RunOptions,
  result: RunResult,
  contextOf: (server: ServerKind) => MeasureContext,
  ceilings: Ceilings | undefined,
): Promise<void> {
  const { scenario } = options;
  const signal = options.signal ?? new AbortController().signal;
  const servers = options.servers ?? [REFERENCE_KIND];
  const measured = new Map<string, TransportResult[]>();
  // Until run() returns, the document says `aborted`: a file written along the way, left by a
  // run that then failed, must not pass for a complete one.
  const update = (finished: boolean): void => {
    result.transports = [...measured.values()].filter((runs) => runs.length > 0).map(representative);
    finishHeader(result, signal.aborted || !finished);
  };
  for (const server of servers) {
    for (const name of scenario.transports) {
      if (offers(server, name)) measured.set(`${server.name}/${name}`, []);
      else options.onWarning?.(`${server.name}: ${name} skipped: the ${server.name} profile does not offer it`);
    }
  }
  for (let round = 0; round < (options.repeat ?? 1) && !signal.aborted; round++) {
    for (const server of servers) {
      for (const name of scenario.transports.filter((technique) => offers(server, technique))) {
        if (signal.aborted) break;
        const outcome = await measureOne(name, server, contextOf(server), options, result);
        if (outcome !== undefined) measured.get(`${server.name}/${name}`)!.push(withHeadroom(outcome, ceilings));
        update(false);
        await options.onTransportDone?.(result);
      }
    }
  }
  update(true);
  // A technique that ran in one repetition and failed in another is measured, not failed.
  if (result.failed !== undefined) {
    const ran = (failure: TechniqueFailure): boolean =>
      result.transports.some(
        (t) => t.transport === failure.transport && (t.profile ?? 'reference') === failure.profile,
      );
    result.failed = result.failed.filter((failure) => !ran(failure));
    if (result.failed.length === 0) delete result.failed;
  }
}

async function measureOne(
  name: TransportName,
  server: ServerKind,
  context: MeasureContext,
  options: RunOptions,
  result: RunResult,
): Promise<TransportResult | undefined> {
  try {
    const outcome = await measureTransport(getTransport(name), options.scenario, context);
    if (outcome === undefined) return undefined;
    const { transport, ...figures } = outcome;
    return { transport, profile: server.name, ...figures };
  } catch (error) {
    // Through nginx's defaults, a technique it lets no client through is the finding (the
    // WebSocket, buffered streams), not the end of the run; through the tuned proxy it is a failure.
    if (options.via === 'nginx-defaults' && error instanceof NoClientConnected) {
      noteFailure(result, { transport: name, profile: server.name, reason: error.reasons.join('; ') });
      options.onWarning?.(
        `${name}: failed through ${options.via}, no client could subscribe: ${error.reasons[0] ?? ''}`,
      );
      return undefined;
    }
    // Stopping can break a technique half-way; the ones measured before it still count.
    if (!context.signal.aborted) throw error;
    options.onWarning?.(`${name}: stopped before its figures were complete (${(error as Error).message})`);
    return undefined;
  }
}
