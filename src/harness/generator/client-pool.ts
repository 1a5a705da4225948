import { performance } from 'node:perf_hooks';
import { hrtimeNs } from '../../core/clock.js';
import { ERROR_SAMPLES_KEPT } from '../../core/constants.js';
import { createHistogram, recordMicros, type Histogram } from '../../core/histogram.js';
import { sleep } from '../../transports/shared/client-support.js';
import type { FaultKind } from '../../document/scenario.js';
import type { ClientSettings, Transport, TransportClient } from '../../transports/transport.js';
import { createSubscriber } from '../../transports/subscriber.js';
import { MeasurementWindow } from '../run/measurement-window.js';
import { PooledClient, type PoolRecorder } from './pooled-client.js';
import { isSenderLog } from '../../profiles/profile.js';
import { noWireCounts, type WireCounts } from '../../transports/shared/client-meter.js';
import { H2Links } from '../../transports/shared/h2-link.js';
import { plainOrigin } from '../../transports/shared/plain-connection.js';

const WIRE_COUNTS = Object.keys(noWireCounts()) as Array<keyof WireCounts>;

/** The clients' meters summed: flat counts, added field by field across workers (addCounts). */
export interface PoolCounters extends WireCounts {
  requests: number;
  emptyResponses: number;
  reconnects: number;
  bytes: number;
}

export function noCounters(): PoolCounters {
  return { requests: 0, emptyResponses: 0, reconnects: 0, bytes: 0, ...noWireCounts() };
}

export interface DeliveryTotals {
  expected: number;
  delivered: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  gapReported: number;
  /** Messages that broke the wire contract (no integer seq, no `t`…): neither copies nor duplicates. */
  protocolErrors: number;
}

export const NO_DELIVERY: Readonly<DeliveryTotals> = {
  expected: 0,
  delivered: 0,
  lost: 0,
  duplicated: 0,
  outOfOrder: 0,
  gapReported: 0,
  protocolErrors: 0,
};

/** What each log held at the end, per epoch and channel: the last sequence number. */
export type LogExtents = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** What a pool's clients did, in a form that crosses a process boundary (histograms encoded apart). */
export interface PoolStatus {
  connected: number;
  failed: number;
  receivedInWindow: number;
  errors: number;
}

export interface PoolSettings {
  transport: Transport;
  baseUrl: string;
  /** The clients' global indices: `firstIndex` … `firstIndex + clients - 1` (a worker's or a shard's slice). */
  firstIndex?: number;
  clients: number;
  channels: readonly string[];
  /** A shard's own publisher tag (the `from` it stamps): only its messages count for latency, timed on its own clock. */
  latencyFrom?: string;
  /** Local source addresses for the clients' connections, dealt out by client index; [] = the system's choice. */
  localAddresses?: readonly string[];
  /** The log before the clients subscribe, and each channel's last seq: they start after it (a target may hold earlier runs). */
  start: { epoch: string; lastSeqs: ReadonlyMap<string, number> };
  /** Each sender numbers its own messages (a chat against a server the publisher numbers for): one account per sender. */
  perSender?: boolean;
  clientOptions: ClientSettings;
}

/**
 * The simulated clients of one technique. Client i subscribes to channel i mod channels.
 * Latency goes into one HDR histogram per pool, recorded only for messages scheduled
 * inside the measurement window; errors are counted, never thrown.
 */
export class ClientPool implements PoolRecorder {
  readonly latency: Histogram = createHistogram();
  readonly connectTime: Histogram = createHistogram();
  readonly window = new MeasurementWindow();
  /** From the fault to each affected client's first message after it. */
  readonly recovery: Histogram = createHistogram();
  faultNs = Number.POSITIVE_INFINITY;
  /** First copies received while the window was open, whenever they were scheduled. */
  receivedInWindow = 0;
  /** Set when the drain ends: copies arriving while clients close are not counted, whatever the technique. */
  frozen = false;
  errors = 0;
  connected = 0;
  failed = 0;
  readonly errorSamples = new Set<string>();
  readonly latencyFrom: string | undefined;
  private readonly members: PooledClient[] = [];
  private readonly firstIndex: number;
  private struck: PooledClient[] = [];
  private closing: Promise<void> | undefined;
  private senders: Map<string, number[]> | undefined;

  constructor(private readonly settings: PoolSettings) {
    this.firstIndex = settings.firstIndex ?? 0;
    this.latencyFrom = settings.latencyFrom;
    const addresses = settings.localAddresses ?? [];
    const { http2, tls } = settings.clientOptions;
    const links = http2 === undefined ? undefined : new H2Links(plainOrigin(settings.baseUrl, tls), http2.multiplex);
    for (let i = this.firstIndex; i < this.firstIndex + settings.clients; i++) {
      const channel = settings.channels[i % settings.channels.length]!;
      const start = settings.start.lastSeqs.get(channel) ?? 0;
      const member = new PooledClient(this, channel, start, settings.start.epoch, settings.perSender === true);
      // Clients that share an HTTP/2 connection share its source address.
      const address = addresses.length > 0 ? addresses[(links?.groupOf(i) ?? i) % addresses.length] : undefined;
      member.client = createSubscriber(settings.transport, {
        baseUrl: settings.baseUrl,
        channel,
        since: member.start,
        ...settings.clientOptions,
        ...(address === undefined ? {} : { localAddress: address }),
        ...(links === undefined ? {} : { h2: links.linkFor(i, address) }),
        handlers: member,
      });
      this.members.push(member);
    }
  }

  get status(): PoolStatus {
    return {
      connected: this.connected,
      failed: this.failed,
      receivedInWindow: this.receivedInWindow,
      errors: this.errors,
    };
  }

  noteError(error: Error): void {
    this.errors++;
    if (this.errorSamples.size < ERROR_SAMPLES_KEPT) this.errorSamples.add(error.message);
  }

  /** Opens every client, their starts spread evenly over `rampUpMs` (0 = all at once). */
  async connect(rampUpMs: number, signal: AbortSignal): Promise<void> {
    const spacingMs = this.members.length > 1 ? rampUpMs / (this.members.length - 1) : 0;
    const started = performance.now();
    const opening: Promise<void>[] = [];
    for (let i = 0; i < this.members.length && !signal.aborted; i++) {
      const dueIn = started + i * spacingMs - performance.now();
      if (dueIn >= 1) await sleep(dueIn, signal);
      opening.push(this.open(this.members[i]!));
    }
    await Promise.all(opening);
  }

  private async open(member: PooledClient): Promise<void> {
    const startedNs = hrtimeNs();
    try {
      await member.client.open();
      recordMicros(this.connectTime, (hrtimeNs() - startedNs) / 1000);
      member.connected = true;
      this.connected++;
    } catch (error) {
      this.failed++;
      this.noteError(error as Error);
    }
  }

  /**
   * The client that publishes message `index` in a chat: a connected one on the message's
   * channel, in turn; undefined when that channel has none.
   */
  sender(index: number): { client: TransportClient; id: string; channel: string } | undefined {
    this.senders ??= this.connectedByChannel();
    const channel = this.settings.channels[index % this.settings.channels.length]!;
    const candidates = this.senders.get(channel);
    if (candidates === undefined || candidates.length === 0) return undefined;
    const memberIndex = candidates[Math.floor(index / this.settings.channels.length) % candidates.length]!;
    return { client: this.members[memberIndex]!.client, id: `c${this.firstIndex + memberIndex}`, channel };
  }

  private connectedByChannel(): Map<string, number[]> {
    const byChannel = new Map<string, number[]>();
    this.members.forEach((member, index) => {
      if (!member.connected) return;
      const list = byChannel.get(member.channel) ?? [];
      list.push(index);
      byChannel.set(member.channel, list);
    });
    return byChannel;
  }

  counters(): PoolCounters {
    const totals = noCounters();
    for (const { client } of this.members) {
      const { meter } = client;
      totals.requests += meter.requests;
      totals.emptyResponses += meter.emptyResponses;
      totals.reconnects += meter.reconnects;
      totals.bytes += meter.bytes();
      for (const key of WIRE_COUNTS) totals[key] += meter[key];
    }
    return totals;
  }

  /** True when every client still counted holds everything up to its channel's last seq in the log `epoch`. */
  caughtUp(epoch: string, lastSeqByChannel: ReadonlyMap<string, number>): boolean {
    return this.counted().every((member) => {
      const lastSeq = lastSeqByChannel.get(member.channel) ?? 0;
      return member.trackers.get(epoch)?.caughtUp(lastSeq) ?? lastSeq === 0;
    });
  }

  /** Per client and per log it should have read: expected (the log's last seq on its channel) against what arrived. */
  delivery(extents: LogExtents): DeliveryTotals {
    const totals: DeliveryTotals = { ...NO_DELIVERY };
    for (const member of this.counted()) {
      totals.protocolErrors += member.protocolErrors;
      for (const [epoch, channels] of extents) {
        const lastSeq = channels.get(member.channel) ?? 0;
        const tracker = member.trackers.get(epoch);
        totals.expected += tracker?.expected(lastSeq) ?? lastSeq;
        totals.lost += tracker?.lost(lastSeq) ?? lastSeq;
      }
      for (const tracker of member.trackers.values()) {
        totals.delivered += tracker.unique;
        totals.duplicated += tracker.duplicated;
        totals.outOfOrder += tracker.outOfOrder;
        totals.gapReported += tracker.gapReported;
      }
    }
    return totals;
  }

  /** The highest seq any client received, per log and channel: a floor for what a dead log held. */
  highestSeen(): Map<string, Map<string, number>> {
    const seen = new Map<string, Map<string, number>>();
    for (const member of this.members) {
      for (const [epoch, tracker] of member.trackers) {
        const channels = seen.get(epoch) ?? new Map<string, number>();
        channels.set(member.channel, Math.max(channels.get(member.channel) ?? 0, tracker.highest));
        seen.set(epoch, channels);
      }
    }
    return seen;
  }

  /** The `drop` and `slow` faults: every n-th connected client, for `share` of them. */
  private pick(share: number): PooledClient[] {
    const connected = this.connectedMembers;
    if (connected.length === 0) return [];
    const count = Math.max(1, Math.round(connected.length * share));
    return connected.filter(
      (_, i) => Math.floor(((i + 1) * count) / connected.length) > Math.floor((i * count) / connected.length),
    );
  }

  /**
   * Strikes the fault on this pool's clients at `atNs`; returns how many it hit. `restart` (the
   * server is killed by the caller) hits every client; `drop` cuts the connections of a share,
   * which must reconnect and resume; `slow` makes a share stop reading for the rest of the run
   * and leaves them out of delivery and loss (they load the server's buffers, nobody is served).
   */
  strikeFault(kind: Exclude<FaultKind, 'none'>, share: number, atNs: number): number {
    const affected = kind === 'restart' ? this.connectedMembers : this.pick(share);
    this.struck = affected;
    if (kind === 'slow') {
      for (const member of affected) {
        member.excluded = true;
        member.client.meter.stopReading();
      }
      return affected.length;
    }
    this.faultNs = atNs;
    for (const member of affected) member.awaitingRecovery = true;
    if (kind === 'drop') for (const member of affected) member.client.meter.dropConnections();
    return affected.length;
  }

  /** Clients hit by the fault and heard from again since. */
  get recovered(): number {
    return this.struck.filter((member) => !member.awaitingRecovery && !member.excluded).length;
  }

  /** Every log (epoch) a counted client read from. */
  epochs(): string[] {
    return [
      ...new Set(
        this.counted().flatMap((member) =>
          // A sender's own numbering (a chat against a profile's server) is an account, not a log of the server's.
          [...member.trackers.keys()].filter((epoch) => epoch !== '' && !isSenderLog(epoch)),
        ),
      ),
    ];
  }

  private get connectedMembers(): PooledClient[] {
    return this.members.filter((member) => member.connected);
  }

  private counted(): PooledClient[] {
    return this.members.filter((member) => member.connected && !member.excluded);
  }

  close(): Promise<void> {
    this.closing ??= Promise.all(this.members.map((member) => member.client.close())).then(() => {});
    return this.closing;
  }
}
