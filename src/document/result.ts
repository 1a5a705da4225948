import type { LatencySummary } from '../core/histogram.js';
import type { DocumentHeader, Environment } from './header.js';
import type { Scenario, TransportName } from './scenario.js';
import type { ThresholdCheck } from './threshold-check.js';

export type { Environment, LatencySummary };

/**
 * The version written; `RESULT_SCHEMAS` are those read (an older document is upgraded as it is
 * loaded). @3: a server's figures may be null (a profile's server im-bench cannot see).
 */
export const RESULT_SCHEMA = 'im-bench/result@3';
export const RESULT_SCHEMA_V1 = 'im-bench/result@1';
export const RESULT_SCHEMA_V2 = 'im-bench/result@2';
export const RESULT_SCHEMAS: readonly string[] = [RESULT_SCHEMA_V1, RESULT_SCHEMA_V2, RESULT_SCHEMA];

/** What a fault did (`--fault`): when it struck, whom it hit, and how soon they were served again. */
export interface FaultResult {
  kind: 'restart' | 'drop' | 'slow';
  /** When it struck, in seconds from the start of the window. */
  atSeconds: number;
  affectedClients: number;
  /** Affected clients that received a message after the fault before the run ended (not counted for `slow`). */
  recoveredClients: number;
  /** From the fault to each affected client's first message after it. */
  recovery: LatencySummary;
  recoveryHistogram: string;
  /** `restart`: whether the log survived in a journal; how many logs (epochs) the clients read. */
  journal: boolean | null;
  epochs: number | null;
  /** Connections the server closed because their client stopped reading (from /stats); null when the server keeps no count. */
  shed: number | null;
}

/** How the publisher waited for each due time: a timer and a spin, or the timer alone (`run --publish-wait`). */
export const PUBLISH_WAITS = ['precise', 'coarse'] as const;
export type PublishWait = (typeof PUBLISH_WAITS)[number];

/** How the publisher kept its schedule. */
export interface PublisherTiming {
  /** Absent from documents written before the precise wait existed (they waited as `coarse` does). */
  wait?: PublishWait;
  /** When each message's send began, minus when it was due, per publish due inside the window (ms; null figures with none). */
  lateness: LatencySummary;
  /** Its HDR histogram (microseconds), merged across workers' coordinators, shards and repetitions. */
  latenessHistogram: string;
}

/** How the load generator fared during the window. */
export interface GeneratorHealth {
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** Share of the window the generator's event loop was blocked. */
  stalledShare: number;
  /** Generator CPU per second of the window, as a share of one core. */
  cpuUtilization: number;
  /**
   * The part of cpuUtilization the publisher spent spinning towards due times (the precise wait):
   * waiting, not load, so the generator-bound check leaves it out. Absent before it was measured.
   */
  spinUtilization?: number;
  /** True when the generator was saturated (lag, stalls or CPU): latencies then describe it, not the server. */
  bound: boolean;
}

/**
 * Where the window's bytes went, as the clients counted them while reading and writing: the
 * model's inputs, H and E, taken from the run itself and never from constants. An exchange's
 * head is its bytes without the body: the request line and headers written, the status line and
 * headers read (with any chunk framing). Absent from documents written before it was measured
 * (an additive @2 field). Over HTTP/2 an exchange has no head of its own on the wire (frames and
 * compressed headers on a connection others may share): the exchanges are not counted, H is null.
 */
export interface WireBytes {
  /** Exchanges answered with envelopes (a 200) inside the window, and the bytes of their heads. */
  messageExchanges: number;
  messageHeadBytes: number;
  /** Exchanges answered with nothing new (a 204) inside the window, and the bytes of their heads. */
  emptyExchanges: number;
  emptyHeadBytes: number;
  /** Envelopes received inside the window, and their exact bytes: no separator, framing or padding around them. */
  envelopes: number;
  envelopeBytes: number;
  /**
   * `bytes.inWindow` minus the heads and envelopes above: what belongs to no exchange's head and no
   * envelope (array brackets and commas, stream framing and heartbeats, markers, padding,
   * requests never answered; in a chat, the clients' publishes too).
   */
  otherBytes: number;
  /** H for an answer with envelopes: messageHeadBytes / messageExchanges; null when there was none. */
  h200: number | null;
  /** H for an empty answer: emptyHeadBytes / emptyExchanges; null when there was none. */
  h204: number | null;
  /** E, the bytes of one envelope: envelopeBytes / envelopes; null when none arrived. */
  e: number | null;
}

/** The sums a WireBytes is made of: what shards and workers add up. */
export type WireSums = Pick<
  WireBytes,
  'messageExchanges' | 'messageHeadBytes' | 'emptyExchanges' | 'emptyHeadBytes' | 'envelopes' | 'envelopeBytes'
>;

/** A polling technique's request rate beside the reference server's ceiling for it (`im-bench capacity`). */
export interface Headroom {
  /** Requests per second the server answered at most for this technique's polls. */
  ceilingPerSecond: number;
  /** The scenario's requests per second in the window: requests.inWindow / windowSeconds. */
  requestsPerSecond: number;
  /** requestsPerSecond / ceilingPerSecond: the share of the ceiling this configuration uses. */
  ratio: number;
  /** `file`: a saved capacity document (`run --capacity FILE`); `probe`: measured just before the run. */
  source: 'file' | 'probe';
  /** When the ceiling was measured (the capacity document's startedAt). */
  measuredAt: string;
}

export interface TransportResult {
  transport: TransportName;
  /**
   * The kind of server measured (`run --server`, `--profile`): `reference`, `nchan`, a profile
   * file's name. Absent in documents written before profiles existed: the reference server.
   */
  profile?: string;
  /** True when the run was stopped during this technique's window: its figures cover a shortened window. */
  partial: boolean;
  clients: { requested: number; connected: number; failed: number };
  /** Length of the measurement window (warm-up excluded), seconds. */
  windowSeconds: number;
  /** Messages the schedule fired; scheduled inside the window; not accepted (publish failed, no client to send it). */
  published: { total: number; inWindow: number; failed: number };
  delivery: {
    /** Copies every client should have received: per client, the messages published on its channel. */
    expected: number;
    /** Unique copies received over the whole run. */
    delivered: number;
    /** First copies received while the window was open: the denominator of every per-message figure. */
    deliveredInWindow: number;
    lost: number;
    duplicated: number;
    outOfOrder: number;
    /** Sequence numbers reported lost by the server with a gap marker (also counted in `lost`). */
    gapReported: number;
    /** deliveredInWindow / windowSeconds. */
    throughputPerSecond: number;
    /** Envelopes that failed validation (no integer seq, no `t`…): counted here, never as copies or duplicates. */
    protocolErrors: number;
  };
  /** Receive time minus scheduled publish time, for first copies of messages scheduled inside the window; null figures when none arrived. */
  latency: LatencySummary;
  /** HDR histogram (microseconds), compressed base64, so results can be merged and compared exactly. */
  latencyHistogram: string;
  /**
   * The generator's own part of every latency: how late each publish due inside the window was
   * sent (when its send began). Absent from documents written before it was measured (an additive @2 field).
   */
  publisher?: PublisherTiming;
  requests: {
    /** Inside the window: polls, long polls, SSE (re)connects, WebSocket upgrades. */
    inWindow: number;
    total: number;
    /** 204 answers inside the window. */
    empty: number;
    /** null when no copy was delivered in the window (as every per-message figure). */
    perMessage: number | null;
    reconnects: number;
    errors: number;
    /** The server's own count of subscribe requests for this technique over the run (`/stats`); null when it keeps none (a profile's server). */
    serverCounted: number | null;
  };
  bytes: {
    /** Bytes read + written on the clients' sockets inside the window (headers, chunk and frame overhead included; in a chat, the clients' publish requests too). */
    inWindow: number;
    perMessage: number | null;
    payloadPerMessage: number;
    /** perMessage / payloadPerMessage; null when either is not measured or the payload is empty. */
    overheadRatio: number | null;
    /** Where they went: the model's inputs, measured. Absent from documents written before (an additive @2 field). */
    wire?: WireBytes;
    /**
     * With clients sharing HTTP/2 connections (`--h2-multiplex`): the connections the server held
     * at the window's end, and the window's bytes per connection (each client counts its share,
     * the connection's bytes over its clients). Absent otherwise.
     */
    connections?: number;
    perConnection?: number | null;
  };
  /** The server's figures; null where they were not measured (a profile's server whose processes im-bench cannot see). */
  server: {
    cpuSeconds: number | null;
    cpuMicrosPerMessage: number | null;
    /** Before any client connected. */
    idleRssBytes: number | null;
    /** With every client connected, before the first publish. */
    connectedRssBytes: number | null;
    /** Over the whole run (rings, queues and garbage included). */
    peakRssBytes: number | null;
    /** (connected RSS − idle RSS) / connected clients: what holding a connection costs; null with none connected. */
    rssPerConnectionBytes: number | null;
  };
  /**
   * The reverse proxy in front (`run --via`), apart from the server: its processes' CPU over the
   * window (per message delivered) and their memory (PSS) at the window's end. Absent without one.
   */
  proxy?: {
    cpuSeconds: number;
    cpuMicrosPerMessage: number | null;
    rssBytes: number;
  };
  /**
   * From the start of a client's first subscribe to its first usable byte / open event; over TLS
   * with the bytes of one TLS handshake, apart from the per-message figures.
   */
  connect: ConnectSummary;
  connectHistogram: string;
  generator: GeneratorHealth;
  /** A few distinct error messages, for diagnosis. */
  errorSamples: string[];
  /** Present when the scenario injected a fault. */
  fault?: FaultResult;
  /** Polling techniques of a run given a request ceiling (`run --capacity`); absent otherwise. */
  headroom?: Headroom;
  /**
   * With `--repeat N` (N > 1): every repetition in the order run, each a full result of its
   * own. The figures of this object are those of the repetition with the median p99 latency.
   */
  repetitions?: TransportResult[];
}

/** `aborted`: the run was interrupted, and the figures cover the techniques completed so far. */
export interface RunResult extends DocumentHeader<typeof RESULT_SCHEMA> {
  /** How many times each technique was run (`--repeat`). */
  repeat: number;
  scenario: Scenario;
  transports: TransportResult[];
  /** `--shard I/N`: this document holds the I-th slice of the clients (0-based). Absent or null: not sharded. */
  shard?: ShardPosition | null;
  /** Present when `im-bench merge` made this document from every shard of a run (`shard` is then null). */
  merged?: MergeRecord;
  /** `run --threshold` or the scenario file's `thresholds:`, judged once the run finished; absent without any. */
  thresholds?: ThresholdCheck[];
  /** Present only when the servers were slowed on purpose to calibrate compare (`run --calibrate-*`): not a real measurement. */
  calibration?: Calibration;
  /** The kinds of server measured, when one is a profile's (`run --server`, `--profile`): what each is, for the reports. */
  servers?: ServerDescription[];
  /**
   * Techniques that could not run at all through the proxy in front (`run --via`): no client could
   * subscribe. The reports say why and how a config fixes it. Absent when every one ran.
   */
  failed?: TechniqueFailure[];
}

/** Connect times, and over TLS what one handshake costs on the wire. */
export interface ConnectSummary extends LatencySummary {
  /**
   * Over TLS: the bytes (both ways) of one connection's TLS handshake, the session tickets
   * included, measured on a connection of its own that carries no request. Absent in cleartext.
   */
  handshakeBytes?: number;
}

/** A technique none of whose clients could subscribe through a proxy, and what they were told. */
export interface TechniqueFailure {
  transport: TransportName;
  /** The kind of server, as a technique result's `profile` names it. */
  profile: string;
  reason: string;
}

/** A kind of server as a report introduces it. */
export interface ServerDescription {
  /** As each technique result's `profile` names it. */
  name: string;
  /** The profile's own description: what the server is, and the choices made in speaking to it. */
  description: string;
  /** `built-in`, or the profile file as given. */
  source: string;
  /** Worker processes of a server im-bench started from a profile (`--server-workers`). */
  workers?: number;
}

/** How the reference servers of a run were slowed on purpose (`run --calibrate-delay`, `--calibrate-cpu`). */
export interface Calibration {
  /** Every publish was held at least this long before the server appended it. */
  delayMs: number;
  /** CPU burned per delivered copy of an envelope, µs, by each technique's server (0: none). */
  cpuMicrosPerCopy: Partial<Record<TransportName, number>>;
}

export interface ShardPosition {
  /** 0 … count − 1. */
  index: number;
  count: number;
}

/** Where a merged document came from: each shard in index order, with what merging folds away. */
export interface MergeRecord {
  /** How many shard documents were merged (their shard count). */
  shards: number;
  from: MergedShard[];
}

export interface MergedShard {
  index: number;
  /** The document as it was named to the merge (its file). */
  source: string;
  startedAt: string;
  finishedAt: string;
  /** The machine the shard ran on; the merged document's own environment is shard 0's. */
  environment: Environment;
  /** Per technique, in the documents' order. */
  transports: MergedShardTransport[];
}

export interface MergedShardTransport {
  transport: TransportName;
  /** One per repetition, in the order run (one without `--repeat`). */
  runs: MergedShardRun[];
}

/** A shard's own figures that the merge keeps only as the worst, or the longest, of all shards. */
export interface MergedShardRun {
  windowSeconds: number;
  clients: TransportResult['clients'];
  generator: GeneratorHealth;
}
