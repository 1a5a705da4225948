import type { ClientTls } from './shared/plain-connection.js';
import type { H2Link } from './shared/h2-link.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Envelope, Gap } from '../core/envelope.js';
import type { Broker, BrokerEntry } from '../broker/broker.js';
import type { TransportResult } from '../document/result.js';
import type { Scenario, TransportName } from '../document/scenario.js';
import type { ClientMeter } from './shared/client-meter.js';
import type { CopyBurner } from './shared/copy-burner.js';
import type { ModelChecks, ModelInput } from './model.js';
import type { SubscribeDialect } from './dialect.js';

/**
 * The scenario's settings a technique may read, by technique-neutral names. The scenario keeps
 * the field names users know (`poll-interval`, `sse-retry`, `sse-client` …); `settingsOf()`
 * maps one to the other in one place.
 */
export interface TechniqueSettings {
  /** Short polling: from the start of one poll to the start of the next (`poll-interval`). */
  readonly pollIntervalMs: number;
  /** How long the server holds a request with nothing to send (`long-poll-timeout`). */
  readonly longPollTimeoutMs: number;
  /** Wait before subscribing again after a lost connection; an SSE server announces it with `retry:` (`sse-retry`). */
  readonly reconnectDelayMs: number;
  /** The server's keep-alive: SSE comments, WebSocket pings; a stream that has not drained for two is shed (`heartbeat`). */
  readonly heartbeatMs: number;
  /** Which of a technique's clients to run, where it has more than one (`sse-client`: parser or eventsource). */
  readonly clientVariant: string;
}

export type { ClientTls };

export type SettingName = keyof TechniqueSettings;

export function settingsOf(scenario: Scenario): TechniqueSettings {
  return {
    pollIntervalMs: scenario.pollIntervalMs,
    longPollTimeoutMs: scenario.longPollTimeoutMs,
    reconnectDelayMs: scenario.sseRetryMs,
    heartbeatMs: scenario.heartbeatMs,
    clientVariant: scenario.sseClient,
  };
}

/** What the reference server shares with every technique's handler. */
export interface ServerContext {
  readonly broker: Broker;
  readonly settings: ServerSettings;
  /**
   * Validates a publish request body and appends it to the broker; throws `HttpError` on bad
   * input. Held by the calibration delay (`serve --calibrate-delay`), it appends later and
   * answers with a promise, which rejects with `HttpError` when the append fails.
   */
  publish(body: unknown): BrokerEntry | Promise<BrokerEntry>;
  /**
   * Calibration only (`serve --calibrate-cpu`, which slows the server on purpose): burns CPU for
   * the copies of envelopes each write or answer carries. Undefined otherwise, so a real
   * measurement's hot path reads no clock.
   */
  readonly burnCopies: CopyBurner | undefined;
}

export interface ServerSettings
  extends Pick<TechniqueSettings, 'heartbeatMs' | 'reconnectDelayMs' | 'longPollTimeoutMs'> {
  readonly maxMessageBytes: number;
  readonly allowOrigins: readonly string[];
}

export type RequestHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
) => void | Promise<void>;

/** One technique's server side. Bad input is thrown as `HttpError`; the host answers it. */
export interface TransportServer {
  handleRequest: RequestHandler;
  /**
   * HEAD on the subscribe path (RFC 9110 §9.3.2): the status and headers a GET would start with,
   * answered at once, never held and never subscribed. A technique that holds its GET (long
   * polling, streams) needs it; without it the host runs `handleRequest` (Node drops the body)
   * and ends whatever response is still open when that returns.
   */
  handleHead?: RequestHandler;
  handleUpgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, query: URLSearchParams): void;
  /** Connections closed by the server because their client stopped reading. */
  shed(): number;
  /** Connections closed by the server because their peer stopped answering its heartbeat (half-open). */
  reaped(): number;
  /** Shutdown: answer held requests, end streams, close sockets with a going-away reason. */
  close(): void;
}

export interface ClientHandlers {
  onEnvelope(envelope: Envelope): void;
  onGap(gap: Gap): void;
  /** The client learned the epoch of the log it reads: at its first answer, and after a reset to a new log. */
  onEpoch?(epoch: string): void;
  /** Failures while running are data (counted by the caller), never thrown. */
  onError(error: Error): void;
}

/**
 * A client's settings: `reconnectDelayMs` is its wait before subscribing again (an SSE client
 * follows the server's `retry:` instead); `clientVariant` unset means the technique's default client.
 */
export type ClientSettings = Pick<TechniqueSettings, 'pollIntervalMs' | 'longPollTimeoutMs' | 'reconnectDelayMs'> &
  // A stream silent for three heartbeats is presumed dead (the default heartbeat when unset).
  Partial<Pick<TechniqueSettings, 'clientVariant' | 'heartbeatMs'>> & {
    /** How to speak to a server that is not the reference server (a profile's); the wire contract when absent. */
    dialect?: SubscribeDialect;
    /** With an `https` baseUrl: the certificate to trust; without, the system's CAs. */
    tls?: ClientTls;
    /**
     * Over HTTP/2 (`--http2`): how many clients share one connection (`--h2-multiplex`; 1, a
     * connection each, as separate browsers). Given to techniques with `http2` only.
     */
    http2?: { multiplex: number };
  };

export interface ClientOptions extends ClientSettings {
  /** `http://host:port` of the server, or `https://…` over TLS. */
  baseUrl: string;
  channel: string;
  /** Resume cursor: the last sequence number already seen (0 = from the start of the log). */
  since: number;
  /** Source address for the client's connections (`--local-address`): spreads clients over more local ports. */
  localAddress?: string;
  /** Over HTTP/2: the connection its requests are streams of, its own or shared (see `http2`). */
  h2?: H2Link;
  handlers: ClientHandlers;
}

/** A message a client publishes itself (chat); over WebSocket it goes on the client's own socket. */
export interface PublishMessage {
  ch: string;
  from: string;
  data: string;
  t: string;
}

/** One simulated subscriber. It re-subscribes by itself, resuming from `cursor`, until closed. */
export interface TransportClient {
  readonly cursor: number;
  readonly meter: ClientMeter;
  /** Present when the technique can publish on its subscribe connection (WebSocket); false when it could not send. */
  publish?(message: PublishMessage): boolean;
  /** Resolves once subscribed (first poll answered, stream or socket open); rejects if that fails. */
  open(): Promise<void>;
  close(): Promise<void>;
}

/** A request `im-bench capacity` sends on every connection, and the answer that shows the server took it as meant. */
export interface CapacityProbe {
  /** Path and query, answered at once by a server whose channel's last seq is `lastSeq`. */
  path: string;
  status: number;
  /** Envelopes the answer carries. */
  messages: number;
}

/** A technique's panel on the demo page (`GET /` of the reference server). */
export interface DemoPanel {
  /** One line of HTML on how a browser uses the technique; fixed text, written here, never user input. */
  readonly how: string;
  /**
   * A browser module (plain JavaScript in the technique's folder) that exports
   * `start(panel, since)`; it may return `{ send(data) }` when the page can publish through it.
   */
  readonly script: string;
}

/**
 * One technique: its server handler and client, and everything else im-bench needs to know of
 * it. The registry (registry.ts) lists them; nothing else names a technique.
 */
export interface Transport {
  readonly name: TransportName;
  readonly title: string;
  /**
   * Other names people give it (`ws`, `longpoll`), lower case with dashes: what a "did you mean"
   * hint offers it for when no edit distance would lead there.
   */
  readonly aliases?: readonly string[];
  /** The subscribe path of the wire contract, e.g. `/poll`. */
  readonly path: string;
  /** True when subscribing is an HTTP upgrade rather than a plain request. */
  readonly upgrade: boolean;
  /**
   * Its client speaks HTTP/2 when asked (`--http2`): polls and streams do. Absent for the
   * WebSocket, which upgrades an HTTP/1.1 connection (RFC 8441's WebSocket over HTTP/2 is not built).
   */
  readonly http2?: true;
  /** The settings it reads: its server and clients are given them, reports describe them. */
  readonly settings: readonly SettingName[];
  /**
   * Scenario fields that must be equal for two results of this technique to be compared: those
   * of its settings that change what its figures mean.
   */
  readonly comparedFields: readonly (keyof Scenario)[];
  /** The least drain, ms, for its clients to hear the last message; the scenario's `drain` otherwise. */
  drainMs?(scenario: Scenario): number;
  /** What simple arithmetic predicts for its figures, beside what was measured (see model.ts). */
  modelChecks(result: TransportResult, scenario: Scenario): ModelChecks;
  /** The measured inputs its model uses (H200, H204, E): reports print them beside the checks. */
  readonly modelInputs: readonly ModelInput[];
  /** How `im-bench capacity` drives it to its request ceiling; absent for techniques that hold a connection and send no requests. */
  capacityProbe?(channel: string, lastSeq: number): CapacityProbe;
  readonly demo: DemoPanel;
  createServer(context: ServerContext): TransportServer;
  createClient(options: ClientOptions): TransportClient;
}
